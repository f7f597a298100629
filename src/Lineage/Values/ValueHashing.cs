using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Lineage.Values;

/// <summary>
/// What was written: byte count, SHA-256 (lowercase hex) and, for values hashed since schema 8, the fast load-time checksum
/// (<see cref="ValueChecksum"/>); null when it was not computed.
/// </summary>
internal readonly record struct ValueDigest(long Size, string Hash, string? Checksum = null);

/// <summary>
/// The fast checksum recorded beside a version's SHA-256: <c>xxh128:</c> and the XxHash128 of its bytes in lowercase hex. Loads verify
/// with it (about 8× faster than SHA-256); it catches accidental corruption (bit rot, torn or truncated files, a wrong file copied in),
/// not a writer who can also edit the metadata. <c>lineage verify</c>, exports and copies check the SHA-256.
/// </summary>
internal static class ValueChecksum
{
    public const string Prefix = "xxh128:";

    public static string Of(XxHash128 hash) => Prefix + Convert.ToHexString(hash.GetCurrentHash()).ToLowerInvariant();

    /// <summary>True when <paramref name="checksum"/> is one this Lineage computes; any other (or none) is verified by the SHA-256.</summary>
    public static bool IsKnown([NotNullWhen(true)] string? checksum) =>
        checksum is { Length: 39 } && checksum.StartsWith(Prefix, StringComparison.Ordinal);
}

/// <summary>SHA-256 and the load-time checksum of the same bytes, appended in order.</summary>
internal sealed class ValueHasher : IDisposable
{
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly XxHash128 _checksum = new();
    private long _size;

    public void Append(ReadOnlySpan<byte> data)
    {
        _sha256.AppendData(data);
        _checksum.Append(data);
        _size += data.Length;
    }

    public ValueDigest Finish() => new(_size, Convert.ToHexString(_sha256.GetHashAndReset()).ToLowerInvariant(), ValueChecksum.Of(_checksum));

    public void Dispose() => _sha256.Dispose();

    /// <summary>From this size (256 KiB: about 0.2 ms of SHA-256) the hashes run on other threads.</summary>
    private const int OffThreadFrom = 1 << 18;

    /// <summary>
    /// The digest of bytes already in memory, computed off the calling thread: SHA-256 and the checksum each on their own core when
    /// one is free, so a caller can write the same bytes meanwhile. The bytes must not change until the task completes.
    /// </summary>
    public static async Task<ValueDigest> OfAsync(ReadOnlyMemory<byte> bytes)
    {
        if (bytes.Length < OffThreadFrom)
        {
            // Hashing a small value takes less than handing it to another thread.
            return new ValueDigest(bytes.Length, Convert.ToHexString(SHA256.HashData(bytes.Span)).ToLowerInvariant(),
                ValueChecksum.Prefix + Convert.ToHexString(XxHash128.Hash(bytes.Span)).ToLowerInvariant());
        }

        var sha256 = Task.Run(() => Convert.ToHexString(SHA256.HashData(bytes.Span)).ToLowerInvariant());
        var checksum = Task.Run(() => ValueChecksum.Prefix + Convert.ToHexString(XxHash128.Hash(bytes.Span)).ToLowerInvariant());
        return new ValueDigest(bytes.Length, await sha256.ConfigureAwait(false), await checksum.ConfigureAwait(false));
    }
}

/// <summary>
/// Hashes bytes on another core while they are written elsewhere, in the order they were handed over, by one consumer. Small
/// writes are copied into pooled buffers, queued (at most <see cref="QueuedBuffers"/> of <see cref="BufferSize"/>): a write
/// waits only when the hashing is that far behind, so a large save costs about the slower of hashing and writing, not their sum.
/// A large buffer that stays unchanged meanwhile is hashed where it lies (<see cref="HashInPlaceAsync"/>), with no copy.
/// </summary>
internal sealed class PipelinedHasher : IAsyncDisposable
{
    private const int BufferSize = 1 << 20;
    private const int QueuedBuffers = 32;

    /// <summary>From this size (4 MiB) a write is worth hashing in place; below it, copying lets the writer run ahead of the hashing.</summary>
    public const int InPlaceFrom = 4 * BufferSize;

    private readonly Channel<Queued> _queue =
        Channel.CreateBounded<Queued>(new BoundedChannelOptions(QueuedBuffers) { SingleReader = true, SingleWriter = true });

    private readonly ValueHasher _hasher = new();
    private readonly Task _consumer;
    private byte[]? _filling;
    private int _filled;
    private volatile bool _abandoned;

    public PipelinedHasher() => _consumer = Task.Run(ConsumeAsync);

    /// <summary>Queues <paramref name="data"/> for hashing; it is copied, so the caller may reuse it when this returns.</summary>
    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            _filling ??= ArrayPool<byte>.Shared.Rent(BufferSize);
            var take = Math.Min(data.Length, BufferSize - _filled);
            data.Span[..take].CopyTo(_filling.AsSpan(_filled));
            _filled += take;
            data = data[take..];
            if (_filled == BufferSize)
            {
                await QueueFillingAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="data"/> for hashing without copying it, after what was appended before; the task completes when it has
    /// been hashed (or skipped, the hasher being disposed). The caller must not change <paramref name="data"/> until then.
    /// </summary>
    public async Task HashInPlaceAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_filled > 0)
        {
            await QueueFillingAsync(cancellationToken).ConfigureAwait(false);
        }

