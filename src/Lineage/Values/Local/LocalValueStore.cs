namespace Lineage.Values.Local;

/// <summary>Values as files under a local folder: written to a temporary name, fsynced, then renamed into place.</summary>
internal sealed class LocalValueStore(string root) : IValueStore
{
    private const string PartialSuffix = ".partial";
    private const int BufferSize = 1 << 20;

    public string Root { get; } = root;

    public async Task WriteAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = $"{path}.{Uid.New(8)}{PartialSuffix}";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
            using (var buffered = new BufferedStream(file, BufferSize))
            {
                await write(buffered, cancellationToken).ConfigureAwait(false);
                await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
            DirectorySync.Flush(directory);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

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
            DirectorySync.Flush(directory);
        }

        return Task.CompletedTask;
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

    public async Task<bool> TryCreateSmallAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            return false;
        }

        try
        {
            await WriteAsync(key, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it between the check and the rename: theirs stands.
            return false;
        }
    }

    private string PathOf(string key) => Path.Combine(Root, key.Replace('/', Path.DirectorySeparatorChar));

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover *.partial file is never visible as an artifact.
        }
    }
}
