using Lineage.Metadata;

namespace Lineage;

/// <summary>
/// A run in progress: started by <see cref="RunRegistry.Start"/>, ambient in its scope (the async flow that started it),
/// finished when disposed. Versions loaded from its store inside the scope are its inputs; versions saved are its outputs
/// and record it as their run. <see cref="Fail(Exception)"/> marks it failed.
/// </summary>
/// <example>
/// <code>
/// using (var run = store.Runs.Start("train", new Dictionary&lt;string, string&gt; { ["epochs"] = "10" }))
/// {
///     var data = Artifacts.IrisData.Load();
///     Artifacts.IrisModel.Save(Train(data));
/// }
/// </code>
/// </example>
public sealed class ArtifactRun : IDisposable, IAsyncDisposable
{
    private static readonly AsyncLocal<ArtifactRun?> Ambient = new();

    private readonly RunRegistry _runs;
    private readonly ArtifactRun? _previous;
    private readonly object _gate = new();
    private readonly List<ArtifactRecord> _inputs = [];
    private readonly List<ArtifactRecord> _outputs = [];
    private readonly HashSet<string> _inputUids = new(StringComparer.Ordinal);
    private string? _error;
    private int _finished;

    internal ArtifactRun(RunRegistry runs, RunRecord record)
    {
        _runs = runs;
        Record = record;
        _previous = Ambient.Value;
        Ambient.Value = this;
    }

    /// <summary>The run ambient in this async flow, if any.</summary>
    public static ArtifactRun? Current => Ambient.Value;

    /// <summary>The run's unique id.</summary>
    public string Uid => Record.Uid;

    /// <summary>The run's name.</summary>
    public string Name => Record.Name;

    /// <summary>Running until disposed; failed once <see cref="Fail(Exception)"/> was called.</summary>
    public RunStatus Status => Volatile.Read(ref _finished) == 1 ? (_error is null ? RunStatus.Succeeded : RunStatus.Failed) : RunStatus.Running;

    /// <summary>The run as recorded when it started.</summary>
    public RunRecord Record { get; }

    /// <summary>The versions loaded in this run so far (each once), in the order they were first loaded.</summary>
    public IReadOnlyList<ArtifactRecord> Inputs
    {
        get
        {
            lock (_gate)
            {
                return [.. _inputs];
            }
        }
    }

    /// <summary>The versions saved in this run so far.</summary>
    public IReadOnlyList<ArtifactRecord> Outputs
    {
        get
        {
            lock (_gate)
            {
                return [.. _outputs];
            }
        }
    }

    internal long Id => Record.Id;

    internal string InstanceUid { get; init; } = string.Empty;

    /// <summary>Marks the run failed with <paramref name="exception"/>'s type and message; it is recorded when the run is disposed.</summary>
    public void Fail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Fail($"{exception.GetType().FullName}: {exception.Message}");
    }

    /// <summary>Marks the run failed with <paramref name="message"/>; it is recorded when the run is disposed.</summary>
    public void Fail(string message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(message);
        _error = message;
    }

    /// <summary>Finishes the run: records its status, finish time and inputs, and restores the run that was ambient before it.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="Dispose"/>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1)
        {
            return ValueTask.CompletedTask;
        }

        // Restored here, synchronously, so that it flows back to the caller's scope (an async method's changes would not).
        if (ReferenceEquals(Ambient.Value, this))
        {
            Ambient.Value = _previous;
        }

        return new ValueTask(_runs.FinishAsync(this, _error, InputUids()));
    }

    /// <summary>True when a save to or load from a store on <paramref name="instanceUid"/> belongs to this run.</summary>
    internal bool Covers(string instanceUid) => Volatile.Read(ref _finished) == 0 && string.Equals(InstanceUid, instanceUid, StringComparison.Ordinal);

    internal void AddInput(ArtifactRecord record)
    {
        lock (_gate)
        {
            if (_inputUids.Add(record.Uid))
            {
                _inputs.Add(record);
            }
        }
    }

    internal void AddOutput(ArtifactRecord record)
    {
        lock (_gate)
        {
            _outputs.Add(record);
        }
    }

    /// <summary>The uids of the versions loaded so far, in load order.</summary>
    internal IReadOnlyList<string> InputUids()
    {
        lock (_gate)
        {
            return [.. _inputs.Select(i => i.Uid)];
        }
    }
}
