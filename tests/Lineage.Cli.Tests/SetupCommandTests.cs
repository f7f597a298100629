using System.Text.Json;

namespace Lineage.Cli.Tests;

/// <summary><c>init</c>, <c>config</c> and <c>doctor</c>.</summary>
public sealed class SetupCommandTests
{
    [Fact]
    public async Task Init_writes_config_json_with_the_home_defaults_and_creates_the_store()
    {
        using var home = new CliHome();

        var result = await home.RunAsync("init");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Wrote {home.Sub("config.json")}", result.Output);
        using var config = JsonDocument.Parse(File.ReadAllText(home.Sub("config.json")));
        Assert.Equal(home.DatabaseUrl, config.RootElement.GetProperty("database_url").GetString());
        Assert.Equal(home.Root, config.RootElement.GetProperty("artifact_storage_dir").GetString());
        Assert.True(File.Exists(home.Sub("db.sqlite")));
        Assert.True(File.Exists(home.Sub("artifacts", ".lineage", "storage.json")));
    }

    [Fact]
    public async Task Init_keeps_an_existing_config_unless_forced_and_writes_the_flags_given()
    {
        using var home = new CliHome();
        Assert.Equal(0, (await home.RunAsync("init")).ExitCode);
        var elsewhere = home.Sub("team-values");

        var refused = await home.RunAsync("init", "--storage", elsewhere, "--database", "sqlite:///" + home.Sub("team.sqlite"));
        var forced = await home.RunAsync("init", "--force", "--storage", elsewhere, "--database", "sqlite:///" + home.Sub("team.sqlite"), "--json");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already exists", refused.Error);
        Assert.Contains("--force", refused.Error);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(elsewhere, forced.Json().GetProperty("artifact_storage_dir").GetString());
        var config = File.ReadAllText(home.Sub("config.json"));
        Assert.Contains(elsewhere, config);
        Assert.Contains("team.sqlite", config);
        Assert.True(File.Exists(home.Sub("team.sqlite")));
        Assert.True(File.Exists(Path.Combine(elsewhere, ".lineage", "storage.json")));
    }

    [Fact]
    public async Task Config_shows_each_setting_with_its_source_and_masks_passwords_and_secrets()
    {
        using var home = new CliHome();
        File.WriteAllText(home.Sub("config.json"), """
            {
              "database_url": "postgresql://lineage:hunter2@db.example:5432/lineage",
              "artifact_storage_dir": "s3://team-artifacts/lineage",
              "storage_options": { "region": "eu-west-1", "key": "AKIAEXAMPLEKEY", "secret": "s3cr3t-value", "session_token": "tok3n" }
            }
            """);

        var text = await home.RunAsync("config");
        var json = await home.RunAsync("config", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("postgresql://lineage:***@db.example:5432/lineage", text.Output);
        Assert.Contains("key=***", text.Output);
        Assert.Contains("secret=***", text.Output);
        Assert.Contains("region=eu-west-1", text.Output);
        Assert.Matches(@"home\s+\S+\s+environment", text.Output);
        Assert.Matches(@"database_url\s+\S+\s+user_config", text.Output);
        foreach (var secret in new[] { "hunter2", "AKIAEXAMPLEKEY", "s3cr3t-value", "tok3n" })
        {
            Assert.DoesNotContain(secret, text.Output + text.Error + json.Output + json.Error);
        }

        Assert.True(json.ExitCode == 0, json.ToString());
        var root = json.Json();
        Assert.Equal(home.Path, root.GetProperty("home").GetProperty("value").GetString());
        Assert.Equal("environment", root.GetProperty("home").GetProperty("source").GetString());
        Assert.Equal("postgresql://lineage:***@db.example:5432/lineage", root.GetProperty("database_url").GetProperty("value").GetString());
        Assert.Equal("user_config", root.GetProperty("database_url").GetProperty("source").GetString());
        Assert.Equal("s3://team-artifacts/lineage", root.GetProperty("artifact_storage_dir").GetProperty("value").GetString());
        var options = root.GetProperty("storage_options").GetProperty("value");
        Assert.Equal("***", options.GetProperty("secret").GetString());
        Assert.Equal("***", options.GetProperty("key").GetString());
        Assert.Equal("***", options.GetProperty("session_token").GetString());
        Assert.Equal("eu-west-1", options.GetProperty("region").GetString());
    }

    [Fact]
    public async Task Config_flags_take_precedence_as_the_explicit_level()
    {
        using var home = new CliHome();

        var result = await home.RunAsync("config", "--json", "--storage", home.Sub("elsewhere"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("explicit", result.Json().GetProperty("artifact_storage_dir").GetProperty("source").GetString());
        Assert.Equal("default", result.Json().GetProperty("database_url").GetProperty("source").GetString());
    }

    [Fact]
    public async Task Doctor_passes_every_check_on_a_fresh_home_and_leaves_no_artifact_behind()
    {
        using var home = new CliHome();

        var text = await home.RunAsync("doctor");
        var json = await home.RunAsync("doctor", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        var lines = text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.All(lines, line => Assert.StartsWith("OK", line, StringComparison.Ordinal));
        Assert.Contains("writable by this instance", text.Output);
        Assert.True(json.Json().GetProperty("ok").GetBoolean());
        Assert.Equal(["config", "database", "storage", "round-trip"], json.Json().GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));
        using var store = home.Open();
        Assert.Empty(store.ListAllVersions(branch: null));
    }

    [Fact]
    public async Task Doctor_fails_and_names_the_owner_when_another_instance_writes_the_root()
    {
        using var owner = new CliHome();
        using (owner.Open())
        {
        }

        using var reader = new CliHome();
        var result = await reader.RunAsync("doctor", "--storage", owner.Root);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches($"FAIL\\s+storage\\s+{owner.Root} is not writable by this instance: it is written by instance '", result.Output);
        Assert.Contains(owner.DatabaseUrl, result.Output);
        Assert.Matches(@"SKIP\s+round-trip", result.Output);
    }

    [Fact]
    public async Task Doctor_reports_an_unreachable_S3_endpoint_as_a_storage_failure_with_the_database_ok()
    {
        using var home = new CliHome();
        var closedPort = ClosedLoopbackPort();
        File.WriteAllText(home.Sub("config.json"), $$"""
            {
              "artifact_storage_dir": "s3://doctor-bucket/team",
              "storage_options": { "endpoint_url": "http://127.0.0.1:{{closedPort}}", "force_path_style": "true", "key": "k", "secret": "s3cr3t-value" }
            }
            """);

        var text = await home.RunAsync("doctor");
        var json = await home.RunAsync("doctor", "--json");

        Assert.True(text.ExitCode == 1, text.ToString());
        Assert.Matches(@"(?m)^OK\s+database\s", text.Output);
        Assert.Matches(@"(?m)^FAIL\s+storage\s+.*s3://doctor-bucket/team", text.Output);
        Assert.Matches(@"(?m)^SKIP\s+round-trip", text.Output);
        Assert.DoesNotContain("s3cr3t-value", text.Output + text.Error, StringComparison.Ordinal);
        var checks = json.Json().GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("status").GetString());
        Assert.Equal("ok", checks["database"]);
        Assert.Equal("fail", checks["storage"]);
    }

    private static int ClosedLoopbackPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
