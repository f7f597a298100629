using Lineage.Tests.Backends;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Migration;

/// <summary>A migration killed halfway and run again finishes without duplicating or losing anything.</summary>
public sealed class InterruptedMigrationTests(PostgresServer postgres, S3Server s3)
{
    private const int Artifacts = 12;
    private const int BatchSize = 4;

    public static TheoryData<Backend> Required => new(
        Backend.SqliteLocal, new Backend(MetadataBackend.Postgres, ValueBackend.S3), new Backend(MetadataBackend.Sqlite, ValueBackend.Azure));

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_migration_killed_between_two_batches_finishes_when_run_again(Backend backend)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var destinationRoot = await environment.NewRootAsync();
        var saved = new List<(ArtifactRecord Record, string Content)>();
        await using (var store = environment.Open())
        {
            for (var i = 0; i < Artifacts; i++)
            {
                var content = $"value {i} " + new string('x', i * 100);
                saved.Add((await store.SaveAsync($"item-{i % 3}", content, cancellation), content));
            }

            await store.DeleteAsync("item-0", 1, cancellationToken: cancellation);
            await store.Storages.AddAsync(destinationRoot, cancellationToken: cancellation);
        }

        ProgramRunner.WriteUserConfig(environment.Options());
        var childEnvironment = new Dictionary<string, string> { ["LINEAGE_HOME"] = environment.Home.Path };

        // First run: killed once batch 1 is committed and before batch 2 is.
        using (var child = ProgramRunner.Start("Lineage.SaveWorker", ["migrate", environment.Root, destinationRoot, BatchSize.ToString(), "1"], childEnvironment))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var line = await child.StandardOutput.ReadLineAsync(timeout.Token);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(cancellation);
            Assert.True(line == "batch 1", $"expected 'batch 1', got '{line}': {await child.StandardError.ReadToEndAsync(cancellation)}");
        }

        await using (var store = environment.Open())
        {
            var inSource = await store.Storages.ArtifactsAsync(environment.Root, cancellationToken: cancellation);
            var inDestination = await store.Storages.ArtifactsAsync(destinationRoot, cancellationToken: cancellation);
            Assert.Equal(BatchSize, inDestination.Count);
            Assert.Equal(Artifacts - BatchSize, inSource.Count);
        }

        // Second run: finishes.
        var (exitCode, output, error) = await ProgramRunner.RunAsync("Lineage.SaveWorker", ["migrate", environment.Root, destinationRoot, BatchSize.ToString(), "0"], childEnvironment);
        Assert.True(exitCode == 0, error);
        Assert.Contains($"moved {Artifacts - BatchSize}", output, StringComparison.Ordinal);

        await using (var store = environment.Open())
        {
            Assert.Empty(await store.Storages.ArtifactsAsync(environment.Root, cancellationToken: cancellation));
            var all = await store.ListAllVersionsAsync(branch: null, cancellation);
            Assert.Equal(Artifacts, all.Count);
            Assert.All(all, r => Assert.Equal(destinationRoot, r.StorageRoot));
            await store.RestoreAsync("item-0", 1, cancellation);
            foreach (var (record, content) in saved)
            {
                var moved = await store.GetAsync(record.Name, record.Version, cancellation);
                Assert.Equal(record.Hash, moved.Hash);
                Assert.Equal(content, await store.LoadAsync<string>(record.Name, record.Version, cancellation));
                var check = await store.VerifyAsync(moved, cancellation);
                Assert.Equal(ValueCheckStatus.Ok, check.Status);
            }
        }

        // Nothing was duplicated: the destination holds exactly one file per artifact, besides its marker.
        var entries = await environment.LineageEntriesAsync(destinationRoot);
        Assert.Equal(Artifacts + 1, entries.Count);
    }
}
