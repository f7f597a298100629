using Lineage.Configuration;

namespace Lineage.Tests.Configuration;

/// <summary>storage_options: from code and config files only, known keys only, secrets never shown.</summary>
public sealed class StorageOptionsTests
{
    [Fact]
    public void Storage_options_never_come_from_environment_variables()
    {
        using var sandbox = new ConfigSandbox();
        sandbox
            .Set("LINEAGE_STORAGE_OPTIONS", """{"region": "eu-west-1", "profile": "env"}""")
            .Set("LINEAGE_STORAGE_OPTIONS_REGION", "eu-west-1")
            .Set("LINEAGE_REGION", "eu-west-1")
            .Set("LINEAGE_PROFILE", "env");

        var resolved = sandbox.Resolve();

        Assert.Empty(resolved.StorageOptions);
        Assert.Equal(SettingSource.Default, resolved.StorageOptionsSource);
    }

    [Fact]
    public void Unknown_explicit_storage_option_is_an_error_suggesting_the_nearest_key()
    {
        using var sandbox = new ConfigSandbox();
        var options = new LineageOptions();
        options.StorageOptions["regoin"] = "eu-west-1";

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve(options));

        Assert.Contains("'regoin'", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'region'", error.Message, StringComparison.Ordinal);
        Assert.Contains("the storage options of the LineageOptions given in code", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Explicit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_storage_option_error_does_not_show_its_value()
    {
        using var sandbox = new ConfigSandbox();
        var options = new LineageOptions();
        options.StorageOptions["secrte"] = "hunter2";

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve(options));

        Assert.Contains("did you mean 'secret'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_storage_option_in_the_config_file_names_the_file_and_the_nearest_key()
    {
        using var sandbox = new ConfigSandbox();
        var path = ConfigSandbox.WriteConfig(sandbox.DefaultHome, """{ "storage_options": { "profil": "team" } }""");

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve());

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'profile'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_storage_option_in_the_project_config_is_an_error()
    {
        using var sandbox = new ConfigSandbox();
        var project = new ConfigLayer(SettingSource.ProjectConfig, sandbox.Sub("project"),
            StorageOptions: new Dictionary<string, string> { ["endpoint"] = "http://127.0.0.1:9000" });

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve(projectConfig: project));

        Assert.Contains("did you mean 'endpoint_url'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_masks_secret_storage_options_but_shows_profile_and_region()
    {
        using var sandbox = new ConfigSandbox();
        var options = new LineageOptions
        {
            StorageOptions = new Dictionary<string, string>
            {
                ["profile"] = "analytics",
                ["region"] = "eu-west-1",
                ["key"] = "AKIAEXAMPLEKEYVALUE",
                ["secret"] = "wJalrXUtnFEMIsecretvalue",
                ["session_token"] = "FwoGZXIvYXdzEtokenvalue",
            },
        };

        var text = sandbox.Resolve(options).ToString();

        Assert.Contains("profile=analytics", text, StringComparison.Ordinal);
        Assert.Contains("region=eu-west-1", text, StringComparison.Ordinal);
        Assert.Contains("key=***", text, StringComparison.Ordinal);
        Assert.Contains("secret=***", text, StringComparison.Ordinal);
        Assert.Contains("session_token=***", text, StringComparison.Ordinal);
        Assert.DoesNotContain("AKIAEXAMPLEKEYVALUE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("wJalrXUtnFEMIsecretvalue", text, StringComparison.Ordinal);
        Assert.DoesNotContain("FwoGZXIvYXdzEtokenvalue", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Assigning_storage_options_copies_the_entries()
    {
        using var sandbox = new ConfigSandbox();
        var source = new Dictionary<string, string> { ["region"] = "eu-west-1" };
        var options = new LineageOptions { StorageOptions = source };

        source["region"] = "us-east-1";
        source["bogus"] = "ignored";
        var resolved = sandbox.Resolve(options);

        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu-west-1" }, resolved.StorageOptions);
    }
}
