using Lineage.Backends;

namespace Lineage.Tests.Backends.Memory;

/// <summary>A backend added from outside the library: its folder (this one) and one registration line.</summary>
public sealed class MemoryBackendTests
{
    static MemoryBackendTests() => BackendCatalog.Register(new MemoryBackend());

    [Fact]
    public void Save_load_list_and_delete_go_through_a_registered_backend()
    {
        using var home = new TestHome();
        var root = "mem://team-" + Guid.NewGuid().ToString("N");
        using var store = home.Open(artifactStorageDir: root);

        var first = store.Save("model", "weights v1");
        store.Save("model", "weights v2");

        Assert.Equal(root, first.StorageRoot);
        Assert.Contains(first.Key, MemoryValueStore.At(root).Keys);
        Assert.Equal("weights v1", store.Load<string>("model", 1));
        Assert.Equal("weights v2", store.Load<string>("model"));
        Assert.Equal(2, Assert.Single(store.List()).Version);
        Assert.Equal("mem", Assert.Single(store.Storages.List(), s => s.Root == root).Type);

        store.Delete("model", 1, permanent: true);

        Assert.DoesNotContain(first.Key, MemoryValueStore.At(root).Keys);
        Assert.Equal("weights v2", store.Load<string>("model"));
    }

    [Fact]
    public void A_registered_backend_validates_its_own_locations()
    {
        using var home = new TestHome();

        var error = Assert.Throws<LineageConfigurationException>(() => home.Open(artifactStorageDir: "mem://"));

        Assert.Equal("artifact_storage_dir 'mem://' names no memory: write mem://name.", error.Message);
    }

    [Fact]
    public void A_scheme_cannot_be_registered_twice()
    {
        Assert.Throws<InvalidOperationException>(() => BackendCatalog.Register(new MemoryBackend()));
    }
}
