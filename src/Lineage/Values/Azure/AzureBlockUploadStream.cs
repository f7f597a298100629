using System.Buffers;
using System.Globalization;
using System.Text;
using global::Azure;
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
internal sealed class AzureBlockUploadStream : Stream
{
    private static readonly UploadTransferValidationOptions Md5 = new() { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 };
    private readonly BlockBlobClient _blob;
    private readonly int _blockSize;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationToken _cancellationToken;
    private readonly List<Task<string>> _blocks = [];

    // Block ids of one blob must all have the same length; a per-write nonce keeps ours apart from another writer's.
    private readonly string _nonce = Guid.NewGuid().ToString("N")[..12];
    private byte[] _buffer;
    private int _filled;
    private long _written;

    public AzureBlockUploadStream(BlockBlobClient blob, int blockSize, int maxConcurrentBlocks, CancellationToken cancellationToken)
    {
        _blob = blob;
        _blockSize = blockSize;
        _slots = new SemaphoreSlim(maxConcurrentBlocks);
        _cancellationToken = cancellationToken;
        _buffer = ArrayPool<byte>.Shared.Rent(blockSize);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    /// <summary>True once a block was staged: uncommitted blocks may be left behind if the write fails.</summary>
    public bool StagedBlocks => _blocks.Count > 0;

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count), _cancellationToken).AsTask().GetAwaiter().GetResult();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // MemoryPack and other serializers write synchronously; copy, then ship full blocks.
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _blockSize - _filled);
            buffer[..take].CopyTo(_buffer.AsSpan(_filled));
            _filled += take;
            _written += take;
            buffer = buffer[take..];
            if (_filled == _blockSize)
            {
                ShipBlockAsync().GetAwaiter().GetResult();
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _blockSize - _filled);
            buffer[..take].CopyTo(_buffer.AsMemory(_filled));
            _filled += take;
            _written += take;
            buffer = buffer[take..];
            if (_filled == _blockSize)
            {
                await ShipBlockAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Uploads what remains and makes the blob visible.</summary>
    public async Task CompleteAsync()
    {
        if (_blocks.Count == 0)
        {
            using var body = new MemoryStream(_buffer, 0, _filled, writable: false);
            await _blob.UploadAsync(body, new BlobUploadOptions { TransferValidation = Md5 }, _cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_filled > 0)
        {
            await ShipBlockAsync().ConfigureAwait(false);
        }

        var ids = await Task.WhenAll(_blocks).ConfigureAwait(false);
        await _blob.CommitBlockListAsync(ids, new CommitBlockListOptions(), _cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for the blocks in flight, so none lands after the caller has given up on the write.</summary>
    public async Task AbandonAsync()
    {
        try
        {
            await Task.WhenAll(_blocks).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: the caller already has the error that caused this.
        catch (Exception)
        {
        }
#pragma warning restore CA1031
    }

    private async Task ShipBlockAsync()
    {
        // Surface a failed block now rather than after the whole value has been written.
        if (_blocks.FirstOrDefault(b => b.IsFaulted || b.IsCanceled) is { } failed)
        {
            await failed.ConfigureAwait(false);
        }

        await _slots.WaitAsync(_cancellationToken).ConfigureAwait(false);
        var buffer = _buffer;
        var length = _filled;
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_nonce}-{_blocks.Count.ToString("D6", CultureInfo.InvariantCulture)}"));
        _buffer = ArrayPool<byte>.Shared.Rent(_blockSize);
        _filled = 0;
        _blocks.Add(StageBlockAsync(id, buffer, length));
    }

    private async Task<string> StageBlockAsync(string id, byte[] buffer, int length)
    {
        try
        {
            using var body = new MemoryStream(buffer, 0, length, writable: false);
            await _blob.StageBlockAsync(id, body, new BlockBlobStageBlockOptions { TransferValidation = Md5 }, _cancellationToken).ConfigureAwait(false);
            return id;
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
