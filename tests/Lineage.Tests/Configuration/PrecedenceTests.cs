using Lineage.Configuration;

namespace Lineage.Tests.Configuration;

/// <summary>explicit options &gt; environment &gt; project config &gt; user config file &gt; defaults, per setting.</summary>
public sealed class PrecedenceTests
{
    [Fact]
    public void Defaults_put_everything_under_dot_lineage_in_the_user_home()
    {
        using var sandbox = new ConfigSandbox();

        var resolved = sandbox.Resolve();

        var home = sandbox.DefaultHome;
        Assert.Equal(home, resolved.Home);
        Assert.Equal(SettingSource.Default, resolved.HomeSource);
        Assert.Equal(ConfigSandbox.SqliteUrl(Path.Combine(home, "db.sqlite")), resolved.DatabaseUrl);
        Assert.StartsWith(OperatingSystem.IsWindows() ? "sqlite:///" : "sqlite:////", resolved.DatabaseUrl, StringComparison.Ordinal);
        Assert.Equal(SettingSource.Default, resolved.DatabaseUrlSource);
        Assert.Equal(Path.Combine(home, "artifacts"), resolved.ArtifactStorageDir);
        Assert.Equal(SettingSource.Default, resolved.ArtifactStorageDirSource);
        Assert.Empty(resolved.StorageOptions);
        Assert.Equal(SettingSource.Default, resolved.StorageOptionsSource);
        Assert.Equal(Path.Combine(home, "config.json"), resolved.UserConfigPath);
    }

    [Fact]
    public void User_config_file_overrides_defaults()
    {
        using var sandbox = new ConfigSandbox();
        var db = sandbox.Sub("user-meta", "db.sqlite");
        var values = sandbox.Sub("user-values");
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, $$"""
            {
              "database_url": {{ConfigSandbox.Json(ConfigSandbox.SqliteUrl(db))}},
              "artifact_storage_dir": {{ConfigSandbox.Json(values)}},
              "storage_options": { "region": "eu-west-1" }
            }
            """);

        var resolved = sandbox.Resolve();

