using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary>What <c>show</c> tells about where a version came from and where it went.</summary>
/// <param name="Run">The run that saved it; null for a version saved before runs were recorded.</param>
/// <param name="Inputs">What it was computed from (exact or loaded in its run; tombstones for deleted ones).</param>
/// <param name="Outputs">What was computed from it.</param>
/// <param name="Declared">The artifact names the code that saved it reads, as the compiler found them.</param>
public sealed record VersionLineage(RunRecord? Run, IReadOnlyList<LineageInput> Inputs, IReadOnlyList<ArtifactRecord> Outputs, IReadOnlyList<string> Declared)
{
    /// <summary>Reads the lineage of exactly <paramref name="record"/> (by version, so a newer save cannot slip in between the queries).</summary>
    public static async Task<VersionLineage> ReadAsync(ArtifactStore store, ArtifactRecord record, CancellationToken cancellationToken)
    {
        var reference = Formats.Reference(record);
        var run = record.RunUid is { } uid ? await store.Runs.GetAsync(uid, cancellationToken) : null;
        var inputs = await store.Lineage.InputsAsync(reference, cancellationToken);
        var outputs = await store.Lineage.OutputsAsync(reference, cancellationToken);
        var declared = await store.Lineage.DeclaredAsync(reference, cancellationToken);
        return new VersionLineage(run, inputs, outputs, declared);
    }
}
