using System.ComponentModel;

namespace Lineage;

/// <summary>
/// States the project's storage in code: <c>[assembly: ArtifactStorage(DatabaseUrl = "...", ArtifactStorageDir = "...")]</c>.
/// Compiled into the program, it becomes the program's defaults: above the user config file, below the environment
/// and explicit options. The compiler checks it (LIN0001–LIN0006).
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
public sealed class ArtifactStorageAttribute : Attribute
{
    /// <summary>The metadata database URL.</summary>
    public string? DatabaseUrl { get; set; }

    /// <summary>The root new values are written to.</summary>
    public string? ArtifactStorageDir { get; set; }

    /// <summary>Storage options as <c>key=value</c> pairs, e.g. <c>["profile=research", "region=eu-west-1"]</c>. No secrets here (LIN0004).</summary>
    public string[]? StorageOptions { get; set; }
}

/// <summary>
/// The project configuration from <c>lineage.json</c> and MSBuild properties, compiled in by the Lineage generator.
/// Not for use in code: write <see cref="ArtifactStorageAttribute"/> instead.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GeneratedProjectStorageAttribute : Attribute
{
    /// <summary>Creates the attribute; <paramref name="storageOptions"/> holds <c>key=value</c> pairs.</summary>
    public GeneratedProjectStorageAttribute(string? databaseUrl, string? artifactStorageDir, string[]? storageOptions)
    {
        DatabaseUrl = databaseUrl;
        ArtifactStorageDir = artifactStorageDir;
        StorageOptions = storageOptions;
    }

    /// <summary>The metadata database URL.</summary>
    public string? DatabaseUrl { get; }

    /// <summary>The root new values are written to.</summary>
    public string? ArtifactStorageDir { get; }

    /// <summary>Storage options as <c>key=value</c> pairs.</summary>
    public IReadOnlyList<string>? StorageOptions { get; }
}
