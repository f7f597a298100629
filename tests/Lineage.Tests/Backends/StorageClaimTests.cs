namespace Lineage.Tests.Backends;

/// <summary>Only a root's owner is remembered; a root that could not be used is asked again, so a repair takes effect.</summary>
public sealed class StorageClaimTests
{
    [Fact]
    public void A_root_whose_marker_is_repaired_becomes_writable_without_reopening_the_store()
    {
        using var home = new TestHome();
        var root = home.Sub("values");
        Directory.CreateDirectory(Path.Combine(root, ".lineage"));
        var marker = Path.Combine(root, ".lineage", "storage.json");
        File.WriteAllText(marker, "not a marker");
        using var store = home.Open(artifactStorageDir: root);

        Assert.False(store.IsStorageWritable);
        Assert.Throws<ReadOnlyStorageException>(() => store.Save("value", 1));

        File.WriteAllText(marker, $$"""{ "lineage_storage": 1, "storage_uid": "repaired0001", "instance_uid": "{{store.InstanceUid}}", "database": "", "created_at": "2026-11-23T00:00:00Z" }""");

        Assert.True(store.IsStorageWritable);
        Assert.Equal(1, store.Save("value", 1).Version);
    }
}
