namespace Lineage.Cli.Output;

/// <summary>
/// The JSON shape of an artifact version. Property names (snake_case) are part of the tool's contract:
/// scripts parse them, so add new ones, never rename. <c>metadata</c> keeps each value's JSON type (string, number, boolean).
/// </summary>
public sealed record ArtifactJson(
    string Uid,
    string Name,
    int Version,
    string Branch,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    string Host,
    long Size,
    string Hash,
    string TypeName,
    string Format,
    string StorageRoot,
    string Key,
    string? CodeVersion,
    string? AssemblyName,
    string? AssemblyVersion,
    string? SourceRevision,
    string? InputsHash,
    string? TypeSchema,
    bool HasSourceCode,
    string? SourceCode,
    string? RunUid,
    string? Description,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, object> Metadata)
{
    /// <summary>The record as JSON; <paramref name="withSourceCode"/> includes the (possibly long) code slice.</summary>
    public static ArtifactJson From(ArtifactRecord r, bool withSourceCode = false) => new(
        r.Uid, r.Name, r.Version, r.Branch.ToString().ToLowerInvariant(), r.CreatedAt, r.CreatedBy, r.Host, r.Size, r.Hash,
        r.TypeName, r.Format, r.StorageRoot, r.Key, r.CodeVersion, r.AssemblyName, r.AssemblyVersion, r.SourceRevision,
        r.InputsHash, r.TypeSchema, r.SourceCode is not null, withSourceCode ? r.SourceCode : null, r.RunUid,
        r.Description, r.Aliases, r.Tags, r.Metadata);
}
