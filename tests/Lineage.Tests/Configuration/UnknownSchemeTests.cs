namespace Lineage.Tests.Configuration;

/// <summary>A root whose scheme no backend answers is an error wherever it appears, never a local folder by default.</summary>
public sealed class UnknownSchemeTests
{
    [Theory]
    [InlineData("hdfs://namenode/values", "'hdfs'")]
    [InlineData("ftp://files/values", "'ftp'")]
    [InlineData("gs://team-bucket/values", "'gs'")]
    public void A_recorded_root_with_an_unknown_scheme_is_an_error_not_a_local_folder(string root, string scheme)
    {
        using var home = new TestHome();
        using var store = home.Open();

        // Such a root reaches the store from metadata (written by a newer Lineage, or by hand), not through parsing.
        var error = Assert.Throws<LineageConfigurationException>(() => store.ValuesAt(root));

        Assert.Contains($"uses the unsupported scheme {scheme}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hdfs://namenode/values")]
    [InlineData("ftp://files/values")]
    public void An_unknown_scheme_in_artifact_storage_dir_is_refused_when_resolving(string storageDir)
    {
        using var home = new TestHome();

        var error = Assert.Throws<LineageConfigurationException>(() => ArtifactStore.ResolveOptions(home.Options(artifactStorageDir: storageDir)));

        Assert.StartsWith($"artifact_storage_dir '{storageDir}' uses the unsupported scheme", error.Message, StringComparison.Ordinal);
        // Every registered form is named (a test may have registered more backends in this process: the catalog is shared).
        Assert.All(new[] { "supported are a folder path", "file:///path", "s3://bucket/prefix", "az://container/prefix" },
            form => Assert.Contains(form, error.Message, StringComparison.Ordinal));
    }
}
