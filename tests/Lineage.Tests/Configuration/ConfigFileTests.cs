namespace Lineage.Tests.Configuration;

/// <summary>The user config file {Home}/config.json: LineaPy's keys, and errors that say what and where.</summary>
public sealed class ConfigFileTests
{
    [Fact]
    public void Invalid_json_is_an_error_naming_the_file_and_the_line()
    {
        using var sandbox = new ConfigSandbox();
        var path = ConfigSandbox.WriteConfig(sandbox.DefaultHome, "{\n  \"database_url\": \"sqlite:///db.sqlite\",\n  \"artifact_storage_dir\" \"values\"\n}\n");

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_top_level_key_is_an_error_naming_the_key()
    {
        using var sandbox = new ConfigSandbox();
        var path = ConfigSandbox.WriteConfig(sandbox.DefaultHome, """{ "artifact_storage_path": "values" }""");

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve());

        Assert.Contains("'artifact_storage_path'", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"sqlite:///db.sqlite\"")]
    [InlineData("42")]
    [InlineData("null")]
    public void Root_that_is_not_a_json_object_is_an_error(string json)
    {
        using var sandbox = new ConfigSandbox();
        var path = ConfigSandbox.WriteConfig(sandbox.DefaultHome, json);

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("JSON object", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "database_url": 5 }""", "database_url")]
    [InlineData("""{ "artifact_storage_dir": ["a", "b"] }""", "artifact_storage_dir")]
    [InlineData("""{ "storage_options": "region=eu-west-1" }""", "storage_options")]
    [InlineData("""{ "storage_options": { "region": { "name": "eu-west-1" } } }""", "region")]
    [InlineData("""{ "storage_options": { "profile": null } }""", "profile")]
    public void Value_of_the_wrong_type_is_an_error_naming_the_setting(string json, string setting)
    {
        using var sandbox = new ConfigSandbox();
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, json);

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve());

        Assert.Contains($"'{setting}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_and_booleans_in_storage_options_become_strings()
    {
        using var sandbox = new ConfigSandbox();
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, """
            { "storage_options": { "force_path_style": true, "profile": 42, "region": false } }
            """);

        var resolved = sandbox.Resolve();

        Assert.Equal("true", resolved.StorageOptions["force_path_style"]);
        Assert.Equal("42", resolved.StorageOptions["profile"]);
        Assert.Equal("false", resolved.StorageOptions["region"]);
    }

    /// <summary>
    /// Numbers are read as doubles, so an integer beyond 2^53 comes back rounded and in E-notation.
    /// The option should carry the number as written in the file.
    /// </summary>
    [Fact]
    public void Large_integer_in_storage_options_keeps_the_digits_written_in_the_file()
    {
        using var sandbox = new ConfigSandbox();
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, """{ "storage_options": { "profile": 12345678901234567890 } }""");

        var resolved = sandbox.Resolve();

        Assert.Equal("12345678901234567890", resolved.StorageOptions["profile"]);
    }

    [Fact]
    public void Comments_and_trailing_commas_are_allowed()
    {
        using var sandbox = new ConfigSandbox();
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, """
            {
              // where the team keeps its values
              "artifact_storage_dir": "team-values",
              "storage_options": { "region": "eu-west-1", },
            }
            """);

        var resolved = sandbox.Resolve();

        Assert.Equal(Path.Combine(sandbox.DefaultHome, "team-values"), resolved.ArtifactStorageDir);
        Assert.Equal("eu-west-1", resolved.StorageOptions["region"]);
    }

    [Fact]
    public void Null_setting_falls_through_to_the_next_level()
    {
        using var sandbox = new ConfigSandbox();
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, """{ "database_url": null, "artifact_storage_dir": "values" }""");

        var resolved = sandbox.Resolve();

        Assert.Equal(SettingSource.Default, resolved.DatabaseUrlSource);
        Assert.Equal(SettingSource.UserConfig, resolved.ArtifactStorageDirSource);
    }
}
