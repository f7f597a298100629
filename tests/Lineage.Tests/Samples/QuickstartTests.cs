using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Lineage.Tests.Samples;

/// <summary>Runs the real quickstart program, as a newcomer would, on a home with nothing configured.</summary>
public sealed class QuickstartTests
{
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
        count.CommandText = "SELECT COUNT(*) FROM artifacts";
        var rows = Convert.ToInt32(count.ExecuteScalar());
        Assert.Equal(12, rows);
        var values = Directory.GetFiles(Path.Combine(lineageHome, "artifacts", ".lineage")).Count(f => !f.EndsWith("storage.json", StringComparison.Ordinal));
        Assert.Equal(rows, values);
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
