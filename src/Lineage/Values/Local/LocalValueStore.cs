namespace Lineage.Values.Local;

/// <summary>Values as files under a local folder: written to a temporary name, fsynced, then renamed into place.</summary>
internal sealed class LocalValueStore(string root) : IValueStore
{
    private const int BufferSize = 1 << 20;

    public string Root { get; } = root;

    // Value keys are unique uids, so a file already there is a copy an interrupted migration left: replace it.
    public Task WriteAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
        AtomicFile.WriteAsync(PathOf(key), write, FilePlacement.Replace, cancellationToken);

    public Task<(Stream Stream, long Length)> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(key);
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

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var path = PathOf(key);
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
        var start = PathOf(prefix);
        var directory = prefix.EndsWith('/') ? start : Path.GetDirectoryName(start)!;
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories))
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

    public async Task<byte[]?> ReadSmallAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(PathOf(key), cancellationToken).ConfigureAwait(false);
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
        AtomicFile.WriteAsync(PathOf(key), (stream, ct) => stream.WriteAsync(content, ct).AsTask(), FilePlacement.IfAbsent, cancellationToken);

    private string PathOf(string key) => Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));
}
