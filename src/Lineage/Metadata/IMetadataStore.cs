using Lineage.Configuration;

namespace Lineage.Metadata;

/// <summary>A storage location about to be registered.</summary>
internal sealed record NewStorage(string Uid, string Root, string Type, string? Host, string? InstanceUid, string? Description, string? Region, string CreatedBy);

/// <summary>Which space a storage location is in, and whether a user is a member of it.</summary>
internal sealed record StorageAccess(string Space, bool IsMember);

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
    string? TypeSchema = null,
    string? StorageHost = null,
    bool IsManaged = true,
    string? AccessUser = null,
    RunRecord? Run = null,
    IReadOnlyList<InputDigest>? ExactInputs = null,
    IReadOnlyList<string>? LoadedInputUids = null,
    string? Description = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, object>? Metadata = null,
    bool SharesValue = false,
    string? Checksum = null);

/// <summary>
/// A version that was to share a stored value (<see cref="NewArtifact.SharesValue"/>) found no version pointing at it any more: the value
/// may be gone or going, so the save writes its own. Nothing was recorded.
/// </summary>
internal sealed class SharedValueGoneException() : Exception("The stored value this version was to share is no longer referenced.");

/// <summary>A version found for a load, with the loading user's access to its storage location as read in the same statement.</summary>
internal sealed record ArtifactLookup(ArtifactRecord Record, StorageAccess Access);

/// <summary>A run about to be recorded.</summary>
internal sealed record NewRun(
    string Uid,
    string Name,
    DateTimeOffset StartedAt,
    string User,
    string Host,
    bool IsImplicit,
    string? EntryAssembly,
    string? EntryAssemblyVersion,
    string? SourceRevision,
    string? CommandLine,
    IReadOnlyDictionary<string, string> Parameters);

/// <summary>One row of <c>artifact_inputs</c>: <paramref name="InputId"/> is null when the input was deleted permanently.</summary>
internal sealed record InputRow(long ArtifactId, int Position, long? InputId, string Name, int Version, bool IsExact);

/// <summary>
/// An edge a lineage walk met: <paramref name="InputId"/> is null when the input was deleted permanently, and only then are
/// <paramref name="DeletedName"/> and <paramref name="DeletedVersion"/> read (a live input is one of the walk's versions).
/// </summary>
internal readonly record struct WalkEdge(long OutputId, long? InputId, string? DeletedName, int DeletedVersion, bool IsExact);

/// <summary>What a lineage walk found: the version it started from, the input rows between the versions it reached, and those versions (each with its run) by id.</summary>
internal sealed record LineageWalk(long RootId, IReadOnlyList<WalkEdge> Rows, IReadOnlyDictionary<long, LineageVersion> Versions);

/// <summary>What became of an insert whose answer was lost.</summary>
internal enum LostInsertState
{
    /// <summary>No row, and none can appear: the statement failed or the session that ran it has ended.</summary>
    Absent,

    /// <summary>The row exists: the insert committed before its answer was lost.</summary>
    Recorded,

    /// <summary>No row yet, but the session that ran the insert is still alive and may commit it.</summary>
    Undecided,
}

/// <summary>The state of a lost insert, and its row when it was recorded.</summary>
internal sealed record LostInsert(LostInsertState State, ArtifactRecord? Row);

/// <summary>
/// The metadata database. Backends own their SQL and connections; the rules (which versions exist,
/// who may write where) belong to <see cref="ArtifactStore"/>. Every failure of the database after opening surfaces as a
/// <see cref="MetadataDatabaseException"/>, never as a driver exception.
/// </summary>
internal interface IMetadataStore : IAsyncDisposable
{
    DatabaseLocation Location { get; }

    /// <summary>The uid of this metadata database, created with it: the "instance" that owns storage roots.</summary>
    string InstanceUid { get; }

    /// <summary>The schema migrations this store applied when it opened (none when another process had applied them).</summary>
    IReadOnlyList<Migration> MigrationsApplied => [];

    /// <summary>
    /// Returns the storage registered for the root on its host, adding it when absent. When <paramref name="syncOwner"/> is set,
    /// an existing row takes the given writing instance (what the root's marker says now).
    /// </summary>
    Task<StorageRecord> RegisterStorageAsync(NewStorage storage, bool syncOwner, CancellationToken cancellationToken);

    /// <summary>Every registered storage location, by root, then host.</summary>
    Task<IReadOnlyList<StorageRecord>> ListStoragesAsync(CancellationToken cancellationToken);

    /// <summary>The location registered for <paramref name="root"/> on <paramref name="host"/> (empty for object stores), or null.</summary>
    Task<StorageRecord?> FindStorageAsync(string root, string host, CancellationToken cancellationToken);

