using System.Globalization;
using System.Security.Cryptography;
using Lineage.Tests.Backends;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Reliability;

/// <summary>
/// A saving process killed (SIGKILL) at random points, again and again, on one store: every save it acknowledged
/// loads and verifies, every row has its value, and gc leaves exactly the referenced values behind.
/// </summary>
/// <remarks>
/// CI runs <see cref="DefaultKills"/> kills per backend; set <c>LINEAGE_CRASH_KILLS</c> (and <c>LINEAGE_CRASH_SEED</c>
/// to replay a run) for a longer soak, e.g. <c>LINEAGE_CRASH_KILLS=500 dotnet test --project tests/Lineage.Tests -- --filter-class "Lineage.Tests.Reliability.CrashTests"</c>.
/// </remarks>
public sealed class CrashTests(PostgresServer postgres, S3Server s3)
{
    private const int DefaultKills = 10;
    private const string Name = "crash-loop";

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Killing_a_saving_process_at_random_points_loses_no_acknowledged_save_and_leaves_no_row_without_its_value(Backend backend)
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("LINEAGE_CRASH_KILLS"), out var k) ? k : DefaultKills;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LINEAGE_CRASH_SEED"), out var s) ? s : Random.Shared.Next();
        var random = new Random(seed);
        var cancel = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        ProgramRunner.WriteUserConfig(environment.Options());
        var childEnvironment = new Dictionary<string, string> { ["LINEAGE_HOME"] = environment.Home.Path };

        var acknowledged = new Dictionary<int, string>();
        var killedBeforeAnyAcknowledgement = 0;
        for (var kill = 0; kill < kills; kill++)
        {
            using var child = ProgramRunner.Start("Lineage.SaveWorker", ["crash", Name, random.Next().ToString(CultureInfo.InvariantCulture)], childEnvironment);
            var lines = new List<string>();
            var firstLine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            child.OutputDataReceived += (_, e) =>
            {
                if (e.Data is { } line)
                {
                    lock (lines)
                    {
                        lines.Add(line);
                    }

                    firstLine.TrySetResult();
                }
            };
            var errors = child.StandardError.ReadToEndAsync(cancel);
            child.BeginOutputReadLine();

            // One kill in four lands anywhere from the start (opening the store included); the others once saves are flowing.
            if (random.Next(4) == 0)
            {
                await Task.Delay(random.Next(0, 800), cancel);
            }
            else
            {
                await Task.WhenAny(firstLine.Task, child.WaitForExitAsync(cancel), Task.Delay(TimeSpan.FromSeconds(60), cancel));
                await Task.Delay(random.Next(0, 300), cancel);
            }

            if (child.HasExited)
            {
                Assert.Fail($"The worker exited on its own (seed {seed}): {await errors}");
            }

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(cancel);
            child.WaitForExit(); // drains the asynchronous output reader

            lock (lines)
            {
                killedBeforeAnyAcknowledgement += lines.Count == 0 ? 1 : 0;
                foreach (var line in lines)
                {
                    var parts = line.Split(' ');
                    Assert.True(parts.Length == 2 && parts[1].Length == 64, $"Unexpected worker output '{line}' (seed {seed}).");
                    var version = int.Parse(parts[0], CultureInfo.InvariantCulture);
                    Assert.True(acknowledged.TryAdd(version, parts[1]), $"Version {version} was acknowledged twice (seed {seed}).");
                }
            }
        }

        Assert.True(acknowledged.Count > 0, $"No save was acknowledged in {kills} runs (seed {seed}).");
        await using var store = environment.Open();

        // Every acknowledged save is there, with its bytes.
        foreach (var (version, sha) in acknowledged)
        {
            var bytes = await store.LoadAsync<byte[]>(Name, version, cancel);
            Assert.True(sha == Convert.ToHexStringLower(SHA256.HashData(bytes)), $"Version {version} loads other bytes than were saved (seed {seed}).");
        }

        // Every row, acknowledged or not (a kill after the commit, before the print), has its value and verifies.
        var versions = await store.VersionsAsync(Name, cancel);
        foreach (var record in versions)
        {
            await store.LoadAsync<byte[]>(Name, record.Version, cancel);
        }

        Assert.Equal(versions.Count, versions.Select(v => v.Version).Distinct().Count());
        Assert.True(versions.Count >= acknowledged.Count);

        // gc removes what the kills left (temporary files, values without rows) and nothing a row points to.
        await store.FindUnreferencedValuesAsync(TimeSpan.Zero, delete: true, cancel);
        var entries = await environment.LineageEntriesAsync();
        var keys = versions.Select(v => v.Key[".lineage/".Length..]).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(keys.Order(StringComparer.Ordinal), entries.Where(e => e != "storage.json" && !e.StartsWith("pending", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        foreach (var record in versions)
        {
            await store.LoadAsync<byte[]>(Name, record.Version, cancel);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{backend}: {kills} kills (seed {seed}), {killedBeforeAnyAcknowledgement} before any acknowledgement, {acknowledged.Count} acknowledged saves, {versions.Count} rows.");
    }
}
