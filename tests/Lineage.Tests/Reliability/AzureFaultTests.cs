using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Lineage.Testing;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Reliability;

/// <summary>
/// The Azure endpoint dies in the middle of a block upload (S3FaultTests' counterpart). Each test runs its own Azurite (never
/// the shared one), kills it once the save has shipped its first block, and starts it again on the same port. A killed
/// Azurite loses what it had not yet saved of its container list even on disk, so the test puts back what the container held
/// before the kill, as Azure itself would have kept it.
/// </summary>
public sealed class AzureFaultTests(PostgresServer postgres, S3Server s3)
{
    private const int BlockSize = 8 << 20;
    private const long ValueSize = 40L << 20;

    // Past the first block (shipped, in flight or done) and inside the second: blocks are staged and no block list is committed.
    private const long KillAfter = BlockSize + (4 << 20);

    public static TheoryData<MetadataBackend> Metadata => [MetadataBackend.Sqlite, MetadataBackend.Postgres];

    [Theory]
    [MemberData(nameof(Metadata))]
    public async Task A_save_whose_Azure_endpoint_is_killed_mid_upload_fails_clearly_records_nothing_and_the_store_works_once_it_is_back(MetadataBackend metadata)
    {
        var ct = TestContext.Current.CancellationToken;
        using var azurite = await StartAzuriteAsync();
        var container = "lineage-fault-" + Guid.NewGuid().ToString("N")[..12];
        var blobs = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container);
        await blobs.CreateAsync(cancellationToken: ct);

        // The metadata backend's database and home; the values go to this test's own Azurite.
        await using var environment = await BackendEnvironment.CreateAsync(new Backend(metadata, ValueBackend.Local), postgres, s3);
        var root = $"az://{container}/team";
        var options = environment.Options(root: root);
        options.StorageOptions["connection_string"] = azurite.ConnectionString;
        await using var store = await ArtifactStore.OpenAsync(options, ct);
        var before = await store.SaveAsync("small", "saved before the fault", ct);
        var survivors = await SnapshotAsync(blobs, ct);

        using var dying = new GeneratedStream(ValueSize, killAt: KillAfter, kill: azurite.Kill);
        var error = await Assert.ThrowsAnyAsync<LineageException>(() => store.SaveAsync("big", dying, ct).WaitAsync(TimeSpan.FromMinutes(3), ct));

        Assert.True(dying.Killed, "the save failed before the endpoint was killed");
        Assert.Contains(root, error.Message, StringComparison.Ordinal);
        Assert.Contains(new Uri(azurite.Endpoint).Authority, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteEmulator.AccountKey, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await environment.ArtifactRowCountAsync());
        Assert.Throws<ArtifactNotFoundException>(() => store.Get("big"));

        await azurite.RestartAsync();
        await RestoreAsync(blobs, survivors, ct);

        // Whatever the dead upload left (blocks staged before the kill) is gc's to find, and only that.
        await store.FindUnreferencedValuesAsync(TimeSpan.Zero, delete: true, ct);
        Assert.Empty(await store.FindUnreferencedValuesAsync(TimeSpan.Zero, cancellationToken: ct));

        // The same store, with its pooled connections to the dead server, saves, loads and verifies again.
        using var again = new GeneratedStream(ValueSize);
        var big = await store.SaveAsync("big", again, ct);
        Assert.Equal(1, big.Version);
        Assert.Equal(ValueSize, big.Size);
        Assert.Equal(again.Sha256Hex, big.Hash);
        Assert.Equal(ValueCheckStatus.Ok, (await store.VerifyAsync(big, ct)).Status);
        Assert.Equal(ValueCheckStatus.Ok, (await store.VerifyAsync(before, ct)).Status);
        Assert.Equal("saved before the fault", await store.LoadAsync<string>("small", cancellationToken: ct));
        Assert.Equal(2, await environment.ArtifactRowCountAsync());
    }

    /// <summary>Every committed blob of the container, by name.</summary>
    private static async Task<Dictionary<string, byte[]>> SnapshotAsync(BlobContainerClient blobs, CancellationToken ct)
    {
        var snapshot = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await foreach (var blob in blobs.GetBlobsAsync(new GetBlobsOptions(), ct))
        {
            snapshot[blob.Name] = (await blobs.GetBlobClient(blob.Name).DownloadContentAsync(ct)).Value.Content.ToArray();
        }

        return snapshot;
    }

    private static async Task RestoreAsync(BlobContainerClient blobs, Dictionary<string, byte[]> snapshot, CancellationToken ct)
    {
        await blobs.CreateIfNotExistsAsync(cancellationToken: ct);
        foreach (var (name, content) in snapshot)
        {
            await blobs.GetBlobClient(name).UploadAsync(new BinaryData(content), overwrite: true, ct);
        }
    }

    private static async Task<AzuriteEmulator> StartAzuriteAsync()
    {
        try
        {
            return await AzuriteEmulator.StartAsync();
        }
        catch (InvalidOperationException e)
        {
            ServerProcess.Unavailable("The Azure Blob emulator (Azurite)", e.Message);
            throw;
        }
    }
}
