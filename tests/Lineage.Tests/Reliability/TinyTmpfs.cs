using Lineage.Testing;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Reliability;

/// <summary>
/// A tmpfs of a few hundred KiB mounted for one test: a disk that is, or can be made, full. Mounting needs root on Linux; where
/// that is not possible the test is skipped with the reason, and fails under CI=true, where it must run. Unmounted on dispose.
/// </summary>
internal sealed class TinyTmpfs : IDisposable
{
    private readonly string _ballast;

    private TinyTmpfs(string path)
    {
        Path = path;
        _ballast = System.IO.Path.Combine(path, "ballast");
    }

    /// <summary>The mount point.</summary>
    public string Path { get; }

    public static async Task<TinyTmpfs> MountAsync(string path, string size)
    {
        const string what = "A tiny tmpfs (a full disk)";
        if (!OperatingSystem.IsLinux())
        {
            ServerProcess.Unavailable(what, "tmpfs mounts need Linux");
        }

        if (Environment.UserName != "root")
        {
            ServerProcess.Unavailable(what, $"mounting needs root, and this runs as '{Environment.UserName}'");
        }

        Directory.CreateDirectory(path);
        var (code, output) = await LocalServers.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={size}", "tmpfs", path], TimeSpan.FromSeconds(30));
        if (code != 0)
        {
            ServerProcess.Unavailable(what, $"mount -t tmpfs -o size={size} tmpfs {path} failed: {output.Trim()}");
        }

        return new TinyTmpfs(path);
    }

    /// <summary>Writes a ballast file until the disk refuses more; returns the bytes it took.</summary>
    public long Fill()
    {
        var chunk = new byte[4096];
        long written = 0;
        using var ballast = new FileStream(_ballast, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            while (true)
            {
                ballast.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            return written;
        }
    }

    /// <summary>Removes the ballast: the disk has room again.</summary>
    public void Free() => File.Delete(_ballast);

    public void Dispose()
    {
        // Lazily when something still holds a file open there (a pooled SQLite connection): the mount goes once it is closed.
        var (code, _) = LocalServers.RunAsync("umount", [Path], TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (code != 0)
        {
            LocalServers.RunAsync("umount", ["-l", Path], TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }
    }
}
