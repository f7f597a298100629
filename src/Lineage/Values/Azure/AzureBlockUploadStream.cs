using System.Globalization;
using System.Text;
using global::Azure.Storage;
using global::Azure.Storage.Blobs.Models;
using global::Azure.Storage.Blobs.Specialized;

namespace Lineage.Values.Azure;

/// <summary>
/// A write-only stream that uploads what is written to one block blob: a single Put Blob when everything fits in one
/// block, otherwise blocks staged with up to <c>maxConcurrentBlocks</c> in flight and one Put Block List at the end, which is
/// what makes the blob appear, whole, at once. Memory stays bounded by (concurrency + 1) blocks whatever the value's size.
/// Each request carries an MD5 the service verifies on arrival (transactional MD5: Azurite verifies it too, where it refuses the
/// SDK's CRC64 structured messages).
/// </summary>
internal sealed class AzureBlockUploadStream(BlockBlobClient blob, int blockSize, int maxConcurrentBlocks, CancellationToken cancellationToken)
    : PartedUploadStream<string>(blockSize, maxConcurrentBlocks, cancellationToken)
{
    private static readonly UploadTransferValidationOptions Md5 = new() { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 };

    // Block ids of one blob must all have the same length; a per-write nonce keeps ours apart from another writer's.
    private readonly string _nonce = Guid.NewGuid().ToString("N")[..12];

    /// <summary>True once a block was staged: uncommitted blocks may be left behind if the write fails.</summary>
    public bool StagedBlocks => PartCount > 0;

    /// <summary>Uploads what remains and makes the blob visible.</summary>
    public async Task CompleteAsync()
    {
        if (PartCount == 0)
        {
            using var body = OpenPending();
            await blob.UploadAsync(body, new BlobUploadOptions { TransferValidation = Md5 }, CancellationToken).ConfigureAwait(false);
            return;
        }

        var ids = await ShipRestAsync().ConfigureAwait(false);
        await blob.CommitBlockListAsync(ids, new CommitBlockListOptions(), CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the blocks in flight, so none lands after the caller has given up on the write.</summary>
    public Task AbandonAsync() => WaitForPartsAsync();

    protected override async Task<string> UploadPartAsync(ArraySegment<byte> part, int index)
    {
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_nonce}-{index.ToString("D6", CultureInfo.InvariantCulture)}"));
        using var body = new MemoryStream(part.Array!, part.Offset, part.Count, writable: false);
        await blob.StageBlockAsync(id, body, new BlockBlobStageBlockOptions { TransferValidation = Md5 }, CancellationToken).ConfigureAwait(false);
        return id;
    }
}
