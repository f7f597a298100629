using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Lineage.Values.Local;

/// <summary>
/// The two file-system guarantees .NET does not give directly on POSIX systems: a rename that is durable
/// (the directory itself fsynced), and a create-if-absent that is atomic (<c>link(2)</c>, which fails with EEXIST;
/// <see cref="File.Move(string, string, bool)"/> without overwrite checks, then renames, so two racers can both win).
/// On Windows, NTFS journals renames and MoveFileEx without replace is atomic, so the plain calls suffice.
/// </summary>
internal static partial class PosixFiles
{
    private const int ReadOnly = 0;
    private const int FileExists = 17;

    /// <summary>Flushes a directory so that renames into it survive a crash.</summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var descriptor = Open(directory, ReadOnly);
        if (descriptor < 0)
        {
            throw new IOException($"Cannot open '{directory}' to flush it to disk (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(descriptor) != 0)
            {
                throw new IOException($"Cannot flush '{directory}' to disk (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>Moves <paramref name="source"/> to <paramref name="destination"/> only if nothing is there; false when something was.</summary>
    public static bool TryMoveNew(string source, string destination)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Move(source, destination, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(destination))
            {
                return false;
            }
        }

        if (Link(source, destination) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error == FileExists)
            {
                return false;
            }

            throw new IOException($"Cannot create '{destination}' (errno {error}).");
        }

        File.Delete(source);
        return true;
    }

    private const uint SyncFileRangeWrite = 2;

    /// <summary>
    /// Asks Linux to start writing back a range of a file now (<c>sync_file_range</c> with <c>SYNC_FILE_RANGE_WRITE</c>), without
    /// waiting: the disk then works while the rest is still being written and hashed, and the final fsync has little left to do.
    /// Durability still comes from that fsync. Does nothing elsewhere, or when the call fails.
    /// </summary>
    public static void StartWriteback(SafeFileHandle file, long offset, long length)
    {
        if (OperatingSystem.IsLinux() && !file.IsInvalid)
        {
            _ = SyncFileRange((int)file.DangerousGetHandle(), offset, length, SyncFileRangeWrite);
        }
    }

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int descriptor, long offset, long length, uint flags);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);
}
