namespace Lineage.Benchmarks;

/// <summary>A scratch folder on the same disk for the store and its raw baseline, removed afterwards.</summary>
internal sealed class BenchmarkFolder : IDisposable
{
    public BenchmarkFolder(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lineage-bench", $"{name}-{Environment.ProcessId}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Options for a store on SQLite + a local folder inside this folder; adjust before opening.</summary>
    public LineageOptions Options() => new()
    {
        Home = Path,
        DatabaseUrl = "sqlite:///" + System.IO.Path.Combine(Path, "db.sqlite"),
        ArtifactStorageDir = System.IO.Path.Combine(Path, "artifacts"),
    };

    public ArtifactStore OpenStore() => ArtifactStore.Open(Options());

    public void Dispose() => Directory.Delete(Path, recursive: true);

    /// <summary>
    /// The raw durable write a save is built on: temp file, write, fsync, rename; with <paramref name="flushFolder"/>, the folder
    /// is flushed too, without which a power cut may lose the rename.
    /// </summary>
    public static void WriteDurably(string path, byte[] value, bool flushFolder = false)
    {
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(value);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path);
        if (flushFolder)
        {
            Lineage.Values.Local.PosixFiles.FlushDirectory(System.IO.Path.GetDirectoryName(path)!);
        }
    }
}
