using System.Security.Cryptography;
using System.Text;

namespace Lineage.Values;

/// <summary>
/// Digests of what is stored under a root: one object, or a folder of files registered in place. A folder's digest is its
/// total size and the SHA-256 of its manifest: one line <c>relative/path \t size \t sha256</c> per file, in ordinal order.
/// </summary>
internal static class StoredDigests
{
    /// <summary>Size, SHA-256 and load-time checksum of the object at <paramref name="key"/>, streamed; null when there is none.</summary>
    public static async Task<ValueDigest?> OfObjectAsync(IValueStore values, string key, CancellationToken cancellationToken)
    {
        Stream stream;
        try
        {
            (stream, _) = await values.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            // The next chunk is read while the last one is hashed.
            var hasher = new PipelinedHasher();
            await using (hasher.ConfigureAwait(false))
            {
                await stream.CopyToAsync(new HashingWriteStream(Stream.Null, hasher), 1 << 20, cancellationToken).ConfigureAwait(false);
                return await hasher.FinishAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The files under the folder <paramref name="folderKey"/>, by relative path; empty when there are none.</summary>
    /// <exception cref="StorageLinkException">The folder holds a link (a local folder): its manifest cannot describe one, and Lineage never reads through one.</exception>
    public static async Task<IReadOnlyList<StoredObject>> FilesAsync(IValueStore values, string folderKey, CancellationToken cancellationToken)
    {
        await values.EnsureNoLinksUnderAsync(folderKey, cancellationToken).ConfigureAwait(false);
        var files = new List<StoredObject>();
        await foreach (var stored in values.ListAsync(folderKey + "/", cancellationToken).ConfigureAwait(false))
        {
            files.Add(stored);
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return files;
    }

    /// <summary>The folder's digest, reading every file; null when the folder holds no file.</summary>
    public static async Task<ValueDigest?> OfFolderAsync(IValueStore values, string folderKey, CancellationToken cancellationToken) =>
        await OfFolderAsync(values, folderKey, await FilesAsync(values, folderKey, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The digest of the folder holding <paramref name="files"/> (as listed by <see cref="FilesAsync"/>); null when there are none.</summary>
    public static async Task<ValueDigest?> OfFolderAsync(IValueStore values, string folderKey, IReadOnlyList<StoredObject> files, CancellationToken cancellationToken, IProgress<long>? progress = null)
    {
        if (files.Count == 0)
        {
            return null;
        }

        using var manifest = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long total = 0;
        foreach (var file in files)
        {
            // A file that vanished between listing and reading counts as a zero-length entry: the digest no longer matches.
            var digest = await OfObjectAsync(values, file.Key, cancellationToken).ConfigureAwait(false) ?? new ValueDigest(0, string.Empty);
            manifest.AppendData(Encoding.UTF8.GetBytes($"{file.Key[(folderKey.Length + 1)..]}\t{digest.Size}\t{digest.Hash}\n"));
            total += digest.Size;
            progress?.Report(digest.Size);
        }

        // A folder has no checksum of its own: loading it verifies its files' SHA-256 through the manifest.
        return new ValueDigest(total, Convert.ToHexString(manifest.GetHashAndReset()).ToLowerInvariant());
    }
}
