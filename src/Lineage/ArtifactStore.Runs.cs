using Lineage.Metadata;
using Lineage.Telemetry;

namespace Lineage;

public sealed partial class ArtifactStore
{
    private readonly SemaphoreSlim _implicitRunGate = new(1, 1);
    private RunRecord? _implicitRun;

    /// <summary>Runs: start one, list them, look one up.</summary>
    public RunRegistry Runs { get; }

    /// <summary>What versions were computed from and what was computed from them: inputs, outputs and the lineage graph.</summary>
    public LineageQueries Lineage { get; }

    internal void ThrowIfClosed() => ThrowIfDisposed();

    /// <summary>The explicit run ambient here that belongs to this store's database, if any.</summary>
    private ArtifactRun? AmbientRun => ArtifactRun.Current is { } run && run.Covers(InstanceUid) ? run : null;

    /// <summary>
    /// The run a save is recorded under and the versions it loaded before: the ambient explicit run, or this store's implicit
    /// run for its process (recorded at the first save; it has no loads).
    /// </summary>
    private async Task<(RunRecord Run, IReadOnlyList<string>? Loaded, ArtifactRun? Explicit)> SavingRunAsync(CancellationToken cancellationToken)
    {
        if (AmbientRun is { } run)
        {
            return (run.Record, run.InputUids(), run);
        }

        if (Volatile.Read(ref _implicitRun) is { } known)
        {
            return (known, null, null);
        }

        await _implicitRunGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_implicitRun is null)
            {
                var name = RunRegistry.RunEnvironment.EntryAssembly ?? (Environment.ProcessPath is { } path ? Path.GetFileNameWithoutExtension(path) : "process");
                var record = await _metadata.InsertRunAsync(Runs.NewRun(name, new Dictionary<string, string>(), isImplicit: true), cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _implicitRun, record);
                AppDomain.CurrentDomain.ProcessExit += FinishImplicitRunAtExit;
            }

            return (_implicitRun, null, null);
        }
        finally
        {
            _implicitRunGate.Release();
        }
    }

    /// <summary>Counts <paramref name="record"/> as an input of the ambient explicit run, if any.</summary>
    private void RecordLoad(ArtifactRecord record) => AmbientRun?.AddInput(record);

    internal async Task FinishRunAsync(ArtifactRun run, string? error, IReadOnlyList<string> inputUids)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            throw new ObjectDisposedException(nameof(ArtifactStore), $"Run '{run.Name}' ({run.Uid}) could not be finished: its store was disposed first. Dispose the run before the store.");
        }

        await _metadata.FinishRunAsync(run.Id, error is null ? RunStatus.Succeeded : RunStatus.Failed, DateTimeOffset.UtcNow, error, inputUids, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Records the implicit run as finished; the database being unreachable at that moment leaves it running, which is what it then was.</summary>
    private async Task FinishImplicitRunAsync()
    {
        if (Interlocked.Exchange(ref _implicitRun, null) is not { } run)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= FinishImplicitRunAtExit;
        try
        {
            await _metadata.FinishRunAsync(run.Id, RunStatus.Succeeded, DateTimeOffset.UtcNow, null, [], CancellationToken.None).ConfigureAwait(false);
        }
        catch (MetadataDatabaseException e)
        {
            // Closing must not fail because the end of a run could not be written; the run stays "running", as a crash would leave it.
            Logs.Metadata.RunNotFinished(e, run.Uid);
        }
    }

    private void FinishImplicitRunAtExit(object? sender, EventArgs e)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            FinishImplicitRunAsync().Wait(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>Resolves a reference (<c>NAME</c>, <c>NAME@VERSION</c>, <c>NAME@ALIAS</c>) and an explicit version into a name and version (null: the latest).</summary>
    /// <summary>The parts of a reference, checked as every API taking one checks it.</summary>
    internal (string Name, int? Version, string? Alias) ParseReference(string reference)
    {
        ThrowIfDisposed();
        return Resolve(reference, null);
    }

    private static (string Name, int? Version, string? Alias) Resolve(string reference, int? version)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var parsed = ArtifactReference.TryParse(reference, out var r, out var error) ? r : throw new ArgumentException(error, nameof(reference));
        if (version is { } v)
        {
            if (v < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(version), v, "Versions are whole numbers from 1.");
            }

            if (parsed.Version is { } named && named != v || parsed.Alias is not null)
            {
                throw new ArgumentException($"'{reference}' already names {(parsed.Alias is null ? "version " + parsed.Version : "alias '" + parsed.Alias + "'")}; it cannot also be version {v}. Pass the name alone, or no version.", nameof(version));
            }
        }

        return (parsed.Name, parsed.Version ?? version, parsed.Alias);
    }
}
