using System.Security.Cryptography;
using Lineage.Serialization;
using MemoryPack;

namespace Lineage;

/// <summary>
/// Hashes the inputs of a computation for <c>GetOrCompute</c>: each input through its serialized (MemoryPack)
/// form, a file through its content. Two calls with equal inputs get the same hash.
/// </summary>
public sealed class InputHasher : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private int _count;

    /// <summary>Adds one input.</summary>
    /// <exception cref="ArtifactSerializationException">The input cannot be serialized, so it cannot identify the computation.</exception>
    public InputHasher Add<T>(T value)
    {
        Span<byte> header = stackalloc byte[12];
        BitConverter.TryWriteBytes(header, _count++);
        if (value is FileInfo file)
        {
            BitConverter.TryWriteBytes(header[4..], file.Length);
            _hash.AppendData(header);
            using var content = file.OpenRead();
            _hash.AppendData(SHA256.HashData(content));
            return this;
        }

        byte[] bytes;
        try
        {
            bytes = MemoryPackSerializer.Serialize(value);
        }
        catch (MemoryPackSerializationException e)
        {
            throw new ArtifactSerializationException(
                $"Input {_count} ({TypeNames.Of(typeof(T))}) cannot be serialized, so GetOrCompute cannot tell whether it changed: {e.Message} {SerializationAdvice.For(typeof(T))}", e);
        }

        BitConverter.TryWriteBytes(header[4..], (long)bytes.Length);
        _hash.AppendData(header);
        _hash.AppendData(bytes);
        return this;
    }

    /// <summary>The hash of the inputs added so far (lowercase hex).</summary>
    public string Finish() => Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant();

    /// <inheritdoc/>
    public void Dispose() => _hash.Dispose();
}
