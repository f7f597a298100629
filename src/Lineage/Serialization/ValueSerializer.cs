using System.Buffers;
using Lineage.Values;
using MemoryPack;

namespace Lineage.Serialization;

/// <summary>How a stored value is encoded.</summary>
internal static class ValueFormats
{
    /// <summary>MemoryPack binary; loads as the type it was saved as.</summary>
    public const string MemoryPack = "memorypack";

    /// <summary>Bytes saved as-is (byte arrays, streams, files); load as <c>byte[]</c> or <see cref="Stream"/>.</summary>
    public const string Raw = "raw";

    /// <summary>A folder of files registered in place; loads as <see cref="DirectoryInfo"/> (local roots).</summary>
    public const string Folder = "folder";
}

/// <summary>How one value will be written: its format, recorded type, file suffix and the writer.</summary>
/// <param name="Format">How it is encoded (<see cref="ValueFormats"/>).</param>
/// <param name="TypeName">The type it is recorded as.</param>
/// <param name="Suffix">The suffix of its key.</param>
/// <param name="WriteTo">Writes its bytes.</param>
/// <param name="TypeSchema">The member layout of its type, for <c>[Artifact]</c> types.</param>
/// <param name="Size">
/// The bytes <paramref name="WriteTo"/> will write, when known before writing and when <paramref name="WriteTo"/> may run more than once
/// (the same bytes each time): then a save can hash the value first and skip the write when the root already holds it.
/// </param>
/// <param name="Bytes">
/// All of its bytes, when they are already in memory (a <c>byte[]</c>, or a serialized object) and stay unchanged during the save:
/// then they are hashed on other cores while they are written, with no copy.
/// </param>
internal sealed record SavePlan(string Format, string TypeName, string Suffix, Func<Stream, CancellationToken, Task> WriteTo, string? TypeSchema = null, long? Size = null,
    ReadOnlyMemory<byte>? Bytes = null);

/// <summary>Turns values into bytes and back: raw bytes, streams and files as-is; everything else through MemoryPack.</summary>
internal static class ValueSerializer
{
    private const string MemoryPackSuffix = ".mpk";

    public static SavePlan Plan<T>(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (value)
        {
            case byte[] bytes:
                return new SavePlan(ValueFormats.Raw, TypeNames.Of(typeof(byte[])), string.Empty,
                    (destination, ct) => destination.WriteAsync(bytes, ct).AsTask(), Size: bytes.Length, Bytes: bytes);
            case Stream stream:
                if (!stream.CanRead)
                {
                    throw new ArgumentException("The stream to save cannot be read.", nameof(value));
                }

                if (stream.CanSeek)
                {
                    // Read again from where it stood: the hash taken before writing and the bytes written are the same bytes.
                    var start = stream.Position;
                    return new SavePlan(ValueFormats.Raw, TypeNames.Of(typeof(Stream)), string.Empty, (destination, ct) =>
                    {
                        stream.Position = start;
                        return stream.CopyToAsync(destination, 1 << 20, ct);
                    }, Size: stream.Length - start);
                }

                return new SavePlan(ValueFormats.Raw, TypeNames.Of(typeof(Stream)), string.Empty,
                    (destination, ct) => stream.CopyToAsync(destination, 1 << 20, ct));
            case FileInfo file:
                if (!file.Exists)
                {
                    throw new FileNotFoundException($"The file to save, '{file.FullName}', does not exist.", file.FullName);
                }

                return new SavePlan(ValueFormats.Raw, TypeNames.Of(typeof(FileInfo)), file.Extension, async (destination, ct) =>
                {
                    using var source = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
                    await source.CopyToAsync(destination, 1 << 20, ct).ConfigureAwait(false);
                }, Size: file.Length);
            default:
                // Serialized here, once: its size is then known, so a save can look for the same bytes in the root before writing.
                byte[] serialized;
                try
                {
                    serialized = MemoryPackSerializer.Serialize(value);
                }
                catch (MemoryPackSerializationException e)
                {
                    throw new ArtifactSerializationException(
                        $"Lineage cannot serialize a {TypeNames.Of(typeof(T))}: {e.Message} {SerializationAdvice.For(typeof(T))} Or save it as bytes, a stream or a file.", e);
                }

                return new SavePlan(ValueFormats.MemoryPack, TypeNames.Of(typeof(T)), MemoryPackSuffix, TypeSchema: ArtifactTypes.SchemaOf(typeof(T)),
                    WriteTo: (destination, ct) => destination.WriteAsync(serialized, ct).AsTask(), Size: serialized.Length, Bytes: serialized);
        }
    }

