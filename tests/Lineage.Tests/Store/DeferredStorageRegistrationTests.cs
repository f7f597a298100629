namespace Lineage.Tests.Store;

/// <summary>
/// <see cref="ArtifactStore.OpenForReadingAsync"/> (the tool's <c>ls</c>, <c>versions</c>, <c>find</c>, <c>show</c>): the configured roots
/// are registered on the first use of a write target, not at open; what that first use sees is what an eager open would have.
/// </summary>
public sealed class DeferredStorageRegistrationTests
{
    [Fact]
    public async Task Opening_for_reading_touches_no_root_until_a_save_needs_it()
    {
        using var home = new TestHome();
        var ct = TestContext.Current.CancellationToken;
        using (var first = home.Open())
        {
            first.Save("weights", new[] { 1.0, 2.0 });
        }

        var other = home.Sub("other-root");
        await using var store = await ArtifactStore.OpenForReadingAsync(home.Options(artifactStorageDir: other), ct);

        Assert.Equal("weights", Assert.Single(await store.ListAsync(ct)).Name);
        Assert.Equal("weights", Assert.Single(await store.VersionsAsync("weights", ct)).Name);
        Assert.False(Directory.Exists(other));
        Assert.Single(await store.Storages.ListAsync(ct));

        var saved = await store.SaveAsync("bias", new[] { 3.0 }, ct);

        Assert.Equal(Path.GetFullPath(other), saved.StorageRoot);
        Assert.True(File.Exists(Path.Combine(other, ".lineage", "storage.json")));
        Assert.Equal(2, (await store.Storages.ListAsync(ct)).Count);
        Assert.Equal(Path.GetFullPath(other), store.Storages.Default.Root);
        var loaded = await store.LoadAsync<double[]>("bias", null, ct);
        Assert.Equal(new[] { 3.0 }, loaded);
    }

    [Fact]
    public async Task A_root_an_eager_open_refuses_is_refused_by_the_first_save_with_the_same_error_and_every_save_after_it()
    {
        using var home = new TestHome();
        var ct = TestContext.Current.CancellationToken;
        using (var first = home.Open())
        {
            first.Save("weights", new[] { 1.0, 2.0 });
        }

        var nested = home.Sub("artifacts", "inside");
        var eager = Assert.Throws<LineageConfigurationException>(() => home.Open(artifactStorageDir: nested));
        await using var store = await ArtifactStore.OpenForReadingAsync(home.Options(artifactStorageDir: nested), ct);

        Assert.Equal("weights", Assert.Single(await store.ListAsync(ct)).Name);
        var loaded = await store.LoadAsync<double[]>("weights", null, ct);
        Assert.Equal(new[] { 1.0, 2.0 }, loaded);
        var saving = await Assert.ThrowsAsync<LineageConfigurationException>(() => store.SaveAsync("bias", 3.0, ct));
        var again = Assert.Throws<LineageConfigurationException>(() => store.Storages.Default);

        Assert.Contains("nested inside", eager.Message, StringComparison.Ordinal);
        Assert.Equal(eager.Message, saving.Message);
        Assert.Equal(eager.Message, again.Message);
        Assert.Equal("weights", Assert.Single(await store.ListAsync(ct)).Name);
        Assert.False(Directory.Exists(nested));
    }
}
