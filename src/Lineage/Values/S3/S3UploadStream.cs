using Amazon.S3;
using Amazon.S3.Model;

namespace Lineage.Values.S3;

/// <summary>
/// A write-only stream that uploads what is written to one S3 object: a single PUT when everything fits
/// in one part, otherwise a multipart upload with up to <c>maxConcurrentParts</c> parts in flight.
/// Memory stays bounded by (concurrency + 1) parts whatever the value's size. Each part carries a
/// SHA-256 checksum that S3 verifies on arrival.
/// </summary>
internal sealed class S3UploadStream(IAmazonS3 client, string bucket, string key, int partSize, int maxConcurrentParts, CancellationToken cancellationToken)
    : PartedUploadStream<PartETag>(partSize, maxConcurrentParts, cancellationToken)
{
    private string? _uploadId;

    /// <summary>Uploads what remains and makes the object visible.</summary>
    public async Task CompleteAsync()
    {
        if (PartCount == 0)
        {
            using var body = OpenPending();
            await client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket,
                Key = key,
                InputStream = body,
                AutoCloseStream = false,
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            }, CancellationToken).ConfigureAwait(false);
            return;
        }

        var parts = await ShipRestAsync().ConfigureAwait(false);
        await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = _uploadId,
            PartETags = [.. parts],
        }, CancellationToken).ConfigureAwait(false);
    }

    /// <summary>Abandons a multipart upload so no parts linger in the bucket.</summary>
    public async Task AbortAsync()
    {
        if (_uploadId is null)
        {
            return;
        }

        await WaitForPartsAsync().ConfigureAwait(false);
        try
        {
            await client.AbortMultipartUploadAsync(bucket, key, _uploadId, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: a lifecycle rule on the bucket collects abandoned uploads.
        catch (Exception)
        {
        }
#pragma warning restore CA1031
    }

    protected override async Task BeforeFirstPartAsync() =>
        _uploadId = (await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        }, CancellationToken).ConfigureAwait(false)).UploadId;

    protected override async Task<PartETag> UploadPartAsync(ArraySegment<byte> part, int index)
    {
        using var body = new MemoryStream(part.Array!, part.Offset, part.Count, writable: false);
        var response = await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = _uploadId,
            PartNumber = index + 1,
            PartSize = part.Count,
            InputStream = body,
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        }, CancellationToken).ConfigureAwait(false);
        return new PartETag(index + 1, response.ETag) { ChecksumSHA256 = response.ChecksumSHA256 };
    }
}
