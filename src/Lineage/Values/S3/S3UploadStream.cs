using System.Buffers;
using Amazon.S3;
using Amazon.S3.Model;

namespace Lineage.Values.S3;

/// <summary>
/// A write-only stream that uploads what is written to one S3 object: a single PUT when everything fits
/// in one part, otherwise a multipart upload with up to <c>maxConcurrentParts</c> parts in flight.
/// Memory stays bounded by (concurrency + 1) parts whatever the value's size. Each part carries a
/// SHA-256 checksum that S3 verifies on arrival.
/// </summary>
internal sealed class S3UploadStream : Stream
{
    private readonly IAmazonS3 _client;
    private readonly string _bucket;
    private readonly string _key;
    private readonly int _partSize;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationToken _cancellationToken;
    private readonly List<Task<PartETag>> _parts = [];
    private byte[] _buffer;
    private int _filled;
    private long _written;
    private string? _uploadId;

    public S3UploadStream(IAmazonS3 client, string bucket, string key, int partSize, int maxConcurrentParts, CancellationToken cancellationToken)
    {
        _client = client;
        _bucket = bucket;
        _key = key;
        _partSize = partSize;
        _slots = new SemaphoreSlim(maxConcurrentParts);
        _cancellationToken = cancellationToken;
        _buffer = ArrayPool<byte>.Shared.Rent(partSize);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count), _cancellationToken).AsTask().GetAwaiter().GetResult();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // MemoryPack and other serializers write synchronously; copy, then ship full parts.
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _partSize - _filled);
            buffer[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            _written += take;
            buffer = buffer[take..];
            if (_filled == _partSize)
            {
                ShipPartAsync().GetAwaiter().GetResult();
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _partSize - _filled);
            buffer[..take].CopyTo(_buffer.AsMemory(_filled));
            _filled += take;
            _written += take;
            buffer = buffer[take..];
            if (_filled == _partSize)
            {
                await ShipPartAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Uploads what remains and makes the object visible.</summary>
    public async Task CompleteAsync()
    {
        if (_uploadId is null)
        {
            using var body = new MemoryStream(_buffer, 0, _filled, writable: false);
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _bucket,
                Key = _key,
                InputStream = body,
                AutoCloseStream = false,
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            }, _cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_filled > 0)
        {
            await ShipPartAsync().ConfigureAwait(false);
        }

        var parts = await Task.WhenAll(_parts).ConfigureAwait(false);
        await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = _key,
            UploadId = _uploadId,
            PartETags = [.. parts],
        }, _cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Abandons a multipart upload so no parts linger in the bucket.</summary>
    public async Task AbortAsync()
    {
        if (_uploadId is null)
        {
            return;
        }

        try
        {
            await Task.WhenAll(_parts).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: the upload is being abandoned, and the caller already has the error that caused it.
        catch (Exception)
        {
        }

        try
        {
            await _client.AbortMultipartUploadAsync(_bucket, _key, _uploadId, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A lifecycle rule on the bucket collects abandoned uploads.
        }
#pragma warning restore CA1031
    }

    private async Task ShipPartAsync()
    {
        _uploadId ??= (await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = _bucket,
            Key = _key,
            ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
        }, _cancellationToken).ConfigureAwait(false)).UploadId;

        // Surface a failed part now rather than after the whole value has been written.
        if (_parts.FirstOrDefault(p => p.IsFaulted || p.IsCanceled) is { } failed)
        {
            await failed.ConfigureAwait(false);
        }

        await _slots.WaitAsync(_cancellationToken).ConfigureAwait(false);
        var buffer = _buffer;
        var length = _filled;
        var number = _parts.Count + 1;
        _buffer = ArrayPool<byte>.Shared.Rent(_partSize);
        _filled = 0;
        _parts.Add(UploadPartAsync(buffer, length, number));
    }

    private async Task<PartETag> UploadPartAsync(byte[] buffer, int length, int number)
    {
        try
        {
            using var body = new MemoryStream(buffer, 0, length, writable: false);
            var response = await _client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = _bucket,
                Key = _key,
                UploadId = _uploadId,
                PartNumber = number,
                PartSize = length,
                InputStream = body,
                ChecksumAlgorithm = ChecksumAlgorithm.SHA256,
            }, _cancellationToken).ConfigureAwait(false);
            return new PartETag(number, response.ETag) { ChecksumSHA256 = response.ChecksumSHA256 };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _slots.Release();
        }
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _slots.Dispose();
        }

        base.Dispose(disposing);
    }
}
