using System.Diagnostics.CodeAnalysis;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;

namespace Lineage.Values;

/// <summary>What was written: byte count and SHA-256 (lowercase hex).</summary>
internal readonly record struct ValueDigest(long Size, string Hash);

/// <summary>Passes writes through to an inner stream while hashing and counting them, so a value is hashed as it streams out.</summary>
internal sealed class HashingWriteStream(Stream inner) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _written;

    public ValueDigest Digest() => new(_written, Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant());

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.AppendData(buffer);
        _written += buffer.Length;
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _hash.AppendData(buffer.Span);
        _written += buffer.Length;
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// Reads a stored value while hashing it. The read that completes the recorded size (or ends the stream early)
/// compares size and SHA-256 with the recorded ones before it returns, and throws <see cref="CorruptArtifactException"/>
/// on any difference, so a caller that reads exactly <see cref="Length"/> bytes never gets an unverified end of a value.
/// A stream disposed before that read has verified nothing.
/// </summary>
internal sealed class VerifyingReadStream(Stream inner, ValueDigest expected, string description, string changedWord = "corrupt") : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;
    private bool _verified;
    private CorruptArtifactException? _failure;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => expected.Size;
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
        var read = inner.Read(buffer);
        Account(buffer[..read]);
        if (!_verified && (read == 0 || _read == expected.Size))
        {
            // One byte more tells a source that grew after it was opened from one that ends here.
            Verify(endReached: read == 0 || inner.Read(stackalloc byte[1]) == 0);
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

        ThrowIfFailed();
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Account(buffer.Span[..read]);
        if (!_verified && (read == 0 || _read == expected.Size))
        {
            Verify(endReached: read == 0 || await inner.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) == 0);
        }

        return read;
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

        var scratch = new byte[1 << 20];
        int read;
        while ((read = await ReadAsync(scratch, cancellationToken).ConfigureAwait(false)) > 0)
        {
            progress?.Report(read);
        }
    }

    private void Account(ReadOnlySpan<byte> data)
    {
        _hash.AppendData(data);
        _read += data.Length;
        if (_read > expected.Size)
        {
            Fail($"it is longer than the recorded {expected.Size} bytes.");
        }
    }

    /// <summary>Compares what was read with the record; <paramref name="endReached"/> says the source has no byte past it.</summary>
    private void Verify(bool endReached)
    {
        if (!endReached)
        {
            Fail($"it is longer than the recorded {expected.Size} bytes.");
        }

        if (_read != expected.Size)
        {
            Fail($"it has {_read} bytes, the metadata records {expected.Size}.");
        }

        var actual = Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant();
        if (!string.Equals(actual, expected.Hash, StringComparison.Ordinal))
        {
            Fail($"its SHA-256 is {actual}, the metadata records {expected.Hash}.");
        }

        _verified = true;
    }

    /// <summary>Throws, and keeps throwing on later reads: a caller that catches and reads on must not see a clean end.</summary>
    [DoesNotReturn]
    private void Fail(string reason)
    {
        _failure = new CorruptArtifactException($"{description} is {changedWord}: {reason}");
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
            _hash.Dispose();
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        _hash.Dispose();
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
