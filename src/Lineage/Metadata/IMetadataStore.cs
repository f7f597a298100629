using Lineage.Configuration;

namespace Lineage.Metadata;

/// <summary>A registered storage root.</summary>
internal sealed record StorageRecord(
    long Id,
    string Uid,
    string Root,
    string Type,
    string? Host,
    string? InstanceUid,
    DateTimeOffset CreatedAt,
    string CreatedBy);

/// <summary>An artifact version about to be recorded; the metadata store assigns its version.</summary>
internal sealed record NewArtifact(
    string Uid,
    string Name,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string Host,
    long Size,
    string Hash,
    string TypeName,
    string Format,
    long StorageId,
    string StorageRoot,
    string Key,
    ArtifactCode? Code = null,
    string? InputsHash = null,
    string? TypeSchema = null);

/// <summary>
/// The metadata database. Backends own their SQL and connections; the rules (which versions exist,
/// who may write where) belong to <see cref="ArtifactStore"/>.
/// </summary>
internal interface IMetadataStore : IAsyncDisposable
{
    DatabaseLocation Location { get; }

    /// <summary>The uid of this metadata database, created with it: the "instance" that owns storage roots.</summary>
    string InstanceUid { get; }

    /// <summary>Returns the storage registered for <paramref name="root"/> on <paramref name="host"/>, adding it when absent.</summary>
    Task<StorageRecord> RegisterStorageAsync(string root, string type, string? host, string? instanceUid, string createdBy, CancellationToken cancellationToken);

    /// <summary>Records a new version of <see cref="NewArtifact.Name"/>: the next version number, never one used before.</summary>
    Task<ArtifactRecord> InsertArtifactAsync(NewArtifact artifact, CancellationToken cancellationToken);

    /// <summary>A version on any branch, or the latest version on the main branch when <paramref name="version"/> is null.</summary>
    Task<ArtifactRecord?> FindAsync(string name, int? version, CancellationToken cancellationToken);

    /// <summary>The latest main-branch version of <paramref name="name"/> made by <paramref name="codeVersion"/> from <paramref name="inputsHash"/>.</summary>
    Task<ArtifactRecord?> FindComputedAsync(string name, string codeVersion, string inputsHash, CancellationToken cancellationToken);

    /// <summary>How many versions of <paramref name="name"/> sit on <paramref name="branch"/>.</summary>
    Task<int> CountAsync(string name, ArtifactBranch branch, CancellationToken cancellationToken);

    /// <summary>The latest main-branch version of every name, by name.</summary>
    Task<IReadOnlyList<ArtifactRecord>> ListLatestAsync(CancellationToken cancellationToken);

    /// <summary>Every version on <paramref name="branch"/> (on any branch when null), by name, then version.</summary>
    Task<IReadOnlyList<ArtifactRecord>> ListAllAsync(ArtifactBranch? branch, CancellationToken cancellationToken);

    /// <summary>The main-branch versions of <paramref name="name"/>, oldest first.</summary>
    Task<IReadOnlyList<ArtifactRecord>> VersionsAsync(string name, CancellationToken cancellationToken);

    /// <summary>True when a row with this uid exists, on any branch.</summary>
    Task<bool> ExistsAsync(string uid, CancellationToken cancellationToken);

    Task SetBranchAsync(string uid, ArtifactBranch branch, CancellationToken cancellationToken);

    Task DeleteAsync(string uid, CancellationToken cancellationToken);
}
