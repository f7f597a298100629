namespace Lineage;

/// <summary>Where a run stands.</summary>
public enum RunStatus
{
    /// <summary>Started and not finished (or its process ended without finishing it).</summary>
    Running,

    /// <summary>Finished without being marked failed.</summary>
    Succeeded,

    /// <summary>Marked failed with <see cref="ArtifactRun.Fail(Exception)"/>.</summary>
    Failed,
}

/// <summary>One execution that read and wrote artifacts, as recorded in the metadata database.</summary>
/// <param name="Uid">Unique id of the run.</param>
/// <param name="Name">The name given to <see cref="RunRegistry.Start"/>; for an implicit run, the entry assembly's (or process's) name.</param>
/// <param name="Status">Running, succeeded or failed.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="FinishedAt">When it finished (UTC), or null while running.</param>
/// <param name="User">Who ran it.</param>
/// <param name="Host">The machine it ran on.</param>
/// <param name="IsImplicit">True for the run a store records for its process at its first save outside any explicit run; implicit runs record no inputs.</param>
/// <param name="EntryAssembly">The process's entry assembly, when known.</param>
/// <param name="EntryAssemblyVersion">Its version.</param>
/// <param name="SourceRevision">The source revision (e.g. git commit) the entry assembly was built from, when it says.</param>
/// <param name="CommandLine">The process's command line, passwords in URLs masked.</param>
/// <param name="Parameters">The string parameters given to <see cref="RunRegistry.Start"/>.</param>
/// <param name="Error">What it failed with, for a failed run.</param>
public sealed record RunRecord(
    string Uid,
    string Name,
    RunStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string User,
    string Host,
    bool IsImplicit,
    string? EntryAssembly,
    string? EntryAssemblyVersion,
    string? SourceRevision,
    string? CommandLine,
    IReadOnlyDictionary<string, string> Parameters,
    string? Error)
{
    internal long Id { get; init; }
}
