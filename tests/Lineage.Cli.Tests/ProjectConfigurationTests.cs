namespace Lineage.Cli.Tests;

/// <summary>The tool runs outside the user's program, so it reads the project's lineage.json for the project configuration level.</summary>
public sealed class ProjectConfigurationTests
{
    [Fact]
    public async Task The_tool_reads_lineage_json_in_the_current_folder_as_the_project_configuration()
    {
        using var home = new CliHome();
        var database = "sqlite:///" + home.Sub("project.sqlite");
        var root = home.Sub("project-values");
        File.WriteAllText(home.Sub("lineage.json"), $$"""{ "database_url": "{{database}}", "artifact_storage_dir": "{{root}}" }""");
        using (var store = ArtifactStore.Open(new LineageOptions { Home = home.Path, DatabaseUrl = database, ArtifactStorageDir = root }))
        {
            store.Save("from-the-project", 42);
        }

        var listing = await home.RunAsync("ls", "--json");
        var config = await home.RunAsync("config", "--json");
        var elsewhere = await home.RunAsync("ls", "--json", "--project", home.Sub("missing.json"));

        Assert.True(listing.ExitCode == 0, listing.ToString());
        Assert.Equal("from-the-project", listing.Json()[0].GetProperty("name").GetString());
        Assert.Equal("project_config", config.Json().GetProperty("artifact_storage_dir").GetProperty("source").GetString());
        Assert.Equal(home.Sub("lineage.json"), config.Json().GetProperty("project_config_file").GetString());
        Assert.Equal(1, elsewhere.ExitCode);
        Assert.Contains("does not exist", elsewhere.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_machine_setting_in_lineage_json_is_refused_with_where_it_belongs()
    {
        using var home = new CliHome();
        File.WriteAllText(home.Sub("lineage.json"), """{ "host": "build-server" }""");

        var result = await home.RunAsync("config");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("describes a machine, not a project", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_key_in_lineage_json_lists_only_the_keys_a_project_file_takes()
    {
        using var home = new CliHome();
        File.WriteAllText(home.Sub("lineage.json"), """{ "artifact_storage": "/data" }""");

        var result = await home.RunAsync("config");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Known settings in a project file: artifact_storage_dir, database_url, storage_options.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("local_storage", result.Error, StringComparison.Ordinal);
    }
}
