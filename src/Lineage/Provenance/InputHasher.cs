using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Lineage.Serialization;
using MemoryPack;

namespace Lineage;

/// <summary>The content digest of one input of a computation: the size and SHA-256 of the bytes a save of it would store.</summary>
/// <param name="Position">The input's position among the computation's inputs, from 0.</param>
/// <param name="Size">How many bytes a save of the input would store.</param>
/// <param name="Hash">SHA-256 of those bytes, lowercase hex: equal to <see cref="ArtifactRecord.Hash"/> of a version holding the same value.</param>
public readonly record struct InputDigest(int Position, long Size, string Hash);

/// <summary>
/// Hashes the inputs of a computation for <c>GetOrCompute</c>. Each input is hashed over exactly the bytes a save of it
/// would store (MemoryPack for values, the bytes themselves for <c>byte[]</c>, the content for a <see cref="FileInfo"/>),
/// streamed into the hash rather than copied into one array. So an input equal to a stored version has that version's
/// content hash, which is how <c>GetOrCompute</c> knows exactly which versions a result was computed from.
/// </summary>
public sealed class InputHasher : IDisposable
{
    private const int ChunkSize = 1 << 16;

    private readonly List<InputDigest> _inputs = [];

    /// <summary>The digests of the inputs added so far, in order.</summary>
    public IReadOnlyList<InputDigest> Inputs => _inputs;

    /// <summary>Adds one input.</summary>
    /// <exception cref="ArtifactSerializationException">The input cannot be serialized, so it cannot identify the computation.</exception>
    public InputHasher Add<T>(T value)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var size = value switch
        {
            byte[] bytes => Append(hash, bytes),
            FileInfo file => AppendFile(hash, file),
            _ => AppendSerialized(hash, value),
        };
        _inputs.Add(new InputDigest(_inputs.Count, size, Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant()));
        return this;
    }

    /// <summary>
    /// The hash of the inputs added so far (lowercase hex): SHA-256 over each input's position, size and content hash, so two
    /// calls with equal inputs get the same hash and the inputs are read once.
    /// </summary>
    public string Finish()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> header = stackalloc byte[12];
        foreach (var input in _inputs)
        {
            BitConverter.TryWriteBytes(header, input.Position);
            BitConverter.TryWriteBytes(header[4..], input.Size);
            hash.AppendData(header);
            hash.AppendData(Convert.FromHexString(input.Hash));
        }

        return Convert.ToHexString(hash.GetHashAndReset()).ToLowerInvariant();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private static long Append(IncrementalHash hash, ReadOnlySpan<byte> bytes)
    {
        hash.AppendData(bytes);
        return bytes.Length;
    }

    private static long AppendFile(IncrementalHash hash, FileInfo file)
    {
        using var content = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkSize, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            long size = 0;
            int read;
            while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                size += read;
            }

            return size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private long AppendSerialized<T>(IncrementalHash hash, T value)
    {
        // MemoryPack writes an array of primitives as its length and the array's memory: hashed in place, because MemoryPack
        // would ask its writer for one span as large as the whole array.
        if (TryAppendUnmanaged(hash, value, out var size))
        {
            return size;
        }

        using var writer = new HashingBufferWriter(hash);
        try
        {
            MemoryPackSerializer.Serialize(writer, value);
        }
        catch (MemoryPackSerializationException e)
        {
            throw new ArtifactSerializationException(
                $"Input {_inputs.Count} ({TypeNames.Of(typeof(T))}) cannot be serialized, so GetOrCompute cannot tell whether it changed: {e.Message} {SerializationAdvice.For(typeof(T))}", e);
        }

        return writer.Flush();
    }

    private static bool TryAppendUnmanaged<T>(IncrementalHash hash, T value, out long size)
    {
        size = 0;
        if (value is not Array array || array.Rank != 1 || array.GetType().GetElementType() is not { IsPrimitive: true })
        {
            return false;
        }

        Span<byte> header = stackalloc byte[4];
        BitConverter.TryWriteBytes(header, array.Length);
        var bytes = MemoryMarshal.CreateReadOnlySpan(ref MemoryMarshal.GetArrayDataReference(array), Buffer.ByteLength(array));
        hash.AppendData(header);
        hash.AppendData(bytes);
        size = header.Length + (long)bytes.Length;
        return true;
    }

    /// <summary>An <see cref="IBufferWriter{T}"/> that hashes what is written in chunks instead of keeping it.</summary>
    private sealed class HashingBufferWriter(IncrementalHash hash) : IBufferWriter<byte>, IDisposable
    {
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        private int _used;
        private long _total;

        public void Advance(int count)
        {
            _used += count;
            _total += count;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_used);

        public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_used);

        /// <summary>Hashes what is buffered; returns the total written.</summary>
        public long Flush()
        {
            hash.AppendData(_buffer, 0, _used);
            _used = 0;
            return _total;
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

        private byte[] Reserve(int sizeHint)
        {
            sizeHint = Math.Max(sizeHint, 1);
            if (_buffer.Length - _used >= sizeHint)
            {
                return _buffer;
            }

            Flush();
            if (_buffer.Length < sizeHint)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
            }

            return _buffer;
        }
    }
}