    /// <summary>Fails before any I/O when <paramref name="record"/> cannot be loaded as <typeparamref name="T"/>.</summary>
    public static void EnsureLoadableAs<T>(ArtifactRecord record)
    {
        var requested = TypeNames.Of(typeof(T));
        switch (record.Format)
        {
            case ValueFormats.Raw when typeof(T) == typeof(byte[]) || typeof(T) == typeof(Stream):
                return;
            case ValueFormats.Folder when typeof(T) == typeof(DirectoryInfo):
                return;
            case ValueFormats.Folder:
                throw new ArtifactTypeMismatchException(record.TypeName, requested,
                    $"Artifact '{record.Name}' version {record.Version} is a folder and cannot be loaded as {requested}: load it as DirectoryInfo.");
            case ValueFormats.Raw:
                throw new ArtifactTypeMismatchException(record.TypeName, requested,
                    $"Artifact '{record.Name}' version {record.Version} was saved as raw bytes ({record.TypeName}) and cannot be loaded as {requested}: load it as byte[] or Stream.");
            case ValueFormats.MemoryPack when string.Equals(record.TypeName, requested, StringComparison.Ordinal):
                if (record.TypeSchema is { } saved && ArtifactTypes.SchemaOf(typeof(T)) is { } current
                    && ArtifactTypes.Incompatibility(saved, current) is { } problem)
                {
                    throw new ArtifactSerializationException(
                        $"Artifact '{record.Name}' version {record.Version} was saved by an incompatible shape of {requested}: {problem}");
                }

                return;
            case ValueFormats.MemoryPack:
                throw new ArtifactTypeMismatchException(record.TypeName, requested,
                    $"Artifact '{record.Name}' version {record.Version} was saved as {record.TypeName} and cannot be loaded as {requested}.");
            default:
                throw new LineageException(
                    $"Artifact '{record.Name}' version {record.Version} uses the value format '{record.Format}', which this version of Lineage does not know: upgrade Lineage to load it.");
        }
    }

    /// <summary>
    /// Reads the value from <paramref name="source"/>. Buffered results are verified before they are returned;
    /// a <see cref="Stream"/> result verifies itself when read to the end, and the caller owns it.
    /// </summary>
    public static async Task<T> ReadAsync<T>(ArtifactRecord record, VerifyingReadStream source, CancellationToken cancellationToken)
    {
        if (typeof(T) == typeof(Stream))
        {
            return (T)(object)source;
        }

        await using (source.ConfigureAwait(false))
        {
            if (record.Size > Array.MaxLength)
            {
                throw new ArtifactSerializationException(
                    $"Artifact '{record.Name}' version {record.Version} is {record.Size} bytes, too large to load into memory: load it as a Stream.");
            }

            var size = (int)record.Size;
            if (typeof(T) == typeof(byte[]))
            {
                // Every byte is read into it before it is returned: zeroing it first would only cost time.
                var bytes = GC.AllocateUninitializedArray<byte>(size);
                await source.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
                await source.VerifyToEndAsync(cancellationToken).ConfigureAwait(false);
                return (T)(object)bytes;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(size);
            try
            {
                await source.ReadExactlyAsync(buffer.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
                await source.VerifyToEndAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return MemoryPackSerializer.Deserialize<T>(buffer.AsSpan(0, size))!;
                }
                catch (MemoryPackSerializationException e)
                {
                    throw new ArtifactSerializationException(
                        $"Artifact '{record.Name}' version {record.Version} could not be read as {record.TypeName}: {e.Message}", e);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
