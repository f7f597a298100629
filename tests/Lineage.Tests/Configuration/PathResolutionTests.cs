using Lineage.Configuration;

namespace Lineage.Tests.Configuration;

/// <summary>
/// Relative paths in code and environment resolve against the working directory, relative paths in a config
/// file against the file's folder; <c>~/</c> is the user home; SQLite URLs follow SQLAlchemy's slashes.
/// </summary>
public sealed class PathResolutionTests
{
    [Fact]
    public void Relative_explicit_paths_resolve_against_the_working_directory()
    {
        using var sandbox = new ConfigSandbox();
        var options = new LineageOptions
        {
            Home = "home",
            DatabaseUrl = "sqlite:///meta/db.sqlite",
            ArtifactStorageDir = "values/",
        };

        var resolved = sandbox.Resolve(options);

        Assert.Equal(Path.Combine(sandbox.WorkingDirectory, "home"), resolved.Home);
        Assert.Equal(ConfigSandbox.SqliteUrl(Path.Combine(sandbox.WorkingDirectory, "meta", "db.sqlite")), resolved.DatabaseUrl);
        Assert.Equal(Path.Combine(sandbox.WorkingDirectory, "values"), resolved.ArtifactStorageDir);
    }

    [Fact]
    public void Relative_environment_paths_resolve_against_the_working_directory()
    {
        using var sandbox = new ConfigSandbox();
        sandbox
            .Set(OptionsResolver.HomeVariable, "env-home")
            .Set(OptionsResolver.DatabaseUrlVariable, "sqlite:///env.sqlite")
            .Set(OptionsResolver.ArtifactStorageDirVariable, Path.Combine("env", "values"));

        var resolved = sandbox.Resolve();

        Assert.Equal(Path.Combine(sandbox.WorkingDirectory, "env-home"), resolved.Home);
        Assert.Equal(ConfigSandbox.SqliteUrl(Path.Combine(sandbox.WorkingDirectory, "env.sqlite")), resolved.DatabaseUrl);
        Assert.Equal(Path.Combine(sandbox.WorkingDirectory, "env", "values"), resolved.ArtifactStorageDir);
    }

    [Fact]
    public void Relative_config_file_paths_resolve_against_the_config_file_folder()
    {
        using var sandbox = new ConfigSandbox();
        var home = sandbox.Sub("elsewhere", "home");
        ConfigSandbox.WriteConfig(home, """
            { "database_url": "sqlite:///meta/db.sqlite", "artifact_storage_dir": "../shared-values" }
            """);

        var resolved = sandbox.Resolve(new LineageOptions { Home = home });

        Assert.Equal(ConfigSandbox.SqliteUrl(Path.Combine(home, "meta", "db.sqlite")), resolved.DatabaseUrl);
        Assert.Equal(sandbox.Sub("elsewhere", "shared-values"), resolved.ArtifactStorageDir);
        Assert.Equal(SettingSource.UserConfig, resolved.ArtifactStorageDirSource);
    }

    [Fact]
    public void Relative_project_config_paths_resolve_against_the_project_folder()
    {
        using var sandbox = new ConfigSandbox();
        var projectFolder = sandbox.Sub("project");
        var project = new ConfigLayer(SettingSource.ProjectConfig, projectFolder, "sqlite:///lineage.sqlite", "artifacts");

        var resolved = sandbox.Resolve(projectConfig: project);

        Assert.Equal(ConfigSandbox.SqliteUrl(Path.Combine(projectFolder, "lineage.sqlite")), resolved.DatabaseUrl);
        Assert.Equal(Path.Combine(projectFolder, "artifacts"), resolved.ArtifactStorageDir);
    }

    [Fact]
    public void Tilde_expands_to_the_user_home()
    {
        using var sandbox = new ConfigSandbox();
        var options = new LineageOptions
        {
            Home = "~/lineage-home",
            DatabaseUrl = "sqlite:///~/meta/db.sqlite",
            ArtifactStorageDir = "~/values",
        };

        var resolved = sandbox.Resolve(options);

        Assert.Equal(Path.Combine(sandbox.UserHome, "lineage-home"), resolved.Home);
        Assert.Equal(ConfigSandbox.SqliteUrl(Path.Combine(sandbox.UserHome, "meta", "db.sqlite")), resolved.DatabaseUrl);
        Assert.Equal(Path.Combine(sandbox.UserHome, "values"), resolved.ArtifactStorageDir);
    }

    [Fact]
    public void Sqlite_url_with_three_slashes_is_relative_and_with_four_is_absolute()
    {
        using var sandbox = new ConfigSandbox();
        var absolute = sandbox.Sub("absolute", "db.sqlite");

        var relative = sandbox.Resolve(new LineageOptions { DatabaseUrl = "sqlite:///relative/db.sqlite" });
        var rooted = sandbox.Resolve(new LineageOptions { DatabaseUrl = ConfigSandbox.SqliteUrl(absolute) });

        Assert.Equal(Path.Combine(sandbox.WorkingDirectory, "relative", "db.sqlite"), relative.Database.SqlitePath);
        Assert.Equal(absolute, rooted.Database.SqlitePath);
        Assert.IsType<Lineage.Metadata.Sqlite.SqliteBackend>(rooted.Database.Backend);
    }

    [Fact]
    public void File_url_is_accepted_as_a_local_storage_folder()
    {
        using var sandbox = new ConfigSandbox();
        var folder = sandbox.Sub("file-url-values");
        var url = "file://" + (folder.StartsWith('/') ? folder : "/" + folder.Replace('\\', '/'));

        var resolved = sandbox.Resolve(new LineageOptions { ArtifactStorageDir = url });

        Assert.Equal(folder, resolved.ArtifactStorageDir);
        Assert.IsType<Lineage.Values.Local.LocalBackend>(resolved.Storage.Backend);
    }

    [Fact]
    public void File_url_without_an_absolute_path_is_rejected()
    {
        using var sandbox = new ConfigSandbox();

        var error = Assert.Throws<LineageConfigurationException>(
            () => sandbox.Resolve(new LineageOptions { ArtifactStorageDir = "file://relative/values" }));

        Assert.Contains("file:///", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S3_storage_root_is_kept_as_an_object_store_location()
    {
        using var sandbox = new ConfigSandbox();

        var resolved = sandbox.Resolve(new LineageOptions { ArtifactStorageDir = "s3://team-bucket/artifacts/" });

        Assert.IsType<Lineage.Values.S3.S3Backend>(resolved.Storage.Backend);
        Assert.Equal("s3://team-bucket/artifacts", resolved.ArtifactStorageDir);
    }

    [Fact]
    public void Unsupported_storage_scheme_is_rejected_naming_the_scheme()
    {
        using var sandbox = new ConfigSandbox();

        var error = Assert.Throws<LineageConfigurationException>(
            () => sandbox.Resolve(new LineageOptions { ArtifactStorageDir = "gs://bucket/artifacts" }));

        Assert.Contains("'gs'", error.Message, StringComparison.Ordinal);
    }
}
