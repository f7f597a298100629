using System.IO.Enumeration;

namespace Lineage.Values.Local;

/// <summary>
/// Values as files under a local folder: written to a temporary name, fsynced, then renamed into place. Links below the root are
/// never followed (the root itself may be reached through one): anyone who can write a shared root can plant a link, and reading,
/// listing or deleting through it would touch files elsewhere. Each operation checks the folders on its path just before using it.
/// </summary>
internal sealed class LocalValueStore(string root) : IValueStore
{
    // Readers take values in large chunks, which bypass a FileStream's buffer; a large buffer was only ever allocated for
    // small values, where a 1 MiB array per load (the large-object heap) cost far more than reading the value.
    private const int BufferSize = 1 << 12;

    // Links are skipped, never entered; hidden files are values like any other.
    private static readonly EnumerationOptions Walk = new()
    {
        RecurseSubdirectories = true,
        AttributesToSkip = FileAttributes.ReparsePoint,
        IgnoreInaccessible = false,
        MatchType = MatchType.Simple,
    };

    public string Root { get; } = root;

    // Value keys are unique uids, so a file already there is a copy an interrupted migration left: replace it.
    // The rename replaces a link at the key itself, never what it points to.
    public Task WriteAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(UnlinkedPathOf(key, refuseLinkAtKey: false), write, FilePlacement.Replace, cancellationToken);

    public Task WriteNewAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(UnlinkedPathOf(key, refuseLinkAtKey: false), write, FilePlacement.Unreferenced, cancellationToken);

    public Task<(Stream Stream, long Length)> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = UnlinkedPathOf(key, refuseLinkAtKey: true);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.SequentialScan);
            return Task.FromResult<(Stream, long)>((stream, stream.Length));
        }
        catch (DirectoryNotFoundException e)
        {
            throw new FileNotFoundException(e.Message, path, e);
        }
    }

    // A link at the key itself is removed as a link (unlink never follows the last component); what it points to stays.
    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = UnlinkedPathOf(key, refuseLinkAtKey: false);
        var directory = Path.GetDirectoryName(path)!;
        if (Directory.Exists(directory))
        {
            File.Delete(path);
            PosixFiles.FlushDirectory(directory);
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Keys are '/'-separated; the prefix names a folder (".lineage/") or a folder plus a name start.
        var directory = ListedFolderOf(prefix);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*", Walk))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var info = new FileInfo(path);
            if (info.Exists)
            {
                yield return new StoredObject(key, info.Length, info.LastWriteTimeUtc);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task EnsureNoLinksUnderAsync(string folderKey, CancellationToken cancellationToken)
    {
        var directory = ListedFolderOf(folderKey + "/");
        if (!Directory.Exists(directory))
        {
            return Task.CompletedTask;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var links = new FileSystemEnumerable<string>(directory, (ref FileSystemEntry entry) => entry.ToFullPath(),
            new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false })
        {
            ShouldIncludePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) != 0,
            ShouldRecursePredicate = (ref FileSystemEntry entry) => (entry.Attributes & FileAttributes.ReparsePoint) == 0,
        };
        return links.FirstOrDefault() is { } link
            ? throw Refused(link, link, RealPaths.LinkTargetOf(link) ?? "(unreadable)")
            : Task.CompletedTask;
    }

    public async Task<byte[]?> ReadSmallAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(UnlinkedPathOf(key, refuseLinkAtKey: true), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    // A local write is one file: what a killed one leaves is a *.partial file that ListAsync shows.
    public async IAsyncEnumerable<PendingUpload> ListPendingUploadsAsync(string prefix, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        yield break;
    }

    public Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<bool> TryCreateSmallAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(UnlinkedPathOf(key, refuseLinkAtKey: false), (stream, ct) => stream.WriteAsync(content, ct).AsTask(), FilePlacement.IfAbsent, cancellationToken);

    private string PathOf(string key) => Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The folder a listing of <paramref name="prefix"/> walks (a folder, or a folder plus a name start), checked for links.</summary>
    private string ListedFolderOf(string prefix)
    {
        var folderKey = prefix.EndsWith('/') ? prefix : prefix[..(prefix.LastIndexOf('/') + 1)];
        return UnlinkedPathOf(folderKey, refuseLinkAtKey: true);
    }

    /// <summary>
    /// The path of <paramref name="key"/>, after checking that no folder between the root and it is a link (nor, with
    /// <paramref name="refuseLinkAtKey"/>, the key itself).
    /// </summary>
    /// <exception cref="StorageLinkException">One is.</exception>
    private string UnlinkedPathOf(string key, bool refuseLinkAtKey)
    {
        var parts = key.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var path = Root;
        for (var i = 0; i < parts.Length; i++)
        {
            path = Path.Join(path, parts[i]);
            if ((refuseLinkAtKey || i < parts.Length - 1) && RealPaths.LinkTargetOf(path) is { } target)
            {
                throw Refused(PathOf(key), path, target);
            }
        }

        return PathOf(key);
    }

    private StorageLinkException Refused(string path, string link, string target)
    {
        path = Path.TrimEndingDirectorySeparator(path);
        var what = path == link ? $"is a link to '{target}'" : $"goes through '{link}', a link to '{target}'";
        return new StorageLinkException(Root, path, link,
            $"'{path}' under the storage root '{Root}' {what}. Lineage never follows a link below a storage root, since one planted there could " +
            "make it read or delete files elsewhere: nothing was read, written or deleted through it. Remove the link; to register what it points to, " +
            "register that where it really is.");
    }
}
