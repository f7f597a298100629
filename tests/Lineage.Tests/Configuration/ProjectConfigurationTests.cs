using System.Reflection;
using System.Reflection.Emit;
using Lineage.Configuration;

namespace Lineage.Tests.Configuration;

/// <summary>The project configuration compiled into a program, read back from its assembly.</summary>
public sealed class ProjectConfigurationTests
{
    private static AssemblyBuilder AssemblyWith(params CustomAttributeBuilder[] attributes)
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Configured" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
        foreach (var attribute in attributes)
        {
            assembly.SetCustomAttribute(attribute);
        }

        return assembly;
    }

    private static CustomAttributeBuilder Generated(string? databaseUrl, string? storageDir, string[]? options) =>
        new(typeof(GeneratedProjectStorageAttribute).GetConstructors()[0], [databaseUrl, storageDir, options]);

    private static CustomAttributeBuilder Stated(string? databaseUrl = null, string[]? options = null)
    {
        var type = typeof(ArtifactStorageAttribute);
        var properties = new List<PropertyInfo>();
        var values = new List<object?>();
        if (databaseUrl is not null)
        {
            properties.Add(type.GetProperty(nameof(ArtifactStorageAttribute.DatabaseUrl))!);
            values.Add(databaseUrl);
        }

        if (options is not null)
        {
            properties.Add(type.GetProperty(nameof(ArtifactStorageAttribute.StorageOptions))!);
            values.Add(options);
        }

        return new CustomAttributeBuilder(type.GetConstructor(Type.EmptyTypes)!, [], [.. properties], [.. values]);
    }

    [Fact]
    public void An_assembly_without_project_configuration_states_nothing()
    {
        Assert.Null(ProjectConfiguration.From(AssemblyWith(), "/work"));
    }

    [Fact]
    public void Settings_compiled_in_from_lineage_json_become_the_project_level()
    {
        var layer = ProjectConfiguration.From(AssemblyWith(Generated("sqlite:///team.sqlite", "values", ["region=eu-west-1"])), "/work")!;

        Assert.Equal(SettingSource.ProjectConfig, layer.Source);
        Assert.Equal(("sqlite:///team.sqlite", "values"), (layer.DatabaseUrl, layer.ArtifactStorageDir));
        Assert.Equal("eu-west-1", layer.StorageOptions!["region"]);
        Assert.Equal("/work", layer.BaseDirectory);
    }

    [Fact]
    public void The_attribute_written_in_code_wins_over_generated_settings_one_setting_at_a_time()
    {
        var layer = ProjectConfiguration.From(AssemblyWith(
            Generated("sqlite:///from-json.sqlite", "json-values", ["region=eu-west-1"]),
            Stated(databaseUrl: "sqlite:///from-code.sqlite", options: ["profile=research"])), "/work")!;

        Assert.Equal("sqlite:///from-code.sqlite", layer.DatabaseUrl);
        Assert.Equal("json-values", layer.ArtifactStorageDir);
        Assert.Equal(new Dictionary<string, string> { ["profile"] = "research" }, layer.StorageOptions);
    }

    [Fact]
    public void A_storage_option_that_is_not_key_value_is_a_configuration_error_that_does_not_echo_it()
    {
        var error = Assert.Throws<LineageConfigurationException>(() => ProjectConfiguration.From(AssemblyWith(Generated(null, null, ["region"])), "/work"));

        Assert.Contains("Storage option 1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("region", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Project_configuration_sits_between_the_environment_and_the_user_config_file()
    {
        using var home = new TestHome();
        File.WriteAllText(home.Sub("config.json"), """{ "database_url": "sqlite:///user.sqlite", "artifact_storage_dir": "user-values" }""");
        var project = ProjectConfiguration.From(AssemblyWith(Generated("sqlite:///project.sqlite", null, null)), home.Path);
        var environment = new Dictionary<string, string> { ["LINEAGE_ARTIFACT_STORAGE_DIR"] = home.Sub("env-values") };

        var resolved = OptionsResolver.Resolve(new LineageOptions { Home = home.Path }, name => environment.GetValueOrDefault(name), home.Path, home.Path, project);

        Assert.Equal((SettingSource.ProjectConfig, "sqlite:///" + home.Sub("project.sqlite")), (resolved.DatabaseUrlSource, resolved.DatabaseUrl));
        Assert.Equal((SettingSource.Environment, home.Sub("env-values")), (resolved.ArtifactStorageDirSource, resolved.ArtifactStorageDir));
    }
}
