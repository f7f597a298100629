using System.Text.Json;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

public sealed class WritingInstanceTests(PostgresServer postgres, S3Server s3)
{
    private const string MarkerKey = ".lineage/storage.json";

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Opening_a_store_on_a_new_root_writes_a_marker_naming_its_instance(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var markerBytes = await environment.ReadValueAsync(store.Options.ArtifactStorageDir, MarkerKey);
        Assert.NotNull(markerBytes);
        using var marker = JsonDocument.Parse(markerBytes);

        Assert.Equal(1, marker.RootElement.GetProperty("lineage_storage").GetInt32());
        Assert.Equal(store.InstanceUid, marker.RootElement.GetProperty("instance_uid").GetString());
        Assert.Equal(store.Options.MaskedDatabaseUrl, marker.RootElement.GetProperty("database").GetString());
        Assert.Equal(12, marker.RootElement.GetProperty("storage_uid").GetString()!.Length);
        Assert.InRange(marker.RootElement.GetProperty("created_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task The_instance_uid_is_stable_across_reopening_the_database(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        string first;
        using (var store = environment.Open())
        {
            first = store.InstanceUid;
        }

        using var again = environment.Open();

        Assert.Equal(first, again.InstanceUid);
        Assert.True(again.IsStorageWritable);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_store_with_another_database_cannot_save_to_a_foreign_root(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var root = environment.Root;
        using var owner = environment.Open();
        using var intruder = environment.Open(await environment.NewDatabaseUrlAsync(), root);
        Assert.NotEqual(owner.InstanceUid, intruder.InstanceUid);

        var error = Assert.Throws<ReadOnlyStorageException>(() => intruder.Save("x", 1));

        Assert.Equal(owner.InstanceUid, error.OwnerInstanceUid);
        Assert.Equal(root, error.Root);
        Assert.Contains(owner.InstanceUid, error.Message, StringComparison.Ordinal);
        Assert.Contains(intruder.InstanceUid, error.Message, StringComparison.Ordinal);
        Assert.Contains("database_url", error.Message, StringComparison.Ordinal);
        Assert.Contains("artifact_storage_dir", error.Message, StringComparison.Ordinal);
        Assert.Contains("save 'x'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task IsStorageWritable_is_true_for_the_owner_and_false_for_another_database(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var root = environment.Root;
        using var owner = environment.Open();
        using var intruder = environment.Open(await environment.NewDatabaseUrlAsync(), root);

        Assert.True(owner.IsStorageWritable);
        Assert.False(intruder.IsStorageWritable);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task The_owner_still_saves_after_a_foreign_store_was_refused_and_the_marker_is_unchanged(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var root = environment.Root;
        using var owner = environment.Open();
        var markerBefore = await environment.ReadValueAsync(root, MarkerKey);
        Assert.NotNull(markerBefore);
        using var intruder = environment.Open(await environment.NewDatabaseUrlAsync(), root);
        Assert.Throws<ReadOnlyStorageException>(() => intruder.Save("x", 1));

        var record = owner.Save("x", 2);

        Assert.Equal(1, record.Version);
        Assert.Equal(2, owner.Load<int>("x"));
        Assert.Equal(markerBefore, await environment.ReadValueAsync(root, MarkerKey));
        Assert.Equal(2, (await environment.LineageEntriesAsync(root)).Count);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_refused_save_writes_no_file_and_no_row(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var root = environment.Root;
        var intruderDatabase = await environment.NewDatabaseUrlAsync();
        using var owner = environment.Open();
        using var intruder = environment.Open(intruderDatabase, root);

        Assert.Throws<ReadOnlyStorageException>(() => intruder.Save("x", new byte[] { 1 }));

        Assert.Equal(new[] { "storage.json" }, await environment.LineageEntriesAsync(root));
        Assert.Equal(0, await environment.ArtifactRowCountAsync(intruderDatabase));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_store_moved_to_a_new_root_still_loads_values_from_its_earlier_root(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var oldRoot = environment.Root;
        var newRoot = await environment.NewRootAsync();
        using (var before = environment.Open(root: oldRoot))
        {
            before.Save("kept", "from the old root");
        }

        using var after = environment.Open(root: newRoot);
        var record = after.Save("kept", "from the new root");

        Assert.Equal("from the old root", after.Load<string>("kept", 1));
        Assert.Equal(oldRoot, after.Get("kept", 1).StorageRoot);
        Assert.Equal(newRoot, record.StorageRoot);
        Assert.NotNull(await environment.ReadValueAsync(record));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Two_databases_racing_to_open_a_new_root_leave_exactly_one_owner(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var root = environment.Root;
        var databases = new List<string> { environment.DatabaseUrl };
        for (var i = 1; i < 4; i++)
        {
            databases.Add(await environment.NewDatabaseUrlAsync());
        }

        var stores = await Task.WhenAll(databases.Select(database =>
            Task.Run(() => ArtifactStore.OpenAsync(environment.Options(database, root), ct), ct)));
        try
        {
            var owner = Assert.Single(stores, s => s.IsStorageWritable);
            var markerBytes = await environment.ReadValueAsync(root, MarkerKey);
            Assert.NotNull(markerBytes);
            using var marker = JsonDocument.Parse(markerBytes);
            Assert.Equal(owner.InstanceUid, marker.RootElement.GetProperty("instance_uid").GetString());
            Assert.Equal(new[] { "storage.json" }, await environment.LineageEntriesAsync(root));
            Assert.All(stores.Where(s => s != owner), s =>
                Assert.Equal(owner.InstanceUid, Assert.Throws<ReadOnlyStorageException>(() => s.Save("x", 1)).OwnerInstanceUid));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_root_whose_marker_is_not_a_Lineage_marker_is_read_only_and_says_why(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var root = environment.Root;
        await environment.WriteValueAsync(root, MarkerKey, "not a marker"u8.ToArray());
        using var store = environment.Open(root: root);

        var error = Assert.Throws<ReadOnlyStorageException>(() => store.Save("x", 1));

        Assert.False(store.IsStorageWritable);
        Assert.Null(error.OwnerInstanceUid);
        Assert.Contains("not a Lineage marker", error.Message, StringComparison.Ordinal);
        Assert.Equal("not a marker"u8.ToArray(), await environment.ReadValueAsync(root, MarkerKey));
    }
}
