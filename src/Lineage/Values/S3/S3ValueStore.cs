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
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict)
        {
            return false;
        }
        catch (Exception e) when (e is AmazonS3Exception or HttpRequestException or Amazon.Runtime.AmazonClientException)
        {
            throw S3Errors.Translate(e, _root, "write the storage marker", _endpoint);
        }
    }

    public void Dispose() => _client.Dispose();

    private string ObjectKey(string key) => _root.Prefix + key;
}
