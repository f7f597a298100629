using System.Text.Json;

namespace Lineage.Tests.Store;

public sealed class WritingInstanceTests
{
    [Fact]
    public void Opening_a_store_on_a_new_root_writes_a_marker_naming_its_instance()
    {
        using var home = new TestHome();
        using var store = home.Open();

        var markerPath = Path.Combine(StoreFiles.LineageFolder(store.Options.ArtifactStorageDir), "storage.json");
        using var marker = JsonDocument.Parse(File.ReadAllBytes(markerPath));

        Assert.Equal(1, marker.RootElement.GetProperty("lineage_storage").GetInt32());
        Assert.Equal(store.InstanceUid, marker.RootElement.GetProperty("instance_uid").GetString());
        Assert.Equal(store.Options.MaskedDatabaseUrl, marker.RootElement.GetProperty("database").GetString());
        Assert.Equal(12, marker.RootElement.GetProperty("storage_uid").GetString()!.Length);
        Assert.InRange(marker.RootElement.GetProperty("created_at").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void The_instance_uid_is_stable_across_reopening_the_database()
    {
        using var home = new TestHome();
        string first;
        using (var store = home.Open())
        {
            first = store.InstanceUid;
        }

        using var again = home.Open();

        Assert.Equal(first, again.InstanceUid);
        Assert.True(again.IsStorageWritable);
    }

    [Fact]
    public void A_store_with_another_database_cannot_save_to_a_foreign_root()
    {
        using var home = new TestHome();
        var root = home.Sub("shared-root");
        using var owner = home.Open("sqlite:///" + home.Sub("a.sqlite"), root);
        using var intruder = home.Open("sqlite:///" + home.Sub("b.sqlite"), root);
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

    [Fact]
    public void IsStorageWritable_is_true_for_the_owner_and_false_for_another_database()
    {
        using var home = new TestHome();
        var root = home.Sub("shared-root");
        using var owner = home.Open("sqlite:///" + home.Sub("a.sqlite"), root);
        using var intruder = home.Open("sqlite:///" + home.Sub("b.sqlite"), root);

        Assert.True(owner.IsStorageWritable);
        Assert.False(intruder.IsStorageWritable);
    }

    [Fact]
    public void The_owner_still_saves_after_a_foreign_store_was_refused_and_the_marker_is_unchanged()
    {
        using var home = new TestHome();
        var root = home.Sub("shared-root");
        using var owner = home.Open("sqlite:///" + home.Sub("a.sqlite"), root);
        var markerPath = Path.Combine(StoreFiles.LineageFolder(root), "storage.json");
        var markerBefore = File.ReadAllBytes(markerPath);
        using var intruder = home.Open("sqlite:///" + home.Sub("b.sqlite"), root);
        Assert.Throws<ReadOnlyStorageException>(() => intruder.Save("x", 1));

        var record = owner.Save("x", 2);

        Assert.Equal(1, record.Version);
        Assert.Equal(2, owner.Load<int>("x"));
        Assert.Equal(markerBefore, File.ReadAllBytes(markerPath));
        Assert.Equal(2, StoreFiles.LineageFileNames(root).Length);
    }

    [Fact]
    public void A_refused_save_writes_no_file_and_no_row()
    {
        using var home = new TestHome();
        var root = home.Sub("shared-root");
        using var owner = home.Open("sqlite:///" + home.Sub("a.sqlite"), root);
        using var intruder = home.Open("sqlite:///" + home.Sub("b.sqlite"), root);

        Assert.Throws<ReadOnlyStorageException>(() => intruder.Save("x", new byte[] { 1 }));

        Assert.Equal(["storage.json"], StoreFiles.LineageFileNames(root));
        Assert.Equal(0, StoreFiles.ArtifactRowCount(home.Sub("b.sqlite")));
    }

    [Fact]
    public void A_store_moved_to_a_new_root_still_loads_values_from_its_earlier_root()
    {
        using var home = new TestHome();
        var database = "sqlite:///" + home.Sub("db.sqlite");
        using (var before = home.Open(database, home.Sub("old-root")))
        {
            before.Save("kept", "from the old root");
        }

        using var after = home.Open(database, home.Sub("new-root"));
        var record = after.Save("kept", "from the new root");

        Assert.Equal("from the old root", after.Load<string>("kept", 1));
        Assert.Equal(home.Sub("old-root"), after.Get("kept", 1).StorageRoot);
        Assert.Equal(home.Sub("new-root"), record.StorageRoot);
        Assert.True(File.Exists(StoreFiles.ValuePath(record)));
    }

    [Fact]
    public async Task Two_databases_racing_to_open_a_new_root_leave_exactly_one_owner()
    {
        var ct = TestContext.Current.CancellationToken;
        using var home = new TestHome();
        var root = home.Sub("contested-root");

        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            Task.Run(() => ArtifactStore.OpenAsync(home.Options("sqlite:///" + home.Sub($"db{i}.sqlite"), root), ct), ct)));
        try
        {
            var owner = Assert.Single(stores, s => s.IsStorageWritable);
            using var marker = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(StoreFiles.LineageFolder(root), "storage.json")));
            Assert.Equal(owner.InstanceUid, marker.RootElement.GetProperty("instance_uid").GetString());
            Assert.Equal(["storage.json"], StoreFiles.LineageFileNames(root));
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

    [Fact]
    public void A_root_whose_marker_is_not_a_Lineage_marker_is_read_only_and_says_why()
    {
        using var home = new TestHome();
        var root = home.Sub("foreign-root");
        Directory.CreateDirectory(StoreFiles.LineageFolder(root));
        File.WriteAllText(Path.Combine(StoreFiles.LineageFolder(root), "storage.json"), "not a marker");
        using var store = home.Open(artifactStorageDir: root);

        var error = Assert.Throws<ReadOnlyStorageException>(() => store.Save("x", 1));

        Assert.False(store.IsStorageWritable);
        Assert.Null(error.OwnerInstanceUid);
        Assert.Contains("not a Lineage marker", error.Message, StringComparison.Ordinal);
        Assert.Equal("not a marker", File.ReadAllText(Path.Combine(StoreFiles.LineageFolder(root), "storage.json")));
    }
}
