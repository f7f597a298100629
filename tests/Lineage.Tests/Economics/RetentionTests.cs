using Lineage.Tests.Servers;

namespace Lineage.Tests.Economics;

/// <summary>Prune moves old versions to the trash, never aliased ones nor the inputs of what stays; emptying the trash frees their values.</summary>
public sealed class RetentionTests(PostgresServer postgres, S3Server s3)
{
    private static byte[] Bytes(int seed, int length = 1000)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Keep_last_trashes_older_versions_but_never_an_aliased_one_or_an_input_of_a_kept_version(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        for (var i = 1; i <= 3; i++)
        {
            store.Save("features", new[] { i });
        }

        for (var i = 1; i <= 4; i++)
        {
            store.Save("model", i);
        }

        store.Aliases.Set("model", "production", 1);
        using (store.Runs.Start("train"))
        {
            store.Save("model", store.Load<int[]>("features@1")[0] + 100);
        }

        var result = store.Prune(new RetentionPolicy { KeepLast = 1 });

        Assert.False(result.DryRun);
        Assert.Equal(["features@2", "model@2", "model@3", "model@4"], result.Removed.Select(r => $"{r.Name}@{r.Version}"));
        Assert.Equal(["features@1", "model@1"], result.Protected.Select(r => $"{r.Name}@{r.Version}"));
        Assert.Empty(result.EmptiedNames);
        Assert.Equal([1, 3], store.Versions("features").Select(v => v.Version));
        Assert.Equal([1, 5], store.Versions("model").Select(v => v.Version));
        Assert.Equal(["features@1"], store.Lineage.Inputs("model@5").Select(i => i.ToString()));
        Assert.Equal(4, store.Trash().Count);
        Assert.All(store.Trash(), r => Assert.NotNull(r.TrashedAt));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_dry_run_changes_nothing_and_counts_a_shared_value_once_and_only_when_nothing_kept_shares_it(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("data", Bytes(1));
        store.Save("data", Bytes(1));
        store.Save("data", Bytes(2, 500));
        store.Save("data", Bytes(3, 700));
        store.Save("other", Bytes(2, 500));

        var dry = store.Prune(new RetentionPolicy { KeepLast = 1 }, "data", dryRun: true);

        Assert.True(dry.DryRun);
        Assert.Equal([1, 2, 3], dry.Removed.Select(r => r.Version));
        Assert.Equal(1000, dry.BytesFreed);
        Assert.Equal(4, store.Versions("data").Count);
        Assert.Empty(store.Trash());

        var real = store.Prune(new RetentionPolicy { KeepLast = 1 }, "data");
        var emptied = store.EmptyTrash();

        Assert.Equal(dry.Removed.Select(r => r.Uid), real.Removed.Select(r => r.Uid));
        Assert.Equal((3, 1000L), (emptied.Deleted.Count, emptied.BytesFreed));
        Assert.Equal(Bytes(2, 500), store.Load<byte[]>("other"));
        Assert.Equal(Bytes(3, 700), store.Load<byte[]>("data"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Older_than_alone_may_remove_every_version_of_a_name_and_says_so(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("scratch", 1);
        store.Save("scratch", 2);
        await Task.Delay(20, TestContext.Current.CancellationToken);

        var dry = store.Prune(new RetentionPolicy { OlderThan = TimeSpan.FromMilliseconds(10) }, "scratch", dryRun: true);
        var young = store.Prune(new RetentionPolicy { OlderThan = TimeSpan.FromDays(1) }, "scratch");

        Assert.Equal(["scratch"], dry.EmptiedNames);
        Assert.Equal(2, dry.Removed.Count);
        Assert.Empty(young.Removed);
        Assert.Equal(2, store.Versions("scratch").Count);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Bad_policies_and_unknown_names_are_refused_with_what_to_give(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("model", 1);

        Assert.Contains("KeepLast must be 1 or more", Assert.Throws<ArgumentOutOfRangeException>(() => store.Prune(new RetentionPolicy { KeepLast = 0 })).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Prune(new RetentionPolicy { KeepLast = -2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Prune(new RetentionPolicy { OlderThan = TimeSpan.Zero }));
        Assert.Contains("needs KeepLast, OlderThan", Assert.Throws<ArgumentException>(() => store.Prune(new RetentionPolicy())).Message, StringComparison.Ordinal);
        Assert.Contains("No artifact named 'nope'", Assert.Throws<ArtifactNotFoundException>(() => store.Prune(new RetentionPolicy { KeepLast = 1 }, "nope")).Message, StringComparison.Ordinal);
        Assert.Single(store.Versions("model"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Emptying_the_trash_keeps_what_was_trashed_recently_and_usage_shows_what_dedup_saved(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("a", Bytes(4));
        store.Save("b", Bytes(4));
        store.Save("b", Bytes(5, 300));
        store.Delete("b", 2);

        var usage = store.Usage();
        var recent = store.EmptyTrash(TimeSpan.FromDays(7));

        var root = Assert.Single(usage.Roots);
        Assert.Equal((3, 1300L, 2300L, 1000L), (root.Versions, root.StoredBytes, root.LogicalBytes, root.SavedBytes));
        Assert.Equal([("a", 1, 1000L, 0L), ("b", 2, 1300L, 300L)], usage.Names.Select(n => (n.Name, n.Versions, n.Bytes, n.TrashBytes)));
        Assert.Empty(recent.Deleted);
        Assert.Single(store.Trash());

        var all = store.EmptyTrash();

        Assert.Equal((1, 300L), (all.Deleted.Count, all.BytesFreed));
        Assert.Empty(store.Trash());
        Assert.Equal(2000L, Assert.Single(store.Usage().Roots).LogicalBytes);
    }
}
