namespace Lineage.Values;

/// <summary>One stored object: its key under the root, size and last write time.</summary>
internal sealed record StoredObject(string Key, long Size, DateTimeOffset LastModified);

/// <summary>
/// A write begun at <paramref name="Key"/> and neither completed nor abandoned (an S3 multipart upload): nothing shows at
/// the key, yet its parts take space, as a process killed mid-save leaves them.
/// </summary>
/// <param name="Key">The key it would have written, under the root.</param>
/// <param name="UploadId">What the backend calls it.</param>
/// <param name="Size">The bytes its parts hold.</param>
/// <param name="LastWritten">When its last part arrived, or it began when none did.</param>
internal sealed record PendingUpload(string Key, string UploadId, long Size, DateTimeOffset LastWritten);

/// <summary>
/// Bytes under one storage root. Backends own only I/O; hashing, naming and ownership rules
/// belong to <see cref="ArtifactStore"/>.
/// </summary>
internal interface IValueStore
{
    /// <summary>The normalized root, as recorded in metadata.</summary>
    string Root { get; }

    /// <summary>
    /// Writes a value at <paramref name="key"/> atomically and durably: nothing is visible at the key
    /// until <paramref name="write"/> has finished and the bytes are on stable storage, and then it replaces whatever was there.
    /// On failure nothing is left behind.
    /// </summary>
    Task WriteAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="WriteAsync"/> at a key nothing refers to yet (a save's own, named by its uid), which the caller records only once this
    /// returns: the value may show at the key before it is on stable storage, since nobody looks there until then. A backend may take a
    /// shorter way so (a local root renames the file before flushing it, so that the flush commits its name too); by default it is
    /// <see cref="WriteAsync"/>. On failure nothing is left behind either.
    /// </summary>
    Task WriteNewAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) => WriteAsync(key, write, cancellationToken);

    /// <summary>Opens the value at <paramref name="key"/> for reading, with its stored length.</summary>
    /// <exception cref="FileNotFoundException">No value is stored at the key.</exception>
    Task<(Stream Stream, long Length)> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the value at <paramref name="key"/>; no error when it is already gone.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);

    /// <summary>
    /// Every object whose key starts with <paramref name="prefix"/> (e.g. <c>.lineage/</c>), in no particular order. Links are
    /// neither listed nor entered.
    /// </summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Refuses a folder that holds a link anywhere below it: a folder value's manifest describes files, and a link would be read as one.</summary>
    /// <exception cref="StorageLinkException">It holds one.</exception>
    /// <remarks>Object stores have no links: by default there is nothing to refuse.</remarks>
    Task EnsureNoLinksUnderAsync(string folderKey, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Every write begun under <paramref name="prefix"/> and never completed or abandoned, in no particular order.</summary>
    IAsyncEnumerable<PendingUpload> ListPendingUploadsAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Abandons a pending write, freeing its parts; no error when it has completed or gone meanwhile.</summary>
    Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken);

    /// <summary>Reads a small control file (such as the root marker), or <see langword="null"/> when absent.</summary>
    Task<byte[]?> ReadSmallAsync(string key, CancellationToken cancellationToken);

    /// <summary>Creates a small control file only if none exists; false when one already did.</summary>
    Task<bool> TryCreateSmallAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);
}
