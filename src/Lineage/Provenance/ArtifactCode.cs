namespace Lineage;

/// <summary>
/// The code that produces an artifact, captured by the compiler: the producing method and everything it
/// reaches in its compilation (<see cref="SourceCode"/>), and a hash of that code's normalized syntax
/// (<see cref="CodeVersion"/>): comments and formatting do not change it, any code change does.
/// </summary>
/// <param name="CodeVersion">SHA-256 (hex) of the slice's token texts.</param>
/// <param name="SourceCode">The slice as written, in a stable order.</param>
/// <param name="AssemblyName">The assembly that was compiled.</param>
/// <param name="AssemblyVersion">Its version.</param>
/// <param name="SourceRevision">The source revision (e.g. git commit) when the build knew it.</param>
public sealed record ArtifactCode(string CodeVersion, string SourceCode, string? AssemblyName = null, string? AssemblyVersion = null, string? SourceRevision = null)
{
    /// <summary>
    /// The artifacts this code declares it reads, found by the compiler in its slice (<c>Artifacts.Y.Load</c>,
    /// <c>Artifacts.Y.GetOrCompute</c>, store loads with a constant name): names, sorted. Stored with the code record.
    /// </summary>
    public IReadOnlyList<string> Upstream { get; init; } = [];

    /// <summary>The description declared with the code (<c>[Artifact(Description = ...)]</c>), recorded with each version saved with it unless the save gives one.</summary>
    public string? Description { get; init; }

    /// <summary>The tags declared with the code (<c>[Artifact(Tags = ...)]</c>), recorded with each version saved with it.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
}
