namespace Lineage.Values.Local;

/// <summary>How a finished temporary file takes its final name.</summary>
internal enum FilePlacement
{
    /// <summary>Only if nothing is there yet (a storage marker): atomic even against racing processes.</summary>
    IfAbsent,

    /// <summary>Replacing whatever is there (a value, or an export the user asked for): one atomic rename.</summary>
    Replace,

    /// <summary>
    /// As <see cref="Replace"/>, at a path nothing refers to until the caller records it after the write returns (a save's own key): renamed
    /// before it is flushed, so that the file's flush also commits its new name and the folder's flush after it finds little left to do.
    /// </summary>
    Unreferenced,
}

/// <summary>
/// Writes a file atomically and durably: to a temporary name, fsynced, renamed into place, then the directory fsynced (at a path nothing
/// refers to yet, renamed first and then both fsynced: <see cref="FilePlacement.Unreferenced"/>).
/// Readers see the old state or the whole new file, never a part; on failure the temporary file is removed.
/// </summary>
internal static class AtomicFile
{
    private const int WriteBufferSize = 1 << 16;

    // On Unix .NET reports the errno as the HResult: ENOSPC is 28 everywhere, EDQUOT 122 on Linux and 69 on macOS.
    private const int NoSpaceLeft = 28;
    private const int LinuxQuotaExceeded = 122;
    private const int MacQuotaExceeded = 69;
    private const int WindowsHandleDiskFull = 0x27;
    private const int WindowsDiskFull = 0x70;

    /// <summary>False only for <see cref="FilePlacement.IfAbsent"/> when the file already existed.</summary>
    public static async Task<bool> WriteAsync(string path, Func<Stream, CancellationToken, Task> write, FilePlacement placement, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temporary = $"{path}.{Uid.New(8)}.partial";
        var renamed = false;
        try
        {
            // Small writes gather in the FileStream's buffer; large ones go straight through it.
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, WriteBufferSize))
            {
                await write(new WritebackStream(file), cancellationToken).ConfigureAwait(false);
                if (placement == FilePlacement.Unreferenced && !OperatingSystem.IsWindows())
                {
                    // Flushed after the rename, the file's journal commit carries the new name too, and the folder's flush finds less
                    // to do (ext4 here: 70 µs, against 105 µs after a rename that follows the file's flush). Both on this thread: the
                    // folder flushed on another one saved 20 µs, less than handing the rest of the save over to that thread cost. Nobody
                    // reads the path before both are done: a crash before then leaves a file no row points to, as before the rename.
                    file.Flush(flushToDisk: false);
                    File.Move(temporary, path, overwrite: true);
                    renamed = true;
                    file.Flush(flushToDisk: true);
                    PosixFiles.FlushDirectory(directory);
                    return true;
                }

                file.Flush(flushToDisk: true);
            }

            switch (placement)
            {
                case FilePlacement.IfAbsent when !PosixFiles.TryMoveNew(temporary, path):
                    TryDelete(temporary);
                    return false;
                case FilePlacement.IfAbsent:
                    break;
                default:
                    File.Move(temporary, path, overwrite: placement != FilePlacement.IfAbsent);
                    break;
            }

            PosixFiles.FlushDirectory(directory);
            return true;
        }
        catch
        {
            TryDelete(renamed ? path : temporary);
            throw;
        }
    }

    /// <summary>True when <paramref name="error"/> says the file system has no space left (or the user's quota is used up).</summary>
    public static bool IsDiskFull(IOException error) => OperatingSystem.IsWindows()
        ? (error.HResult & 0xFFFF) is WindowsDiskFull or WindowsHandleDiskFull
        : error.HResult == (OperatingSystem.IsLinux() ? LinuxQuotaExceeded : MacQuotaExceeded) || error.HResult == NoSpaceLeft;

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover *.partial file is never visible as an artifact, and gc finds it.
        }
    }
}

/// <summary>
/// Writes through to a file in slices of <see cref="Slice"/> bytes and asks the OS to start writing back each full slice at once
/// (<see cref="PosixFiles.StartWriteback"/>): a large value then reaches the disk while the rest is still being produced and hashed,
/// instead of all at the final fsync. Small files are untouched.
/// </summary>
internal sealed class WritebackStream(FileStream file) : Stream
{
    private const int Slice = 8 << 20;
    private long _written;
    private long _startedUpTo;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _written;
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            var take = (int)Math.Min(buffer.Length, Slice - (_written - _startedUpTo));
            file.Write(buffer[..take]);
            Advance(take);
            buffer = buffer[take..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var take = (int)Math.Min(buffer.Length, Slice - (_written - _startedUpTo));
            await file.WriteAsync(buffer[..take], cancellationToken).ConfigureAwait(false);
            Advance(take);
            buffer = buffer[take..];
        }
    }

    private void Advance(int written)
    {
        _written += written;
        if (_written - _startedUpTo >= Slice)
        {
            // What the FileStream still buffers is at most its buffer's size: it reaches the OS with the next slice or the flush.
            file.Flush(flushToDisk: false);
            PosixFiles.StartWriteback(file.SafeFileHandle, _startedUpTo, _written - _startedUpTo);
            _startedUpTo = _written;
        }
    }

    public override void Flush() => file.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => file.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