        var hashed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await _queue.Writer.WriteAsync(new Queued(null, data, hashed), cancellationToken).ConfigureAwait(false);
        await hashed.Task.ConfigureAwait(false);
    }

    /// <summary>Waits for every queued byte to be hashed and returns the digest; nothing may be appended after.</summary>
    public async Task<ValueDigest> FinishAsync(CancellationToken cancellationToken)
    {
        if (_filled > 0)
        {
            await QueueFillingAsync(cancellationToken).ConfigureAwait(false);
        }

        _queue.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
        return _hasher.Finish();
    }

    private async ValueTask QueueFillingAsync(CancellationToken cancellationToken)
    {
        var buffer = _filling!;
        var length = _filled;
        _filling = null;
        _filled = 0;
        try
        {
            await _queue.Writer.WriteAsync(new Queued(buffer, buffer.AsMemory(0, length), null), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private async Task ConsumeAsync()
    {
        await foreach (var (pooled, data, hashed) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            // A large buffer goes through both hashes a slice at a time, so the second reads it from the cache.
            for (var rest = data; !rest.IsEmpty && !_abandoned; rest = rest[Math.Min(rest.Length, BufferSize)..])
            {
                _hasher.Append(rest.Span[..Math.Min(rest.Length, BufferSize)]);
            }

            if (pooled is not null)
            {
                ArrayPool<byte>.Shared.Return(pooled);
            }

            hashed?.TrySetResult();
        }
    }

    /// <summary>Stops hashing (what is queued is returned unhashed) and frees the buffers.</summary>
    public async ValueTask DisposeAsync()
    {
        _abandoned = true;
        _queue.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
        if (_filling is { } filling)
        {
            ArrayPool<byte>.Shared.Return(filling);
            _filling = null;
        }

        _hasher.Dispose();
    }

    /// <summary>Bytes to hash: in a pooled buffer of the hasher's own, or the caller's, who waits for <c>Hashed</c>.</summary>
    private readonly record struct Queued(byte[]? Pooled, ReadOnlyMemory<byte> Data, TaskCompletionSource? Hashed);
}

/// <summary>
/// Passes writes through to an inner stream and hands the same bytes to a <see cref="PipelinedHasher"/>, so a value is hashed on
/// another core as it streams out: a small write is copied for the hasher, a large one hashed in place while the inner stream
/// writes it (the write returns when both are done, so the caller's buffer is never read after).
/// </summary>
internal sealed class HashingWriteStream(Stream inner, PipelinedHasher hasher) : Stream
{
    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length >= PipelinedHasher.InPlaceFrom)
        {
            var hashing = hasher.HashInPlaceAsync(buffer, cancellationToken);
            try
            {
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The caller may reuse its buffer once this throws: the hasher must be done reading it.
                await hashing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }

            await hashing.ConfigureAwait(false);
            _written += buffer.Length;
            return;
        }

        // Queued first: the hashing of these bytes runs while the inner stream writes them.
        await hasher.AppendAsync(buffer, cancellationToken).ConfigureAwait(false);
        _written += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>
/// Reads a stored value while hashing it. The read that completes the recorded size (or ends the stream early)
/// compares size and hash with the recorded ones before it returns, and throws <see cref="CorruptArtifactException"/>
/// on any difference, so a caller that reads exactly <see cref="Length"/> bytes never gets an unverified end of a value.
/// A stream disposed before that read has verified nothing. With <c>useChecksum</c> and a recorded <see cref="ValueDigest.Checksum"/>
/// the hash compared is that checksum (loads); otherwise the SHA-256 (verify, export, copies, and versions saved before schema 8).
/// A large read is hashed chunk by chunk on another core while the next chunk is read.
/// </summary>
internal sealed class VerifyingReadStream : Stream
{
    private const int ParallelChunk = 1 << 20;
    private const int SynchronousFileRead = 1 << 16;

    private readonly Stream _inner;
    private readonly ValueDigest _expected;
    private readonly string _description;
    private readonly string _changedWord;
    private readonly IncrementalHash? _sha256;
    private readonly XxHash128? _checksum;
    private long _read;
    private bool _verified;
    private CorruptArtifactException? _failure;
    private IProgress<long>? _progress;

    public VerifyingReadStream(Stream inner, ValueDigest expected, string description, string changedWord = "corrupt", bool useChecksum = false)
    {
        _inner = inner;
        _expected = expected;
        _description = description;
        _changedWord = changedWord;
        if (useChecksum && ValueChecksum.IsKnown(expected.Checksum))
        {
            _checksum = new XxHash128();
        }
        else
        {
            _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _expected.Size;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // A zero-length read is legal at any time and says nothing about the end of the stream.
        if (buffer.IsEmpty)
        {
            return 0;
        }

        ThrowIfFailed();
        var read = _inner.Read(buffer);
        Account(buffer[..read]);
        if (!_verified && (read == 0 || _read == _expected.Size))
        {
            // One byte more tells a source that grew after it was opened from one that ends here.
            Verify(endReached: read == 0 || _inner.Read(stackalloc byte[1]) == 0);
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        // A small read of a local file is a system call that returns at once; asked asynchronously of a FileStream opened for
        // synchronous reads (as local values are), it is queued to the thread pool, which costs more than the read.
        if (_inner is FileStream && buffer.Length <= SynchronousFileRead)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var small = Read(buffer.Span);
            _progress?.Report(small);
            return small;
        }

        ThrowIfFailed();
        var read = buffer.Length > ParallelChunk
            ? await ReadHashingAlongsideAsync(buffer, cancellationToken).ConfigureAwait(false)
            : await ReadOnceAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (!_verified && (read == 0 || _read == _expected.Size))
        {
            Verify(endReached: read == 0 || await _inner.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) == 0);
        }

        return read;
    }

    private async ValueTask<int> ReadOnceAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..read]);
        _progress?.Report(read);
        return read;
    }

    /// <summary>
    /// Fills <paramref name="buffer"/> (up to the recorded size or the end) chunk by chunk, hashing each chunk on another core while the
    /// next one is read: the caller's buffer holds the bytes until this returns, so nothing is copied.
    /// </summary>
    private async ValueTask<int> ReadHashingAlongsideAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        var hashing = Task.CompletedTask;
        try
        {
            while (filled < buffer.Length)
            {
                var want = (int)Math.Min(ParallelChunk, buffer.Length - filled);
                if (_read + filled < _expected.Size)
                {
                    // Stop at the recorded size: the byte past it is looked for by Verify.
                    want = (int)Math.Min(want, _expected.Size - _read - filled);
                }

                var read = await _inner.ReadAsync(buffer.Slice(filled, want), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                await hashing.ConfigureAwait(false);
                var chunk = buffer.Slice(filled, read);
                hashing = Task.Run(() => Append(chunk.Span), CancellationToken.None);
                filled += read;
                _progress?.Report(read);
                if (_read + filled == _expected.Size)
                {
                    break;
                }
            }
        }
        finally
        {
            // Never return (or fail) while a chunk of the caller's buffer is still being hashed.
            await hashing.ConfigureAwait(false);
        }

        _read += filled;
        if (_read > _expected.Size)
        {
            Fail($"it is longer than the recorded {_expected.Size} bytes.");
        }

        return filled;
    }

    /// <summary>Reads to the end (if not there yet) and verifies.</summary>
    public Task VerifyToEndAsync(CancellationToken cancellationToken) => VerifyToEndAsync(progress: null, cancellationToken);

    /// <summary>Reads to the end (if not there yet) and verifies, telling <paramref name="progress"/> the bytes of each read.</summary>
    public async Task VerifyToEndAsync(IProgress<long>? progress, CancellationToken cancellationToken)
    {
        if (_verified)
        {
            return;
        }

        // Reads of several chunks, each hashed while the next is read; progress hears of every chunk.
        var scratch = ArrayPool<byte>.Shared.Rent(8 * ParallelChunk);
        _progress = progress;
        try
        {
            while (await ReadAsync(scratch, cancellationToken).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            _progress = null;
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        if (_checksum is not null)
        {
            _checksum.Append(data);
        }
        else
        {
            _sha256!.AppendData(data);
        }
    }

    private void Account(ReadOnlySpan<byte> data)
    {
        Append(data);
        _read += data.Length;
        if (_read > _expected.Size)
        {
            Fail($"it is longer than the recorded {_expected.Size} bytes.");
        }
    }

    /// <summary>Compares what was read with the record; <paramref name="endReached"/> says the source has no byte past it.</summary>
    private void Verify(bool endReached)
    {
        if (!endReached)
        {
            Fail($"it is longer than the recorded {_expected.Size} bytes.");
        }

        if (_read != _expected.Size)
        {
            Fail($"it has {_read} bytes, the metadata records {_expected.Size}.");
        }

        if (_checksum is not null)
        {
            var actual = ValueChecksum.Of(_checksum);
            if (!string.Equals(actual, _expected.Checksum, StringComparison.Ordinal))
            {
                Fail($"its checksum is {actual}, the metadata records {_expected.Checksum} (for the SHA-256 {_expected.Hash}).");
            }
        }
        else
        {
            var actual = Convert.ToHexString(_sha256!.GetHashAndReset()).ToLowerInvariant();
            if (!string.Equals(actual, _expected.Hash, StringComparison.Ordinal))
            {
                Fail($"its SHA-256 is {actual}, the metadata records {_expected.Hash}.");
            }
        }

        _verified = true;
    }

    /// <summary>Throws, and keeps throwing on later reads: a caller that catches and reads on must not see a clean end.</summary>
    [DoesNotReturn]
    private void Fail(string reason)
    {
        _failure = new CorruptArtifactException($"{_description} is {_changedWord}: {reason}");
        throw _failure;
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            ExceptionDispatchInfo.Throw(_failure);
        }
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _sha256?.Dispose();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _sha256?.Dispose();
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
