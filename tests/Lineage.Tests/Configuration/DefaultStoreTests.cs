namespace Lineage.Tests.Configuration;

/// <summary>
/// ArtifactStore.Default is process-global: this is the only test that touches it, in a class of its own.
/// </summary>
public sealed class DefaultStoreTests
{
    [Fact]
    public void ConfigureDefault_points_Default_at_its_home_and_is_locked_once_Default_opens()
    {
        // Default stays open on this home for the rest of the process, so the folder goes only when the process ends.
        var home = new TestHome();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => home.Dispose();
        var options = home.Options();

        ArtifactStore.ConfigureDefault(options);
        var record = ArtifactStore.Default.Save("configured-default", 42);

        Assert.Equal(home.Path, ArtifactStore.Default.Options.Home);
        Assert.Equal(home.Sub("artifacts"), record.StorageRoot);
        Assert.True(File.Exists(Path.Combine(home.Sub("artifacts"), record.Key)));
        Assert.True(options.IsFrozen);

        using var other = new TestHome();
        Assert.Throws<InvalidOperationException>(() => ArtifactStore.ConfigureDefault(other.Options()));

        ArtifactStore.Default.Dispose();
        Assert.Equal(42, ArtifactStore.Default.Load<int>("configured-default"));
        Assert.Equal(home.Path, ArtifactStore.Default.Options.Home);
    }
}
