using Lineage.Tests.Backends;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Economics;

/// <summary>
/// Processes that save the same bytes at the same moment and delete their own version permanently right after: every save that
/// points at another's value finds it still there when it loads it back, and nothing is left at the end.
/// </summary>
public sealed class SharedValueRaceTests(PostgresServer postgres, S3Server s3)
{
    private const int Processes = 3;

    /// <summary>Rounds per process; LINEAGE_RACE_ROUNDS runs longer.</summary>
    private static int Rounds => int.TryParse(Environment.GetEnvironmentVariable("LINEAGE_RACE_ROUNDS"), out var rounds) ? rounds : 60;

    public static TheoryData<Backend> Backends => new(
        Backend.SqliteLocal, new Backend(MetadataBackend.Postgres, ValueBackend.Local), new Backend(MetadataBackend.Postgres, ValueBackend.Azure));

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_save_sharing_a_value_that_another_process_deletes_permanently_never_loses_it(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        ProgramRunner.WriteUserConfig(environment.Options());
        var childEnvironment = new Dictionary<string, string> { ["LINEAGE_HOME"] = environment.Home.Path };
        using (environment.Open())
        {
            // Created (and migrated) once, before the workers race to open it.
        }

        var results = await Task.WhenAll(Enumerable.Range(0, Processes)
            .Select(writer => ProgramRunner.RunAsync("Lineage.SaveWorker", ["share", writer.ToString(), Rounds.ToString()], childEnvironment)));

        foreach (var (exitCode, _, error) in results)
        {
            Assert.True(exitCode == 0, error);
        }

        var lines = results.SelectMany(r => r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(Processes * Rounds, lines.Count);
        var shared = lines.Count(l => l == "shared");
        Assert.True(shared > 0, "no save pointed at another's value: the race was not exercised");
        TestContext.Current.SendDiagnosticMessage($"{shared} of {lines.Count} saves shared a value");
        Assert.Equal(["storage.json"], await environment.LineageEntriesAsync());
        Assert.Equal(0L, await environment.ArtifactRowCountAsync());
    }
}
