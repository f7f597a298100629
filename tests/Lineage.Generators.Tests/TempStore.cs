namespace Lineage.Generators.Tests;

/// <summary>
/// A store in its own folder under the system temp folder, with every location pinned explicitly, so no test
/// touches the real ~/.lineage or depends on the machine's environment. The folder is deleted on dispose.
/// </summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Home = Path.Combine(Path.GetTempPath(), "lineage-generator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
        Store = ArtifactStore.Open(new LineageOptions
        {
            Home = Home,
            DatabaseUrl = "sqlite:///" + Path.Combine(Home, "db.sqlite"),
            ArtifactStorageDir = Path.Combine(Home, "artifacts"),
        });
    }

    public string Home { get; }

    public ArtifactStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
