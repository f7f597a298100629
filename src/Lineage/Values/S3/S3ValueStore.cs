using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Lineage.Values.S3;

/// <summary>
/// Values as objects under <c>s3://bucket/prefix</c>. Writes stream up as parallel multipart uploads
/// (a single PUT for small values), which S3 makes visible only when complete; reads stream down.
/// </summary>
internal sealed class S3ValueStore : IValueStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly S3Root _root;
    private readonly string? _endpoint;

    public S3ValueStore(string root, IReadOnlyDictionary<string, string> storageOptions)
    {
        _root = S3Root.Parse(root);
        Root = _root.ToString();
        _client = S3Client.Create(storageOptions);
        _endpoint = storageOptions.GetValueOrDefault("endpoint_url");
    }

    public string Root { get; }

    /// <summary>Size of each multipart part; values up to this size go up in one PUT.</summary>
    public int PartSize { get; init; } = 16 * 1024 * 1024;

    /// <summary>Parts uploaded at once.</summary>
    public int MaxConcurrentParts { get; init; } = 4;

    public async Task WriteAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var upload = new S3UploadStream(_client, _root.Bucket, ObjectKey(key), PartSize, MaxConcurrentParts, cancellationToken);
        await using (upload.ConfigureAwait(false))
        {
            try
            {
                await write(upload, cancellationToken).ConfigureAwait(false);
                await upload.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await upload.AbortAsync().ConfigureAwait(false);
                throw S3Errors.Translate(e, _root, "write a value", _endpoint);
            }
        }
    }

    public async Task<(Stream Stream, long Length)> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.GetObjectAsync(_root.Bucket, ObjectKey(key), cancellationToken).ConfigureAwait(false);
            return (response.ResponseStream, response.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
        {
            throw new FileNotFoundException($"No object at {Root}/{key}.", key, e);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or Amazon.Runtime.AmazonClientException)
        {
            throw S3Errors.Translate(e, _root, "read a value", _endpoint);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteObjectAsync(_root.Bucket, ObjectKey(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or Amazon.Runtime.AmazonClientException)
        {
            throw S3Errors.Translate(e, _root, "delete a value", _endpoint);
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListObjectsV2Request { BucketName = _root.Bucket, Prefix = ObjectKey(prefix) };
        while (true)
        {
            ListObjectsV2Response response;
            try
            {
                response = await _client.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or Amazon.Runtime.AmazonClientException)
            {
                throw S3Errors.Translate(e, _root, "list values", _endpoint);
            }

            foreach (var entry in response.S3Objects ?? [])
            {
                yield return new StoredObject(entry.Key[_root.Prefix.Length..], entry.Size ?? 0, entry.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : DateTimeOffset.MinValue);
            }

            if (response.IsTruncated != true)
            {
                yield break;
            }

            request.ContinuationToken = response.NextContinuationToken;
        }
    }

    public async IAsyncEnumerable<PendingUpload> ListPendingUploadsAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new ListMultipartUploadsRequest { BucketName = _root.Bucket, Prefix = ObjectKey(prefix) };
        while (true)
        {
            ListMultipartUploadsResponse response;
            try
            {
                response = await _client.ListMultipartUploadsAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or Amazon.Runtime.AmazonClientException)
            {
                throw S3Errors.Translate(e, _root, "list unfinished uploads", _endpoint);
            }

            foreach (var upload in response.MultipartUploads ?? [])
            {
                if (await DescribeAsync(upload, cancellationToken).ConfigureAwait(false) is { } pending)
                {
                    yield return pending;
                }
            }

            if (response.IsTruncated != true)
            {
                yield break;
            }

            request.KeyMarker = response.NextKeyMarker;
            request.UploadIdMarker = response.NextUploadIdMarker;
        }
    }

    public async Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        try
        {
            await _client.AbortMultipartUploadAsync(_root.Bucket, ObjectKey(key), uploadId, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
        {
            // Completed or aborted since it was listed: either way nothing is left to free.
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or Amazon.Runtime.AmazonClientException)
        {
            throw S3Errors.Translate(e, _root, "abort an unfinished upload", _endpoint);
        }
    }

    public async Task<byte[]?> ReadSmallAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var (stream, _) = await OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return buffer.ToArray();
            }
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public async Task<bool> TryCreateSmallAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        if (await ReadSmallAsync(key, cancellationToken).ConfigureAwait(false) is not null)
        {
            return false;
        }

        try
        {
            // If-None-Match makes the create conditional where the service supports it, so two racing claims cannot both win.
            using var body = new MemoryStream(content.ToArray(), writable: false);
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _root.Bucket,
                Key = ObjectKey(key),
                InputStream = body,
                IfNoneMatch = "*",
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return false;
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or Amazon.Runtime.AmazonClientException)
        {
            throw S3Errors.Translate(e, _root, "write the storage marker", _endpoint);
        }

        // Not every server makes the check and the write one step (moto checks, then stores, on a threaded server; older
        // S3-compatible servers ignore the header): a racing PUT that passed the check lands moments after ours. Whatever
        // stands once those moments are over is what every claimant reads, so only the one whose bytes stand has won.
        await Task.Delay(ClaimSettleTime, cancellationToken).ConfigureAwait(false);
        return await ReadSmallAsync(key, cancellationToken).ConfigureAwait(false) is { } stored && content.Span.SequenceEqual(stored);
    }

    /// <summary>How long a conditional create waits before reading back what stands (see <see cref="TryCreateSmallAsync"/>).</summary>
    public TimeSpan ClaimSettleTime { get; init; } = TimeSpan.FromMilliseconds(100);

    public void Dispose() => _client.Dispose();

    /// <summary>The upload with the bytes of its parts and when the last one arrived (a slow save is young while parts keep coming), or null once it is gone.</summary>
    private async Task<PendingUpload?> DescribeAsync(MultipartUpload upload, CancellationToken cancellationToken)
    {
        var lastWritten = upload.Initiated is { } initiated ? new DateTimeOffset(initiated.ToUniversalTime()) : DateTimeOffset.MinValue;
        var size = 0L;
        var request = new ListPartsRequest { BucketName = _root.Bucket, Key = upload.Key, UploadId = upload.UploadId };
        while (true)
        {
            ListPartsResponse response;
            try
            {
                response = await _client.ListPartsAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.ErrorCode == "NoSuchUpload")
            {
                return null;
            }
            catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or Amazon.Runtime.AmazonClientException)
            {
                throw S3Errors.Translate(e, _root, "list the parts of an unfinished upload", _endpoint);
            }

            foreach (var part in response.Parts ?? [])
            {
                size += part.Size ?? 0;
                if (part.LastModified is { } modified && new DateTimeOffset(modified.ToUniversalTime()) > lastWritten)
                {
                    lastWritten = new DateTimeOffset(modified.ToUniversalTime());
                }
            }

            if (response.IsTruncated != true)
            {
                return new PendingUpload(upload.Key[_root.Prefix.Length..], upload.UploadId, size, lastWritten);
            }

            request.PartNumberMarker = response.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    private string ObjectKey(string key) => _root.Prefix + key;
}
