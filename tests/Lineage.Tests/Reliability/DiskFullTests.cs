namespace Lineage.Tests.Reliability;

/// <summary>
/// A storage root on a full disk (a tiny tmpfs): the save fails with a <see cref="StorageFullException"/> naming the root, and
/// leaves nothing behind (no temporary file, no row), so the space comes back as soon as the failure is over.
/// </summary>
public sealed class DiskFullTests
{
    [Fact]
    public async Task A_save_larger_than_the_free_space_throws_StorageFullException_naming_the_root_and_leaves_no_file_and_no_row()
    {
        using var home = new TestHome();
        using var disk = await TinyTmpfs.MountAsync(home.Sub("root"), "1m");
        await using var store = home.Open(artifactStorageDir: disk.Path);
        var kept = store.Save("kept", new byte[] { 1, 2, 3 });

        var error = Assert.Throws<StorageFullException>(() => store.Save("huge", new byte[2 << 20]));

        Assert.Equal(disk.Path, error.Root);
        Assert.Contains($"'{disk.Path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was stored", error.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { Path.GetFileName(kept.Key), "storage.json" }.Order(StringComparer.Ordinal), LineageFiles(disk.Path));
        Assert.Equal([kept], store.ListAllVersions(null));
        // Nothing of the failed save holds space: a value of most of the disk still fits.
        var fits = new byte[700 << 10];
        Random.Shared.NextBytes(fits);
        store.Save("fits", fits);
        Assert.Equal(fits, store.Load<byte[]>("fits"));
    }

    [Fact]
    public async Task A_save_onto_a_disk_that_is_already_full_throws_StorageFullException_and_succeeds_once_there_is_room()
    {
        using var home = new TestHome();
        using var disk = await TinyTmpfs.MountAsync(home.Sub("root"), "512k");
        await using var store = home.Open(artifactStorageDir: disk.Path);
        disk.Fill();

        var error = Assert.Throws<StorageFullException>(() => store.Save("small", "a few bytes"));

        Assert.Equal(disk.Path, error.Root);
        Assert.IsType<IOException>(error.InnerException, exactMatch: false);
        Assert.Equal(["storage.json"], LineageFiles(disk.Path));
        Assert.Empty(store.ListAllVersions(null));

        disk.Free();
        Assert.Equal(1, store.Save("small", "a few bytes").Version);
        Assert.Equal("a few bytes", store.Load<string>("small"));
    }

    /// <summary>Every file under the root's <c>.lineage/</c> folder, temporary files included.</summary>
    private static string[] LineageFiles(string root) =>
        [.. Directory.GetFiles(Path.Combine(root, ".lineage"), "*", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
