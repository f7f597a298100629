using System.Text;
using Lineage.Tests.Servers;
using static Lineage.Tests.Storage.StorageSandbox;

namespace Lineage.Tests.Storage;

/// <summary>
/// "What should I do if I want to bulk migrate all artifacts to another storage? Currently, you can only achieve this manually":
/// Lineage does it with <see cref="StorageRegistry.Migrate"/>: copy, verify, re-point, optionally delete the sources.
/// </summary>
public sealed class BulkMigrationTests(PostgresServer postgres, S3Server s3)
{
    private static readonly byte[] LegacyContent = Encoding.UTF8.GetBytes("id,value\n1,legacy\n");

    public static TheoryData<Backend> Required => StorageSandbox.Required;

    /// <summary>
    /// Every route between local and S3 roots on the local and S3 backends, and every route to, from and within Azure on the
    /// Azure one (the metadata database is the same for each route, so crossing them all would test nothing more).
    /// </summary>
    public static TheoryData<Backend, string> Routes
    {
        get
        {
            var data = new TheoryData<Backend, string>();
            foreach (var backend in StorageSandbox.Required.Select(row => row.Data))
            {
                string[] routes = backend.Values == ValueBackend.Azure
                    ? ["local->azure", "azure->local", "s3->azure", "azure->s3", "azure->azure"]
                    : ["local->local", "local->s3", "s3->s3", "s3->local"];
                foreach (var route in routes)
                {
                    data.Add(backend, route);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Bulk_migrate_all_artifacts_to_another_storage(Backend backend, string route)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var kinds = route.Split("->");
        var from = await sandbox.RootAsync(kinds[0]);
        var to = await sandbox.RootAsync(kinds[1]);
        using var store = sandbox.Open(root: from);
        var before = await FillAsync(sandbox, store, from);
        store.Storages.Add(to);

        var dry = store.Storages.Migrate(from, to, new MigrationOptions { DryRun = true });

        Assert.True(dry.DryRun);
        Assert.Equal((5, 0, 0L), (dry.Artifacts, dry.Moved, dry.BytesCopied));
        Assert.Equal(before.Sum(r => r.Size), dry.Bytes);
        Assert.Equal(before.Select(r => r.Uid).Order(StringComparer.Ordinal), dry.Planned.Select(r => r.Uid).Order(StringComparer.Ordinal));
        Assert.All(store.ListAllVersions(null), r => Assert.Equal(from, r.StorageRoot));
        Assert.Equal(["storage.json"], await sandbox.LineageEntriesAsync(to));
        Assert.Null(await sandbox.ReadAsync(to, "legacy/data.csv"));

        var reports = new List<MigrationProgress>();
        var result = store.Storages.Migrate(from, to, new MigrationOptions { BatchSize = 2 }, new ImmediateProgress<MigrationProgress>(reports.Add));

        Assert.Equal((from, to, false, 5, 5), (result.From, result.To, result.DryRun, result.Artifacts, result.Moved));
        Assert.Empty(result.Failures);
        Assert.Equal(before.Sum(r => r.Size), result.BytesCopied);
        var after = store.ListAllVersions(null);
        Assert.Equal(Identity(before), Identity(after));
        Assert.All(after, r => Assert.Equal(to, r.StorageRoot));
        foreach (var record in after)
        {
            Assert.Equal(record.Hash, Sha256((await sandbox.ReadAsync(to, record.Key))!));
            Assert.NotNull(await sandbox.ReadAsync(from, record.Key));
        }

        Assert.Equal("v2", store.Load<string>("model"));
        Assert.Equal("archived", store.Load<string>("notes", 1));
        Assert.Equal(LegacyContent, store.Load<byte[]>("legacy"));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => (byte)i), store.Load<byte[]>("table"));
        store.Restore("model", 1);
        Assert.Equal("v1", store.Load<string>("model", 1));

        Assert.All(reports, p => Assert.Equal((5, before.Sum(r => r.Size)), (p.ArtifactsTotal, p.BytesTotal)));
        Assert.Equal(5, reports.Where(p => p.Current is not null).Select(p => p.Current).Distinct().Count());
        Assert.Equal((5, 3), (reports[^1].ArtifactsDone, reports[^1].BatchesCommitted));

        store.Storages.SetDefault(to);
        store.Storages.Delete(from);
        Assert.Throws<StorageNotFoundException>(() => store.Storages.Get(from));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Bulk_migrate_with_DeleteSource_removes_the_moved_values_but_keeps_in_place_files_unless_asked(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var from = sandbox.Root;
        var to = await sandbox.NewRootAsync();
        using var store = sandbox.Open();
        var before = await FillAsync(sandbox, store, from);
        store.Storages.Add(to);

        var there = store.Storages.Migrate(from, to, new MigrationOptions { DeleteSource = true });

        Assert.Equal(5, there.Moved);
        Assert.Equal(["storage.json"], await sandbox.LineageEntriesAsync(from));
        Assert.Equal(LegacyContent, await sandbox.ReadAsync(from, "legacy/data.csv"));
        Assert.All(store.ListAllVersions(null), r => Assert.Equal(to, r.StorageRoot));
        Assert.Equal("v2", store.Load<string>("model"));

        var back = store.Storages.Migrate(to, from, new MigrationOptions { DeleteSource = true, DeleteInPlaceSources = true });

        Assert.Equal(5, back.Moved);
        Assert.Equal(before.Where(r => r.IsManaged).Sum(r => r.Size), back.BytesCopied);
        Assert.Null(await sandbox.ReadAsync(to, "legacy/data.csv"));
        Assert.Equal(["storage.json"], await sandbox.LineageEntriesAsync(to));
        Assert.Equal(LegacyContent, store.Load<byte[]>("legacy"));
        Assert.All(store.ListAllVersions(null), r => Assert.Equal(from, r.StorageRoot));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_migration_killed_between_two_batches_finishes_when_run_again(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var from = sandbox.Root;
        var to = await sandbox.NewRootAsync();
        using var store = sandbox.Open();
        var before = await FillAsync(sandbox, store, from);
        store.Storages.Add(to);
        var killBetweenBatches = new ImmediateProgress<MigrationProgress>(p =>
        {
            if (p is { Current: null, BatchesCommitted: 1 })
            {
                throw new InvalidOperationException("killed between two batches");
            }
        });

        Assert.Throws<InvalidOperationException>(() => store.Storages.Migrate(from, to, new MigrationOptions { BatchSize = 2 }, killBetweenBatches));
        var halfway = store.ListAllVersions(null);
        var resumed = store.Storages.Migrate(from, to, new MigrationOptions { BatchSize = 2 });

        Assert.Equal(2, halfway.Count(r => r.StorageRoot == to));
        Assert.Equal(3, halfway.Count(r => r.StorageRoot == from));
        Assert.Equal((3, 3), (resumed.Artifacts, resumed.Moved));
        Assert.Empty(resumed.Failures);
        await AssertAllMovedAsync(sandbox, store, before, to);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_migration_killed_inside_a_batch_reuses_the_verified_copies_when_run_again(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var from = sandbox.Root;
        var to = await sandbox.NewRootAsync();
        using var store = sandbox.Open();
        var before = await FillAsync(sandbox, store, from);
        store.Storages.Add(to);
        var copied = new List<string>();
        var killAfterThirdCopy = new ImmediateProgress<MigrationProgress>(p =>
        {
            // Only the report that finishes an artifact: reports during its copy name it too.
            if (p.Current is { } current && p.ArtifactsDone > copied.Count)
            {
                copied.Add(current);
                if (copied.Count == 3)
                {
                    throw new InvalidOperationException("killed after copying, before re-pointing");
                }
            }
        });

        Assert.Throws<InvalidOperationException>(() => store.Storages.Migrate(from, to, new MigrationOptions { BatchSize = 2 }, killAfterThirdCopy));
        var resumed = store.Storages.Migrate(from, to, new MigrationOptions { BatchSize = 2 });

        var copiedButNotSwitched = before.Single(r => $"{r.Name}@{r.Version}" == copied[2]);
        var stillInSource = before.Where(r => !copied.Take(2).Contains($"{r.Name}@{r.Version}")).ToList();
        Assert.Equal((3, 3), (resumed.Artifacts, resumed.Moved));
        Assert.Equal(stillInSource.Sum(r => r.Size) - copiedButNotSwitched.Size, resumed.BytesCopied);
        await AssertAllMovedAsync(sandbox, store, before, to);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task An_artifact_whose_value_fails_verification_stays_behind_and_is_reported(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var from = sandbox.Root;
        var to = await sandbox.NewRootAsync();
        using var store = sandbox.Open();
        var good = store.Save("good", "fine");
        var broken = store.Save("broken", "about to vanish");
        await sandbox.DeleteAsync(from, broken.Key);
        store.Storages.Add(to);

        var result = store.Storages.Migrate(from, to);

        Assert.Equal((2, 1), (result.Artifacts, result.Moved));
        var failure = Assert.Single(result.Failures);
        Assert.Equal(("broken", 1), (failure.Name, failure.Version));
        Assert.Contains("missing", failure.Problem, StringComparison.Ordinal);
        Assert.Equal(from, store.Get("broken").StorageRoot);
        Assert.Equal(to, store.Get("good").StorageRoot);
        Assert.Equal("fine", store.Load<string>("good"));
        Assert.Null(await sandbox.ReadAsync(to, broken.Key));
        Assert.NotNull(await sandbox.ReadAsync(to, good.Key));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_migration_never_overwrites_a_different_file_at_an_in_place_key(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var from = sandbox.Root;
        var to = await sandbox.NewRootAsync();
        await sandbox.WriteAsync(from, "legacy/data.csv", LegacyContent);
        await sandbox.WriteAsync(to, "legacy/data.csv", "someone else's file");
        using var store = sandbox.Open();
        store.Register(PathUnder(from, "legacy/data.csv"), "legacy");
        store.Storages.Add(to);

        var result = store.Storages.Migrate(from, to);

        Assert.Equal(0, result.Moved);
        Assert.Contains("does not overwrite", Assert.Single(result.Failures).Problem, StringComparison.Ordinal);
        Assert.Equal("someone else's file", Encoding.UTF8.GetString((await sandbox.ReadAsync(to, "legacy/data.csv"))!));
        Assert.Equal(from, store.Get("legacy").StorageRoot);
        Assert.Equal(LegacyContent, store.Load<byte[]>("legacy"));
    }

    /// <summary>
    /// Saves into <paramref name="root"/> (the store's default): model v1 (trashed) and v2, table v1 (1000 bytes), notes v1 (archived),
    /// and legacy v1, a file registered in place. Returns every version.
    /// </summary>
    private static async Task<IReadOnlyList<ArtifactRecord>> FillAsync(StorageSandbox sandbox, ArtifactStore store, string root)
    {
        store.Save("model", "v1");
        store.Save("model", "v2");
        store.Save("table", Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray());
        store.Save("notes", "archived");
        store.Delete("model", 1);
        store.Archive("notes", 1);
        await sandbox.WriteAsync(root, "legacy/data.csv", LegacyContent);
        store.Register(PathUnder(root, "legacy/data.csv"), "legacy");
        var all = store.ListAllVersions(null);
        Assert.Equal(5, all.Count);
        Assert.All(all, r => Assert.Equal(root, r.StorageRoot));
        return all;
    }

    private static IEnumerable<(string, string, int, ArtifactBranch, string, string, bool)> Identity(IEnumerable<ArtifactRecord> records) =>
        records.Select(r => (r.Uid, r.Name, r.Version, r.Branch, r.Key, r.Hash, r.IsManaged)).Order();

    /// <summary>Every version of <paramref name="before"/> is there once, points at <paramref name="to"/>, and its value there matches its hash; no value is duplicated.</summary>
    private static async Task AssertAllMovedAsync(StorageSandbox sandbox, ArtifactStore store, IReadOnlyList<ArtifactRecord> before, string to)
    {
        var after = store.ListAllVersions(null);
        Assert.Equal(Identity(before), Identity(after));
        Assert.All(after, r => Assert.Equal(to, r.StorageRoot));
        foreach (var record in after)
        {
            Assert.Equal(record.Hash, Sha256((await sandbox.ReadAsync(to, record.Key))!));
        }

        Assert.Equal(after.Count(r => r.IsManaged) + 1, (await sandbox.LineageEntriesAsync(to)).Count);
        Assert.Equal("v2", store.Load<string>("model"));
        Assert.Equal(LegacyContent, store.Load<byte[]>("legacy"));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Migration_progress_counts_the_bytes_of_a_large_value_while_it_is_copied(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var to = await sandbox.NewRootAsync();
        using var store = sandbox.Open();
        var big = store.Save("big", Enumerable.Range(0, 8 << 20).Select(i => (byte)(i * 7)).ToArray());
        store.Storages.Add(to);
        var reports = new List<MigrationProgress>();

        var result = await store.Storages.MigrateAsync(sandbox.Root, to, progress: new ImmediateProgress<MigrationProgress>(reports.Add), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Moved);
        var during = reports.Where(p => p.BytesDone > 0 && p.BytesDone < big.Size).ToList();
        Assert.True(during.Count >= 4, $"expected the bar to move within the value, got {string.Join(", ", reports.Select(p => p.BytesDone))}");
        Assert.All(during, p => Assert.Equal(("big@1", 0), (p.Current, p.ArtifactsDone)));
        Assert.Equal(reports.Select(p => p.BytesDone).Order(), reports.Select(p => p.BytesDone));
        Assert.Equal(big.Size, reports[^1].BytesDone);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Verify_with_progress_reports_the_bytes_of_a_large_value_as_they_are_read(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        using var store = sandbox.Open();
        var big = store.Save("big", Enumerable.Range(0, 8 << 20).Select(i => (byte)(i * 3)).ToArray());
        var chunks = new List<long>();

        var check = await store.VerifyAsync(big, new ImmediateProgress<long>(chunks.Add), TestContext.Current.CancellationToken);

        Assert.Equal(ValueCheckStatus.Ok, check.Status);
        Assert.True(chunks.Count >= 4, $"expected several reports within the value, got {chunks.Count}");
        Assert.Equal(big.Size, chunks.Sum());
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_dry_run_to_an_unregistered_target_plans_without_registering_it_or_writing_a_marker(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var to = await sandbox.NewRootAsync();
        using var store = sandbox.Open();
        store.Save("a", "first");
        var options = new MigrationOptions { DryRun = true, RegisterDestination = true };

        var dry = store.Storages.Migrate(sandbox.Root, to, options);

        Assert.Equal((true, 1, 0, true), (dry.DryRun, dry.Artifacts, dry.Moved, dry.DestinationIsNew));
        Assert.Single(dry.Planned);
        Assert.Throws<StorageNotFoundException>(() => store.Storages.Get(to));
        Assert.Null(await sandbox.MarkerOwnerAsync(to));
        var nested = Assert.Throws<LineageConfigurationException>(() => store.Storages.Migrate(sandbox.Root, PathUnder(sandbox.Root, "inner"), options));
        Assert.Contains("nested inside", nested.Message, StringComparison.Ordinal);
        await sandbox.WriteMarkerAsync(to, "other-instance", "elsewhere");
        var foreign = Assert.Throws<ReadOnlyStorageException>(() => store.Storages.Migrate(sandbox.Root, to, options));
        Assert.Contains($"the migration target '{to}' is written by instance 'other-instance'", foreign.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("artifact_storage_dir", foreign.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_migration_into_a_target_it_cannot_write_leaves_no_registration_behind(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var to = await sandbox.NewRootAsync();
        using var store = sandbox.Open();
        store.Save("a", "first");
        await sandbox.WriteMarkerAsync(to, "other-instance", "elsewhere");

        var refused = Assert.Throws<ReadOnlyStorageException>(() => store.Storages.Migrate(sandbox.Root, to, new MigrationOptions { RegisterDestination = true }));

        Assert.Contains("migration target", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(store.Storages.List(), s => s.Root == to);
        Assert.All(store.ListAllVersions(null), r => Assert.Equal(sandbox.Root, r.StorageRoot));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_migration_that_moves_nothing_into_a_target_it_registered_unregisters_it_again(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var to = await sandbox.NewRootAsync();
        using var store = sandbox.Open();
        var record = store.Save("a", "first");
        await sandbox.DeleteAsync(sandbox.Root, record.Key);

        var result = store.Storages.Migrate(sandbox.Root, to, new MigrationOptions { RegisterDestination = true });

        Assert.Equal((0, 1, true, true), (result.Moved, result.Failures.Count, result.DestinationIsNew, result.DestinationUnregistered));
        Assert.DoesNotContain(store.Storages.List(), s => s.Root == to);
        Assert.Null(await sandbox.MarkerOwnerAsync(to));
    }

    [Fact]
    public async Task Errors_about_a_migration_target_name_it_as_the_target_not_as_artifact_storage_dir()
    {
        await using var sandbox = await CreateAsync(Backend.SqliteLocal, postgres, s3);
        using var store = sandbox.Open();

        var badScheme = Assert.Throws<LineageConfigurationException>(() => store.Storages.Migrate(sandbox.Root, "ftp://host/x", new MigrationOptions { RegisterDestination = true }));
        var badBucket = Assert.Throws<LineageConfigurationException>(() => store.Storages.Migrate(sandbox.Root, "s3://Bad_Bucket/x", new MigrationOptions { RegisterDestination = true }));
        var badRoot = Assert.Throws<LineageConfigurationException>(() => store.Storages.Add("s3://bucket/a//b"));

        Assert.StartsWith("migration target 'ftp://host/x' uses the unsupported scheme", badScheme.Message, StringComparison.Ordinal);
        Assert.StartsWith("migration target 's3://Bad_Bucket/x' names an invalid S3 bucket", badBucket.Message, StringComparison.Ordinal);
        Assert.StartsWith("storage root 's3://bucket/a//b' has an empty segment", badRoot.Message, StringComparison.Ordinal);
    }
}