        Assert.Equal(ConfigSandbox.SqliteUrl(db), resolved.DatabaseUrl);
        Assert.Equal(SettingSource.UserConfig, resolved.DatabaseUrlSource);
        Assert.Equal(values, resolved.ArtifactStorageDir);
        Assert.Equal(SettingSource.UserConfig, resolved.ArtifactStorageDirSource);
        Assert.Equal("eu-west-1", resolved.StorageOptions["region"]);
        Assert.Equal(SettingSource.UserConfig, resolved.StorageOptionsSource);
    }

    [Fact]
    public void Project_config_overrides_user_config_file()
    {
        using var sandbox = new ConfigSandbox();
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, $$"""
            {
              "database_url": {{ConfigSandbox.Json(ConfigSandbox.SqliteUrl(sandbox.Sub("user.sqlite")))}},
              "artifact_storage_dir": {{ConfigSandbox.Json(sandbox.Sub("user-values"))}},
              "storage_options": { "region": "eu-west-1" }
            }
            """);
        var project = new ConfigLayer(
            SettingSource.ProjectConfig,
            sandbox.Sub("project"),
            ConfigSandbox.SqliteUrl(sandbox.Sub("project.sqlite")),
            sandbox.Sub("project-values"),
            new Dictionary<string, string> { ["profile"] = "team" });

        var resolved = sandbox.Resolve(projectConfig: project);

        Assert.Equal(ConfigSandbox.SqliteUrl(sandbox.Sub("project.sqlite")), resolved.DatabaseUrl);
        Assert.Equal(SettingSource.ProjectConfig, resolved.DatabaseUrlSource);
        Assert.Equal(sandbox.Sub("project-values"), resolved.ArtifactStorageDir);
        Assert.Equal(SettingSource.ProjectConfig, resolved.ArtifactStorageDirSource);
        Assert.Equal("team", resolved.StorageOptions["profile"]);
        Assert.Equal(SettingSource.ProjectConfig, resolved.StorageOptionsSource);
    }

    [Fact]
    public void Environment_overrides_project_config_and_user_config_file()
    {
        using var sandbox = new ConfigSandbox();
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, $$"""
            { "database_url": {{ConfigSandbox.Json(ConfigSandbox.SqliteUrl(sandbox.Sub("user.sqlite")))}},
              "artifact_storage_dir": {{ConfigSandbox.Json(sandbox.Sub("user-values"))}} }
            """);
        var project = new ConfigLayer(SettingSource.ProjectConfig, sandbox.Sub("project"),
            ConfigSandbox.SqliteUrl(sandbox.Sub("project.sqlite")), sandbox.Sub("project-values"));
        sandbox
            .Set(OptionsResolver.DatabaseUrlVariable, ConfigSandbox.SqliteUrl(sandbox.Sub("env.sqlite")))
            .Set(OptionsResolver.ArtifactStorageDirVariable, sandbox.Sub("env-values"));

        var resolved = sandbox.Resolve(projectConfig: project);

        Assert.Equal(ConfigSandbox.SqliteUrl(sandbox.Sub("env.sqlite")), resolved.DatabaseUrl);
        Assert.Equal(SettingSource.Environment, resolved.DatabaseUrlSource);
        Assert.Equal(sandbox.Sub("env-values"), resolved.ArtifactStorageDir);
        Assert.Equal(SettingSource.Environment, resolved.ArtifactStorageDirSource);
    }

    [Fact]
    public void Explicit_options_override_environment()
    {
        using var sandbox = new ConfigSandbox();
        sandbox
            .Set(OptionsResolver.HomeVariable, sandbox.Sub("env-home"))
            .Set(OptionsResolver.DatabaseUrlVariable, ConfigSandbox.SqliteUrl(sandbox.Sub("env.sqlite")))
            .Set(OptionsResolver.ArtifactStorageDirVariable, sandbox.Sub("env-values"));
        var options = new LineageOptions
        {
            Home = sandbox.Sub("code-home"),
            DatabaseUrl = ConfigSandbox.SqliteUrl(sandbox.Sub("code.sqlite")),
            ArtifactStorageDir = sandbox.Sub("code-values"),
        };
        options.StorageOptions["profile"] = "code";

        var resolved = sandbox.Resolve(options);

        Assert.Equal(sandbox.Sub("code-home"), resolved.Home);
        Assert.Equal(SettingSource.Explicit, resolved.HomeSource);
        Assert.Equal(ConfigSandbox.SqliteUrl(sandbox.Sub("code.sqlite")), resolved.DatabaseUrl);
        Assert.Equal(SettingSource.Explicit, resolved.DatabaseUrlSource);
        Assert.Equal(sandbox.Sub("code-values"), resolved.ArtifactStorageDir);
        Assert.Equal(SettingSource.Explicit, resolved.ArtifactStorageDirSource);
        Assert.Equal("code", resolved.StorageOptions["profile"]);
        Assert.Equal(SettingSource.Explicit, resolved.StorageOptionsSource);
    }

    [Fact]
    public void Each_setting_comes_from_its_own_highest_level()
    {
        using var sandbox = new ConfigSandbox();
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, """{ "storage_options": { "region": "us-east-2" } }""");
        var project = new ConfigLayer(SettingSource.ProjectConfig, sandbox.Sub("project"),
            ArtifactStorageDir: sandbox.Sub("project-values"));
        sandbox.Set(OptionsResolver.DatabaseUrlVariable, ConfigSandbox.SqliteUrl(sandbox.Sub("env.sqlite")));

        var resolved = sandbox.Resolve(new LineageOptions(), project);

        Assert.Equal(SettingSource.Default, resolved.HomeSource);
        Assert.Equal(SettingSource.Environment, resolved.DatabaseUrlSource);
        Assert.Equal(SettingSource.ProjectConfig, resolved.ArtifactStorageDirSource);
        Assert.Equal(SettingSource.UserConfig, resolved.StorageOptionsSource);
        Assert.Equal("us-east-2", resolved.StorageOptions["region"]);
    }

    [Fact]
    public void Explicit_storage_options_replace_config_file_storage_options_as_a_whole()
    {
        using var sandbox = new ConfigSandbox();
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, """{ "storage_options": { "profile": "file", "region": "us-east-2" } }""");
        var options = new LineageOptions { StorageOptions = new Dictionary<string, string> { ["region"] = "eu-north-1" } };

        var resolved = sandbox.Resolve(options);

        Assert.Equal(SettingSource.Explicit, resolved.StorageOptionsSource);
        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu-north-1" }, resolved.StorageOptions);
    }

    [Fact]
    public void Empty_environment_variables_count_as_unset()
    {
        using var sandbox = new ConfigSandbox();
        sandbox
            .Set(OptionsResolver.HomeVariable, "")
            .Set(OptionsResolver.DatabaseUrlVariable, "  ")
            .Set(OptionsResolver.ArtifactStorageDirVariable, "");

        var resolved = sandbox.Resolve();

        Assert.Equal(SettingSource.Default, resolved.HomeSource);
        Assert.Equal(SettingSource.Default, resolved.DatabaseUrlSource);
        Assert.Equal(SettingSource.Default, resolved.ArtifactStorageDirSource);
    }

    [Fact]
    public void LINEAGE_HOME_moves_home_and_the_user_config_file_it_reads()
    {
        using var sandbox = new ConfigSandbox();
        var envHome = sandbox.Sub("env-home");
        var configPath = ConfigSandbox.WriteConfig(envHome, $$"""{ "artifact_storage_dir": {{ConfigSandbox.Json(sandbox.Sub("from-env-home-config"))}} }""");
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, $$"""{ "artifact_storage_dir": {{ConfigSandbox.Json(sandbox.Sub("from-default-home-config"))}} }""");
        sandbox.Set(OptionsResolver.HomeVariable, envHome);

        var resolved = sandbox.Resolve();

        Assert.Equal(envHome, resolved.Home);
        Assert.Equal(SettingSource.Environment, resolved.HomeSource);
        Assert.Equal(configPath, resolved.UserConfigPath);
        Assert.Equal(sandbox.Sub("from-env-home-config"), resolved.ArtifactStorageDir);
        Assert.Equal(SettingSource.UserConfig, resolved.ArtifactStorageDirSource);
        Assert.Equal(ConfigSandbox.SqliteUrl(Path.Combine(envHome, "db.sqlite")), resolved.DatabaseUrl);
    }

    [Fact]
    public void Explicit_home_beats_LINEAGE_HOME_including_which_config_file_is_read()
    {
        using var sandbox = new ConfigSandbox();
        var envHome = sandbox.Sub("env-home");
        var codeHome = sandbox.Sub("code-home");
        ConfigSandbox.WriteConfig(envHome, """{ "storage_options": { "profile": "env-home" } }""");
        ConfigSandbox.WriteConfig(codeHome, """{ "storage_options": { "profile": "code-home" } }""");
        sandbox.Set(OptionsResolver.HomeVariable, envHome);

        var resolved = sandbox.Resolve(new LineageOptions { Home = codeHome });

        Assert.Equal(codeHome, resolved.Home);
        Assert.Equal(SettingSource.Explicit, resolved.HomeSource);
        Assert.Equal("code-home", resolved.StorageOptions["profile"]);
        Assert.Equal(Path.Combine(codeHome, "artifacts"), resolved.ArtifactStorageDir);
    }
}
