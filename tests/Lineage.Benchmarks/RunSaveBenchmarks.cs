using BenchmarkDotNet.Attributes;

namespace Lineage.Benchmarks;

/// <summary>
/// 1 KiB saves outside any run (the baseline: what every save cost before runs), inside an explicit run that loaded nothing,
/// and inside one that loaded 20 versions, which the save records as its inputs. The runs stay open for the whole
/// measurement; each is ambient only in the execution context captured when it started, and every save (the baseline's
/// too) runs in its own captured context, so the three cases differ only in the run.
/// </summary>
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class RunSaveBenchmarks
{
    private const int Inputs = 20;
    private readonly byte[] _value = new byte[1024];
    private BenchmarkDatabase _database = null!;
    private readonly List<(ArtifactRun Run, ExecutionContext Context)> _runs = [];
    private ExecutionContext _outside = null!;
    private ExecutionContext _withoutInputs = null!;
    private ExecutionContext _withInputs = null!;

    [Params(BenchmarkDatabase.Sqlite, BenchmarkDatabase.Postgres)]
    public string Database { get; set; } = BenchmarkDatabase.Sqlite;

    [GlobalSetup]
    public void Setup()
    {
        _database = BenchmarkDatabase.Open(Database, "run-save");
        new Random(7).NextBytes(_value);
        var store = _database.Store;
        for (var i = 0; i < Inputs; i++)
        {
            store.Save($"input-{i}", i);
        }

        _outside = ExecutionContext.Capture()!;
        _withoutInputs = StartRun("loads nothing", 0);
        _withInputs = StartRun($"loads {Inputs}", Inputs);
        if (ArtifactRun.Current is not null)
        {
            throw new InvalidOperationException("A run leaked out of its execution context.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var (run, context) in _runs)
        {
            ExecutionContext.Run(context, state => ((ArtifactRun)state!).Dispose(), run);
        }

        _database.Dispose();
    }

    [Benchmark(Baseline = true)]
    public ArtifactRecord Outside_any_run() => SaveIn(_outside, expected: null);

    [Benchmark]
    public ArtifactRecord In_a_run_that_loaded_0() => SaveIn(_withoutInputs, expected: 0);

    [Benchmark]
    public ArtifactRecord In_a_run_that_loaded_20() => SaveIn(_withInputs, expected: Inputs);

    private ArtifactRecord SaveIn(ExecutionContext context, int? expected)
    {
        ArtifactRecord? saved = null;
        ExecutionContext.Run(context, _ =>
        {
            if (ArtifactRun.Current?.Inputs.Count != expected)
            {
                throw new InvalidOperationException($"Expected a run with {expected} inputs, found {ArtifactRun.Current?.Inputs.Count}.");
            }

            saved = _database.Store.Save("small", _value);
        }, null);
        return saved!;
    }

    /// <summary>Starts a run in a copy of the current context, loads <paramref name="loads"/> versions in it, and returns that context.</summary>
    private ExecutionContext StartRun(string name, int loads)
    {
        ExecutionContext? captured = null;
        ExecutionContext.Run(_outside.CreateCopy(), _ =>
        {
            var run = _database.Store.Runs.Start(name);
            for (var i = 0; i < loads; i++)
            {
                _database.Store.Load<int>($"input-{i}");
            }

            captured = ExecutionContext.Capture()!;
            _runs.Add((run, captured));
        }, null);
        return captured!;
    }
}
