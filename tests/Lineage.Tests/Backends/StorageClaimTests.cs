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

    [Fact]
    public async Task An_owned_root_that_another_instance_claimed_since_is_noticed_once_the_remembered_claim_expires()
    {
        using var home = new TestHome();
        var values = new Lineage.Values.Local.LocalValueStore(home.Sub("values"));
        var remembering = new Lineage.Storage.WritingInstanceGuard("InstanceA0001", "sqlite:///a.sqlite");
        var rereading = new Lineage.Storage.WritingInstanceGuard("InstanceA0001", "sqlite:///a.sqlite", claimMemoryMilliseconds: 0);
        var cancellation = TestContext.Current.CancellationToken;
        Assert.Equal("InstanceA0001", (await remembering.ClaimAsync(values, claimIfUnmarked: true, cancellation)).Marker?.InstanceUid);
        Assert.Equal("InstanceA0001", (await rereading.ClaimAsync(values, claimIfUnmarked: false, cancellation)).Marker?.InstanceUid);

        // The root is released and instance B claims it.
        await values.DeleteAsync(".lineage/storage.json", cancellation);
        Assert.True(await values.TryCreateSmallAsync(".lineage/storage.json",
            new Lineage.Storage.StorageMarker("storage0001", "InstanceB0001", "sqlite:///b.sqlite", DateTimeOffset.UtcNow).ToJson(), cancellation));

        Assert.Equal("InstanceA0001", (await remembering.ClaimAsync(values, claimIfUnmarked: false, cancellation)).Marker?.InstanceUid);
        var fresh = await rereading.ClaimAsync(values, claimIfUnmarked: false, cancellation);
        Assert.Equal("InstanceB0001", fresh.Marker?.InstanceUid);
        Assert.Throws<ReadOnlyStorageException>(() => rereading.EnsureWritable(fresh, "save 'x'"));
    }
}
