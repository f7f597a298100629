using System.Buffers;
using System.Runtime.InteropServices;

namespace Lineage.Values;

/// <summary>
/// A write-only stream that cuts what is written into parts of a fixed size and ships each full part while the writer goes on,
/// with up to <c>maxConcurrentParts</c> in flight: memory stays bounded by (concurrency + 1) parts whatever the value's size.
/// A backend says how one part travels (<see cref="UploadPartAsync"/>) and how the object is made visible at the end; a value
/// that fits in one part is never shipped as a part (the backend uploads <see cref="OpenPending"/> in one request instead).
/// A write large enough to keep every slot busy on its own (a whole value in memory) ships its whole parts straight from the
/// caller's buffer, with no copy, and returns when they have all arrived.
/// </summary>
/// <typeparam name="TPart">What the service answers for a part, needed to make the object visible (an ETag, a block id).</typeparam>
internal abstract class PartedUploadStream<TPart> : Stream
{
    private readonly int _partSize;
    private readonly int _maxConcurrentParts;
    private readonly SemaphoreSlim _slots;
    private readonly List<Task<TPart>> _parts = [];
    private byte[] _buffer;
    private int _filled;
    private long _written;

    protected PartedUploadStream(int partSize, int maxConcurrentParts, CancellationToken cancellationToken)
    {
        _partSize = partSize;
        _maxConcurrentParts = maxConcurrentParts;
        _slots = new SemaphoreSlim(maxConcurrentParts);
        CancellationToken = cancellationToken;
        _buffer = ArrayPool<byte>.Shared.Rent(partSize);
    }

    protected CancellationToken CancellationToken { get; }

    /// <summary>How many parts were shipped so far.</summary>
    protected int PartCount => _parts.Count;

    /// <summary>What was written and not shipped as a part yet, to read once.</summary>
    protected MemoryStream OpenPending() => new(_buffer, 0, _filled, writable: false);

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count), CancellationToken).AsTask().GetAwaiter().GetResult();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        // MemoryPack and other serializers write synchronously; copy, then ship full parts.
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _partSize - _filled);
            buffer[..take].CopyTo(_buffer.AsSpan(_filled));
            Advance(take);
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
        List<Task<TPart>>? direct = null;
        try
        {
            while (!buffer.IsEmpty)
            {
                if (_filled == 0 && buffer.Length >= (long)_partSize * _maxConcurrentParts && MemoryMarshal.TryGetArray(buffer, out var caller))
                {
                    // Whole parts from the caller's own buffer; the tail is copied below, as it may be continued by the next write.
                    direct ??= [];
                    var parts = buffer.Length / _partSize;
                    for (var i = 0; i < parts; i++)
                    {
                        direct.Add(await ShipAsync(caller.Slice(i * _partSize, _partSize), pooled: null).ConfigureAwait(false));
                        _written += _partSize;
                    }

                    buffer = buffer[(parts * _partSize)..];
                    continue;
                }

                var take = Math.Min(buffer.Length, _partSize - _filled);
                buffer[..take].CopyTo(_buffer.AsMemory(_filled));
                Advance(take);
                buffer = buffer[take..];
                if (_filled == _partSize)
                {
                    await ShipPartAsync().ConfigureAwait(false);
                }
            }
        }
        catch when (direct is not null)
        {
            // The caller may reuse its buffer once this throws: no part may still be reading it.
            await ((Task)Task.WhenAll(direct)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        if (direct is not null)
        {
            await Task.WhenAll(direct).ConfigureAwait(false);
        }
    }

    /// <summary>Ships what remains as the last part and waits for every part's answer, in part order.</summary>
    protected async Task<TPart[]> ShipRestAsync()
    {
        if (_filled > 0)
        {
            await ShipPartAsync().ConfigureAwait(false);
        }

        return await Task.WhenAll(_parts).ConfigureAwait(false);
    }

    /// <summary>Waits for the parts in flight, ignoring their failures: the caller is giving up and already has its error.</summary>
    protected async Task WaitForPartsAsync()
    {
        try
        {
            await Task.WhenAll(_parts).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: the upload is being abandoned, and the caller already has the error that caused it.
        catch (Exception)
        {
        }
#pragma warning restore CA1031
    }

    /// <summary>Runs once before the first part ships (S3: starting the multipart upload).</summary>
    protected virtual Task BeforeFirstPartAsync() => Task.CompletedTask;

    /// <summary>Sends part <paramref name="index"/> (from 0); its bytes stay unchanged until the task completes.</summary>
    protected abstract Task<TPart> UploadPartAsync(ArraySegment<byte> part, int index);

    private void Advance(int count)
    {
        _filled += count;
        _written += count;
    }

    /// <summary>Ships the part buffer (a fresh one takes its place).</summary>
    private async Task ShipPartAsync()
    {
        var buffer = _buffer;
        var length = _filled;
        await ShipAsync(new ArraySegment<byte>(buffer, 0, length), pooled: buffer, before: () =>
        {
            _buffer = ArrayPool<byte>.Shared.Rent(_partSize);
            _filled = 0;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts uploading <paramref name="part"/> once a slot is free; <paramref name="pooled"/> (its buffer, when it is ours) goes back to
    /// the pool when the part has arrived or failed, and <paramref name="before"/> runs once the part is sure to ship.
    /// </summary>
    private async Task<Task<TPart>> ShipAsync(ArraySegment<byte> part, byte[]? pooled, Action? before = null)
    {
        if (_parts.Count == 0)
        {
            await BeforeFirstPartAsync().ConfigureAwait(false);
        }

        // Surface a failed part now rather than after the whole value has been written.
        if (_parts.FirstOrDefault(p => p.IsFaulted || p.IsCanceled) is { } failed)
        {
            await failed.ConfigureAwait(false);
        }

        await _slots.WaitAsync(CancellationToken).ConfigureAwait(false);
        before?.Invoke();
        var upload = UploadAndReleaseAsync(part, pooled, _parts.Count);
        _parts.Add(upload);
        return upload;
    }

    private async Task<TPart> UploadAndReleaseAsync(ArraySegment<byte> part, byte[]? pooled, int index)
    {
        try
        {
            return await UploadPartAsync(part, index).ConfigureAwait(false);
        }
        finally
        {
            if (pooled is not null)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }

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
