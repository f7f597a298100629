using Lineage.Tests.Servers;
using static Lineage.Tests.Storage.StorageSandbox;

namespace Lineage.Tests.Storage;

/// <summary>gc looks in every location this instance writes, where interrupted migrations leave their source values.</summary>
public sealed class UnreferencedValuesTests(PostgresServer postgres, S3Server s3)
{
    public static TheoryData<Backend> Required => StorageSandbox.Required;

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Values_a_migration_left_in_a_location_that_is_not_the_default_are_found_and_removed(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var old = await sandbox.NewRootAsync();
        var foreign = await sandbox.NewRootAsync();
        await sandbox.WriteMarkerAsync(foreign, "SomeoneElse1", "sqlite:///elsewhere.sqlite");
        await sandbox.WriteAsync(foreign, ".lineage/theirs.mpk", "belongs to another instance");
        using var store = sandbox.Open();
        store.Storages.Add(old);
        store.Storages.Add(foreign);
        store.Storages.SetDefault(old);
        var saved = store.Save("a", "value");
        store.Storages.SetDefault(sandbox.Root);
        // Migrated without deleting sources: what an interruption right after the switch leaves behind.
        store.Storages.Migrate(old, sandbox.Root);

        var found = await store.FindUnreferencedValuesAsync(TimeSpan.Zero, cancellationToken: TestContext.Current.CancellationToken);

        var leftover = Assert.Single(found);
        Assert.Equal((old, saved.Key), (leftover.Root, leftover.Key));

        await store.FindUnreferencedValuesAsync(TimeSpan.Zero, delete: true, TestContext.Current.CancellationToken);
        Assert.Null(await sandbox.ReadAsync(old, saved.Key));
        Assert.NotNull(await sandbox.ReadAsync(foreign, ".lineage/theirs.mpk"));
        Assert.Equal("value", store.Load<string>("a"));
    }
}
