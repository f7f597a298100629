using System.Security.Cryptography;

namespace Lineage.Tests.Reliability;

/// <summary>Deterministic bytes of a given length, read as a save reads a stream; calls <c>kill</c> once <c>killAt</c> bytes have been read.</summary>
internal sealed class GeneratedStream(long length, long killAt = long.MaxValue, Action? kill = null) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _position;

    public bool Killed { get; private set; }

    /// <summary>SHA-256 of everything read so far, lowercase hex, as the store records it.</summary>
    public string Sha256Hex => Convert.ToHexString(_hash.GetCurrentHash()).ToLowerInvariant();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!Killed && _position >= killAt)
        {
            Killed = true;
            kill!();
        }

        var take = (int)Math.Min(buffer.Length, length - _position);
        for (var i = 0; i < take; i++)
        {
            buffer[i] = (byte)((_position + i) * 31 % 251);
        }

        _hash.AppendData(buffer[..take]);
        _position += take;
        return take;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