    /// <summary>How many artifacts live in the location, on each branch.</summary>
    Task<IReadOnlyDictionary<ArtifactBranch, int>> CountInStorageAsync(long storageId, CancellationToken cancellationToken);

    /// <summary>Removes an empty location's row.</summary>
    Task DeleteStorageAsync(long storageId, CancellationToken cancellationToken);

    Task SetStorageSpaceAsync(long storageId, long spaceId, CancellationToken cancellationToken);

    /// <summary>The location's space, read now, and whether <paramref name="user"/> is a member of it.</summary>
    Task<StorageAccess> StorageAccessAsync(long storageId, string user, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> artifacts (any branch) in the location with uids after <paramref name="afterUid"/>, by uid.</summary>
    Task<IReadOnlyList<ArtifactRecord>> ListInStorageAsync(long storageId, string? afterUid, int limit, CancellationToken cancellationToken);

    /// <summary>Points the given artifacts at another location, in one transaction; only rows still in <paramref name="fromStorageId"/> move.</summary>
    Task<int> MoveArtifactsAsync(IReadOnlyList<string> uids, long fromStorageId, long toStorageId, CancellationToken cancellationToken);

    Task<IReadOnlyList<SpaceRecord>> ListSpacesAsync(CancellationToken cancellationToken);

    /// <summary>Creates the space with <paramref name="firstMember"/> as its member, or returns the one with that name (Created false, members untouched).</summary>
    Task<(SpaceRecord Space, bool Created)> AddSpaceAsync(string name, string? description, string firstMember, CancellationToken cancellationToken);

    Task<SpaceRecord?> FindSpaceAsync(string name, CancellationToken cancellationToken);

    Task AddMemberAsync(long spaceId, string user, CancellationToken cancellationToken);

    Task RemoveMemberAsync(long spaceId, string user, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> MembersAsync(long spaceId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a new version of <see cref="NewArtifact.Name"/>: the next version number, never one used before. When
    /// <see cref="NewArtifact.AccessUser"/> is set, the row is written only if that user may use the storage location (its space),
    /// checked in the same statement or transaction; otherwise nothing is written and the result is null.
    /// </summary>
    /// <exception cref="SharedValueGoneException">It was to share a value that no version points at any more.</exception>
    Task<ArtifactRecord?> InsertArtifactAsync(NewArtifact artifact, CancellationToken cancellationToken);

    /// <summary>A version on any branch, or the latest version on the main branch when <paramref name="version"/> is null.</summary>
    Task<ArtifactRecord?> FindAsync(string name, int? version, CancellationToken cancellationToken);

    /// <summary>The latest main-branch version of <paramref name="name"/> made by <paramref name="codeVersion"/> from <paramref name="inputsHash"/>.</summary>
    Task<ArtifactRecord?> FindComputedAsync(string name, string codeVersion, string inputsHash, CancellationToken cancellationToken);

    /// <summary>How many versions of <paramref name="name"/> sit on <paramref name="branch"/>.</summary>
    Task<int> CountAsync(string name, ArtifactBranch branch, CancellationToken cancellationToken);

    /// <summary>The latest main-branch version of every name, by name.</summary>
    Task<IReadOnlyList<ArtifactRecord>> ListLatestAsync(CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> of <see cref="ListLatestAsync(CancellationToken)"/>'s records whose names sort after <paramref name="afterName"/> (ordinal).</summary>
    Task<IReadOnlyList<ArtifactRecord>> ListLatestAsync(string? afterName, int limit, CancellationToken cancellationToken);

    /// <summary>How many names with a main-branch version sort after <paramref name="afterName"/> (all of them when null).</summary>
    Task<int> CountLatestAsync(string? afterName, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="FindAsync(string, int?, CancellationToken)"/> for a load, with <paramref name="user"/>'s access to the version's storage
    /// read by the same statement. Unless <paramref name="complete"/>, the record lacks what a load does not use (source code, aliases,
    /// the shared flag).
    /// </summary>
    Task<ArtifactLookup?> FindToLoadAsync(string name, int? version, string user, bool complete, CancellationToken cancellationToken);

    /// <summary>Every version on <paramref name="branch"/> (on any branch when null), by name, then version.</summary>
    Task<IReadOnlyList<ArtifactRecord>> ListAllAsync(ArtifactBranch? branch, CancellationToken cancellationToken);

    /// <summary>The main-branch versions of <paramref name="name"/>, oldest first.</summary>
    Task<IReadOnlyList<ArtifactRecord>> VersionsAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// What became of an insert of <paramref name="uid"/> whose answer was lost: its row (any branch), or proof that it does not exist
    /// and never will, or undecided while <paramref name="writerSession"/> (see <see cref="MetadataDatabaseException.WriterSession"/>)
    /// may still be running the statement. Without a session, only the row is looked for.
    /// </summary>
    /// <exception cref="MetadataDatabaseException">The database still cannot answer.</exception>
    Task<LostInsert> FindLostInsertAsync(string uid, string? writerSession, CancellationToken cancellationToken);

    Task SetBranchAsync(string uid, ArtifactBranch branch, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes version <paramref name="uid"/>'s row. True when no version (on any branch) points at its stored value any more, so the
    /// value may go: decided in the same transaction, under the lock that a save sharing the value takes (see <see cref="NewArtifact.SharesValue"/>).
    /// </summary>
    Task<bool> DeleteAsync(string uid, CancellationToken cancellationToken);

    /// <summary>True when no version in storage <paramref name="storageId"/> points at <paramref name="key"/>, decided under the value's lock.</summary>
    Task<bool> ReleaseValueAsync(long storageId, string key, CancellationToken cancellationToken);

    /// <summary>True when a version written by Lineage (not registered in place) in the storage has a value of <paramref name="size"/> bytes.</summary>
    Task<bool> HasValueOfSizeAsync(long storageId, long size, CancellationToken cancellationToken);

    /// <summary>
    /// The key of a value Lineage wrote in the storage with this size and SHA-256, with the load checksum its first version recorded
    /// (null when that version predates checksums); null when there is none.
    /// </summary>
    Task<(string Key, string? Checksum)?> FindValueAsync(long storageId, long size, string hash, CancellationToken cancellationToken);

    /// <summary>Records a run as running.</summary>
    Task<RunRecord> InsertRunAsync(NewRun run, CancellationToken cancellationToken);

    /// <summary>Records how a run ended and the versions it loaded (by uid; versions since deleted are skipped).</summary>
    Task FinishRunAsync(long runId, RunStatus status, DateTimeOffset finishedAt, string? error, IReadOnlyList<string> inputUids, CancellationToken cancellationToken);

    Task<RunRecord?> FindRunAsync(string uid, CancellationToken cancellationToken);

    /// <summary>The newest runs first.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, CancellationToken cancellationToken);

    /// <summary>The versions a run loaded (tombstones for those deleted since) and the versions it saved, by name and version.</summary>
    Task<(IReadOnlyList<LineageInput> Inputs, IReadOnlyList<ArtifactRecord> Outputs)> RunInputsAndOutputsAsync(long runId, CancellationToken cancellationToken);

    /// <summary>The inputs of version <paramref name="uid"/>, by position.</summary>
    Task<IReadOnlyList<LineageInput>> InputsAsync(string uid, CancellationToken cancellationToken);

    /// <summary>The versions that have version <paramref name="uid"/> as an input, by name and version.</summary>
    Task<IReadOnlyList<ArtifactRecord>> OutputsAsync(string uid, CancellationToken cancellationToken);

    /// <summary>The names the code that saved version <paramref name="uid"/> declared it reads.</summary>
    Task<IReadOnlyList<string>> DeclaredUpstreamAsync(string uid, CancellationToken cancellationToken);

    Task<AliasMove?> SetAliasAsync(string name, string alias, string uid, string user, CancellationToken cancellationToken);

    Task<AliasMove?> RemoveAliasAsync(string name, string alias, string user, CancellationToken cancellationToken);

    Task<IReadOnlyList<AliasRecord>> ListAliasesAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<AliasMove>> AliasHistoryAsync(string name, string alias, CancellationToken cancellationToken);

    Task<ArtifactRecord?> FindByAliasAsync(string name, string alias, CancellationToken cancellationToken);

    Task<(bool Existed, int? Version)> AliasAtAsync(string name, string alias, DateTimeOffset asOf, CancellationToken cancellationToken);

    Task<ArtifactRecord> AnnotateAsync(string uid, ArtifactAnnotation change, CancellationToken cancellationToken);

    /// <summary>The live versions matching <paramref name="query"/> and <paramref name="filter"/> (parsed from its Where), in its order.</summary>
    Task<IReadOnlyList<ArtifactRecord>> FindAsync(ArtifactQuery query, FilterExpression? filter, CancellationToken cancellationToken);

    /// <summary>
    /// Walks the input edges from <paramref name="name"/> version <paramref name="version"/> (the latest live one when null) up to
    /// <paramref name="depth"/> steps, inside the database; null when there is no such version.
    /// </summary>
    Task<LineageWalk?> WalkAsync(string name, int? version, LineageDirection direction, int depth, CancellationToken cancellationToken);
}
