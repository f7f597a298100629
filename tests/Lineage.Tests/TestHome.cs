namespace Lineage.Tests;

/// <summary>
/// A throwaway Lineage home under the system temp folder, so no test touches the real ~/.lineage.
/// Deleted when disposed.
/// </summary>
public sealed class TestHome : IDisposable
{
    public TestHome()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lineage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    /// <summary>The home folder (exists).</summary>
    public string Path { get; }

    /// <summary>A path inside the home folder (not created).</summary>
    public string Sub(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Options that pin Home explicitly, so environment variables of the machine cannot leak in.</summary>
    public LineageOptions Options(string? databaseUrl = null, string? artifactStorageDir = null) => new()
    {
        Home = Path,
        DatabaseUrl = databaseUrl ?? "sqlite:///" + Sub("db.sqlite"),
        ArtifactStorageDir = artifactStorageDir ?? Sub("artifacts"),
    };

    /// <summary>Opens a store on this home (or on the given database/root).</summary>
    public ArtifactStore Open(string? databaseUrl = null, string? artifactStorageDir = null) =>
        ArtifactStore.Open(Options(databaseUrl, artifactStorageDir));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
