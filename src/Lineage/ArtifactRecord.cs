namespace Lineage;

/// <summary>Where an artifact version lives in its lifecycle.</summary>
public enum ArtifactBranch
{
    /// <summary>Live: listed and loadable.</summary>
    Main,

    /// <summary>Soft-deleted: hidden and not loadable until restored.</summary>
    Trash,

    /// <summary>Archived: hidden from listings and from "latest", still loadable by version.</summary>
    Archive,
}

/// <summary>The metadata of one saved artifact version.</summary>
/// <param name="Uid">Unique id of this version; also the value's file name.</param>
/// <param name="Name">The artifact's name.</param>
/// <param name="Version">Version number, from 1, per name; never reused.</param>
/// <param name="CreatedAt">When it was saved (UTC).</param>
/// <param name="CreatedBy">The user that saved it.</param>
/// <param name="Host">The machine that saved it.</param>
/// <param name="Size">Size of the stored value in bytes.</param>
/// <param name="Hash">SHA-256 of the stored value, lowercase hex.</param>
/// <param name="TypeName">The .NET type it was saved as.</param>
/// <param name="Format">How the value is encoded: <c>memorypack</c> or <c>raw</c>.</param>
/// <param name="StorageRoot">The storage root holding the value.</param>
/// <param name="Key">The value's path inside <paramref name="StorageRoot"/>: <c>.lineage/{uid}{suffix}</c>, or the file's own relative path when it was registered in place.</param>
/// <param name="Branch">Main, trash or archive.</param>
/// <param name="CodeVersion">Hash of the code that produced it, when known.</param>
/// <param name="SourceCode">The code that produced it, when known.</param>
/// <param name="AssemblyName">The assembly whose code produced it, when known.</param>
/// <param name="AssemblyVersion">That assembly's version, when known.</param>
/// <param name="SourceRevision">The source revision (e.g. git commit) that assembly was built from, when known.</param>
/// <param name="InputsHash">Hash of the inputs it was computed from, for values saved by <c>GetOrCompute</c>.</param>
/// <param name="TypeSchema">The member layout of its type when saved, for <c>[Artifact]</c> types.</param>
/// <param name="StorageHost">The host of <paramref name="StorageRoot"/> when it is a local folder; null for object stores.</param>
/// <param name="IsManaged">False for a file registered in place (<see cref="ArtifactStore.Register"/>): Lineage did not write it and never deletes it on its own.</param>
/// <param name="RunUid">The run that saved it (<see cref="ArtifactStore.Runs"/>); null for versions saved before runs were recorded.</param>
/// <param name="Description">What the version is, given at save or by <c>ArtifactStore.Annotate</c>.</param>
/// <param name="Tags">Its tags, sorted.</param>
/// <param name="Metadata">Its metadata: strings, numbers (<see cref="long"/> or <see cref="double"/>) and booleans, by key.</param>
/// <param name="Aliases">The aliases that point at it now, sorted.</param>
public sealed record ArtifactRecord(
    string Uid,
    string Name,
    int Version,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string Host,
    long Size,
    string Hash,
    string TypeName,
    string Format,
    string StorageRoot,
    string Key,
    ArtifactBranch Branch = ArtifactBranch.Main,
    string? CodeVersion = null,
    string? SourceCode = null,
    string? AssemblyName = null,
    string? AssemblyVersion = null,
    string? SourceRevision = null,
    string? InputsHash = null,
    string? TypeSchema = null,
    string? StorageHost = null,
    bool IsManaged = true,
    string? RunUid = null,
    string? Description = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, object>? Metadata = null,
    IReadOnlyList<string>? Aliases = null)
{
    private readonly IReadOnlyList<string> _tags = ValueList.Of(Tags);
    private readonly IReadOnlyDictionary<string, object> _metadata = ValueMap.Of(Metadata);
    private readonly IReadOnlyList<string> _aliases = ValueList.Of(Aliases);

    /// <summary>Its tags, sorted; empty when it has none.</summary>
    public IReadOnlyList<string> Tags { get => _tags; init => _tags = ValueList.Of(value); }

    /// <summary>Its metadata by key; empty when it has none.</summary>
    public IReadOnlyDictionary<string, object> Metadata { get => _metadata; init => _metadata = ValueMap.Of(value); }

    /// <summary>The aliases that point at it now, sorted; empty when none.</summary>
    public IReadOnlyList<string> Aliases { get => _aliases; init => _aliases = ValueList.Of(value); }

    /// <summary>
    /// True when another version (of any name, on any branch) points at the same stored value: identical bytes saved to one root are
    /// stored once. Deleting either version permanently leaves the value for the other.
    /// </summary>
    public bool IsShared { get; init; }

    /// <summary>When it was moved to the trash; null when it is not in the trash, or was trashed before Lineage recorded when.</summary>
    public DateTimeOffset? TrashedAt { get; init; }

    internal long StorageId { get; init; }

    /// <summary>
    /// The fast load-time checksum of its value (<c>xxh128:</c> and hex; see <c>Values.ValueChecksum</c>), recorded beside the SHA-256 by
    /// saves since schema 8; null for older versions and folders, which loads verify by the SHA-256.
    /// </summary>
    internal string? Checksum { get; init; }
}
