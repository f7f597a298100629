namespace Lineage.Cli.Output;

/// <summary>The JSON shape of a run (<c>runs</c>, <c>run</c>); snake_case names are part of the tool's contract.</summary>
public sealed record RunJson(
    string Uid,
    string Name,
    string Status,
    bool Implicit,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    double? DurationSeconds,
    string User,
    string Host,
    string? EntryAssembly,
    string? EntryAssemblyVersion,
    string? SourceRevision,
    string? CommandLine,
    IReadOnlyDictionary<string, string> Parameters,
    string? Error)
{
    /// <summary>The run as JSON; its command line as the runtime recorded it (URL passwords already masked).</summary>
    public static RunJson From(RunRecord r) => new(
        r.Uid, r.Name, Formats.Status(r.Status), r.IsImplicit, r.StartedAt, r.FinishedAt, (r.FinishedAt - r.StartedAt)?.TotalSeconds,
        r.User, r.Host, r.EntryAssembly, r.EntryAssemblyVersion, r.SourceRevision, r.CommandLine, r.Parameters, r.Error);
}

/// <summary>A run named from a version (<c>show</c>): enough to find it with <c>lineage run UID</c>.</summary>
public sealed record RunSummaryJson(string Uid, string Name, string Status, bool Implicit)
{
    public static RunSummaryJson From(RunRecord r) => new(r.Uid, r.Name, Formats.Status(r.Status), r.IsImplicit);
}

/// <summary>An input version; <c>uid</c> is null and <c>deleted</c> true for the tombstone of one deleted permanently.</summary>
public sealed record InputJson(string Name, int Version, string? Uid, bool Exact, bool Deleted)
{
    public static InputJson From(LineageInput i) => new(i.Name, i.Version, i.Record?.Uid, i.IsExact, i.IsDeleted);
}

/// <summary>An output version, on whichever branch it now is.</summary>
public sealed record OutputJson(string Uid, string Name, int Version, string Branch)
{
    public static OutputJson From(ArtifactRecord r) => new(r.Uid, r.Name, r.Version, r.Branch.ToString().ToLowerInvariant());
}
