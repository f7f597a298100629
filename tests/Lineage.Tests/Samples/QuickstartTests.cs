using System.Diagnostics;
using Lineage.Tests.Backends;
using Lineage.Tests.Servers;
using Microsoft.Data.Sqlite;

namespace Lineage.Tests.Samples;

/// <summary>Runs the real quickstart program, as a newcomer would: on a home with nothing configured, and on a team's PostgreSQL + S3.</summary>
public sealed class QuickstartTests(PostgresServer postgres, S3Server s3)
{
    [Fact]
    public async Task Quickstart_runs_on_PostgreSQL_and_S3_when_their_settings_are_given()
    {
        await using var environment = await BackendEnvironment.CreateAsync(new Backend(MetadataBackend.Postgres, ValueBackend.S3), postgres, s3);
        // As the README says: URLs in the environment, S3 endpoint and credentials in the user config file.
        var options = environment.Options();
        options.DatabaseUrl = null;
        options.ArtifactStorageDir = null;
        ProgramRunner.WriteUserConfig(options);
        var settings = new Dictionary<string, string>
        {
            ["LINEAGE_HOME"] = environment.Home.Path,
            ["LINEAGE_DATABASE_URL"] = environment.DatabaseUrl,
            ["LINEAGE_ARTIFACT_STORAGE_DIR"] = environment.Root,
        };

        var (exitCode, output, error) = await ProgramRunner.RunAsync("Quickstart", [], settings);

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("Store: metadata postgresql://lineage:***@127.0.0.1:", output);
        Assert.Contains($"values   {environment.Root}", output);
        Assert.Contains("Loaded iris-weights v1:  [0.12, -0.5, 1.25, 0.03]", output);
        Assert.DoesNotContain(PostgresServer.Password, output + error);
        Assert.Equal(6L, await environment.ArtifactRowCountAsync());
        Assert.Equal(7, (await environment.LineageEntriesAsync()).Count);
    }

    [Fact]
    public async Task Quickstart_runs_on_an_unconfigured_home_and_leaves_its_data_there()
    {
        using var home = new TestHome();
        var lineageHome = home.Sub("fresh", ".lineage");

        var first = await RunQuickstartAsync(lineageHome);
        var second = await RunQuickstartAsync(lineageHome);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Saved iris-weights v1 and v2", first.Output);
        Assert.Contains("Loaded iris-weights v1:  [0.12, -0.5, 1.25, 0.03]", first.Output);
        Assert.Contains("Restored it; live versions now: v1, v2", first.Output);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("Saved iris-weights v3 and v4", second.Output);

        Assert.True(File.Exists(Path.Combine(lineageHome, "db.sqlite")));
        Assert.True(File.Exists(Path.Combine(lineageHome, "artifacts", ".lineage", "storage.json")));
        using var connection = new SqliteConnection($"Data Source={Path.Combine(lineageHome, "db.sqlite")};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*), COUNT(DISTINCT key) FROM artifacts";
        using var reader = count.ExecuteReader();
        reader.Read();
        var (rows, keys) = (reader.GetInt32(0), reader.GetInt32(1));
        Assert.Equal(12, rows);
        // The second run saves the same bytes as the first: those versions share one stored value each (deduplication).
        Assert.True(keys < rows, $"{keys} values for {rows} versions");
        var values = Directory.GetFiles(Path.Combine(lineageHome, "artifacts", ".lineage")).Count(f => !f.EndsWith("storage.json", StringComparison.Ordinal));
        Assert.Equal(keys, values);
    }

    private static async Task<(int ExitCode, string Output)> RunQuickstartAsync(string lineageHome)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Quickstart.dll"));
        start.Environment["LINEAGE_HOME"] = lineageHome;
        start.Environment.Remove("LINEAGE_DATABASE_URL");
        start.Environment.Remove("LINEAGE_ARTIFACT_STORAGE_DIR");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }
}
