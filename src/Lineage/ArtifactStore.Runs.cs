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
        if (!_lifetime.IsClosed)
        {
            FinishImplicitRunAsync().Wait(TimeSpan.FromSeconds(2));
        }
    }

    private static (string Name, int? Version, string? Alias) Resolve(string reference, int? version) => VersionResolver.Parse(reference, version);
}
