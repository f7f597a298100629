using System.Collections.Concurrent;
using System.Diagnostics;
using Lineage.Tests.Servers;
using Microsoft.Data.Sqlite;

namespace Lineage.Tests.LineageGraphs;

/// <summary>
/// What recording lineage costs a save, counted in database statements: a save inside a run sends no statement per input,
/// and at most one more than a save outside any run (none on PostgreSQL, where the edges go in the insert statement).
/// </summary>
/// <remarks>
/// Alone, after the parallel classes: the SQLite counter traces pooled connections, and another class's environment clearing
/// every SQLite pool as it ends would take them away mid-count.
/// </remarks>
[Collection(nameof(LineageCostTests))]
public sealed class LineageCostTests(PostgresServer postgres, S3Server s3)
{
    private const int ManyInputs = 20;

    [Fact]
    public async Task On_PostgreSQL_a_save_inside_a_run_sends_as_many_statements_as_outside_whatever_the_run_loaded()
    {
        await using var environment = await BackendEnvironment.CreateAsync(new Backend(MetadataBackend.Postgres, ValueBackend.Local), postgres, s3);
        using var store = environment.Open();
        using var counter = new NpgsqlCommandCounter();

        var costs = MeasureSaves(store, counter.Count);

        Assert.True(costs.Outside.Count > 0, "Npgsql reported no command for a save: the counter does not see the store's commands.");
        Assert.Equal(costs.Outside.Count, costs.InRunWithoutInputs.Count);
        Assert.True(costs.Outside.Count == costs.InRunWithOneInput.Count, $"outside a run: {Describe(costs.Outside)}; inside with 1 input: {Describe(costs.InRunWithOneInput)}");
        Assert.True(costs.Outside.Count == costs.InRunWithManyInputs.Count, $"outside a run: {Describe(costs.Outside)}; inside with {ManyInputs} inputs: {Describe(costs.InRunWithManyInputs)}");
        Assert.Equal(ManyInputs, store.Lineage.Inputs(costs.InRunWithManyInputs.Saved).Count);
    }

    [Fact]
    public async Task On_SQLite_a_save_inside_a_run_sends_one_more_statement_than_outside_whatever_the_run_loaded()
    {
        await using var environment = await BackendEnvironment.CreateAsync(Backend.SqliteLocal, postgres, s3);
        // Before the store opens: the connections it takes from the pool, and keeps, are then the traced ones.
        using var counter = new SqliteStatementCounter(environment.DatabaseUrl);
        using var store = environment.Open();

        var costs = MeasureSaves(store, counter.Count);

        Assert.True(costs.Outside.Count > 0, "SQLite traced no statement for a save: the counter does not see the store's connections.");
        // The store keeps its connections open between saves: no checkout PRAGMA (foreign_keys, synchronous) per save.
        Assert.True(!costs.Outside.Statements.Any(s => s.TrimStart().StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase)), Describe(costs.Outside));
        Assert.Equal(costs.Outside.Count, costs.InRunWithoutInputs.Count);
        Assert.True(costs.Outside.Count + 1 == costs.InRunWithOneInput.Count, $"outside a run: {Describe(costs.Outside)}; inside with 1 input: {Describe(costs.InRunWithOneInput)}");
        Assert.True(costs.InRunWithOneInput.Count == costs.InRunWithManyInputs.Count, $"inside with 1 input: {Describe(costs.InRunWithOneInput)}; with {ManyInputs}: {Describe(costs.InRunWithManyInputs)}");
        Assert.Equal(ManyInputs, store.Lineage.Inputs(costs.InRunWithManyInputs.Saved).Count);
    }

    [Fact]
    public async Task On_PostgreSQL_a_graph_is_one_statement_whatever_its_size_and_direction()
    {
        await using var environment = await BackendEnvironment.CreateAsync(new Backend(MetadataBackend.Postgres, ValueBackend.Local), postgres, s3);
        using var store = environment.Open();
        SavePipeline(store);
        using var counter = new NpgsqlCommandCounter();

        LineageGraph? up = null, both = null, aliased = null;
        var upCost = counter.Count(() => up = store.Lineage.Graph($"stage-{Stages}@1", LineageDirection.Upstream, depth: 10));
        var bothCost = counter.Count(() => both = store.Lineage.Graph("stage-3", LineageDirection.Both));
        store.Aliases.Set($"stage-{Stages}", "production", 1);
        var aliasedCost = counter.Count(() => aliased = store.Lineage.Graph($"stage-{Stages}@production"));

        Assert.Equal(Stages + 1, up!.Nodes.Count(n => n.Kind == LineageNodeKind.Version));
        Assert.Equal(Stages + 1, both!.Nodes.Count(n => n.Kind == LineageNodeKind.Version));
        Assert.Equal(up.Edges, aliased!.Edges);
        Assert.True(upCost.Count == 1, Describe(upCost));
        Assert.True(bothCost.Count == 1, Describe(bothCost));
        Assert.True(aliasedCost.Count == 2, "the alias, then the walk: " + Describe(aliasedCost));
    }

    [Fact]
    public async Task On_SQLite_a_graph_is_one_statement_per_direction()
    {
        await using var environment = await BackendEnvironment.CreateAsync(Backend.SqliteLocal, postgres, s3);
        using var counter = new SqliteStatementCounter(environment.DatabaseUrl);
        using var store = environment.Open();
        SavePipeline(store);

        LineageGraph? up = null, both = null;
        var upCost = counter.Count(() => up = store.Lineage.Graph($"stage-{Stages}@1", LineageDirection.Upstream, depth: 10));
        var bothCost = counter.Count(() => both = store.Lineage.Graph("stage-3", LineageDirection.Both));

        Assert.Equal(Stages + 1, up!.Nodes.Count(n => n.Kind == LineageNodeKind.Version));
        Assert.Equal(Stages + 1, both!.Nodes.Count(n => n.Kind == LineageNodeKind.Version));
        foreach (var (cost, walks) in new[] { (upCost, 1), (bothCost, 2) })
        {
            // The store keeps the connection the pipeline's saves used: no checkout PRAGMA (foreign_keys, synchronous), only the walk.
            Assert.True(cost.Count(s => s.TrimStart().StartsWith("WITH RECURSIVE", StringComparison.Ordinal)) == walks && cost.Count == walks, Describe(cost));
        }
    }

    private const int Stages = 6;

    /// <summary><c>stage-0</c>, then <see cref="Stages"/> runs, each loading the stage before and saving the next.</summary>
    private static void SavePipeline(ArtifactStore store)
    {
        store.Save("stage-0", 0);
        for (var i = 1; i <= Stages; i++)
        {
            using var run = store.Runs.Start($"step-{i}");
            store.Save($"stage-{i}", store.Load<int>($"stage-{i - 1}") + 1);
        }
    }

    /// <summary>
    /// The statements of one 1 KiB save outside any run, and inside runs that loaded 0, 1 and <see cref="ManyInputs"/> versions.
    /// Each is the fewest of three saves, each right after another save: what the store remembers between saves (the implicit
    /// run, a membership confirmed a moment ago) is then remembered, and a refresh that falls due mid-test is not a per-save cost.
    /// </summary>
    private static SaveCosts MeasureSaves(ArtifactStore store, Func<Action, IReadOnlyList<string>> count)
    {
        var value = new byte[1024];
        for (var i = 0; i < ManyInputs; i++)
        {
            store.Save($"input-{i}", i);
        }

        var outside = Cheapest(store, value, count);
        SaveCost InRun(int loads)
        {
            using var run = store.Runs.Start($"loads-{loads}");
            for (var i = 0; i < loads; i++)
            {
                store.Load<int>($"input-{i}");
            }

            return Cheapest(store, value, count);
        }

        return new SaveCosts(outside, InRun(0), InRun(1), InRun(ManyInputs));
    }

    private static SaveCost Cheapest(ArtifactStore store, byte[] value, Func<Action, IReadOnlyList<string>> count)
    {
        SaveCost? cheapest = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            store.Save("small", value);
            ArtifactRecord? saved = null;
            var statements = count(() => saved = store.Save("small", value));
            if (cheapest is null || statements.Count < cheapest.Count)
            {
                cheapest = new SaveCost($"small@{saved!.Version}", statements);
            }
        }

        return cheapest!;
    }

    private static string Describe(SaveCost cost) => Describe(cost.Statements);

    private static string Describe(IReadOnlyList<string> statements) =>
        $"{statements.Count} statement(s): " + string.Join(" | ", statements.Select(s => s.ReplaceLineEndings(" ")[..Math.Min(s.Length, 120)]));

    private sealed record SaveCost(string Saved, IReadOnlyList<string> Statements)
    {
        public int Count => Statements.Count;
    }

    private sealed record SaveCosts(SaveCost Outside, SaveCost InRunWithoutInputs, SaveCost InRunWithOneInput, SaveCost InRunWithManyInputs);

    /// <summary>
    /// Counts the commands Npgsql executes inside <see cref="Count"/>: Npgsql starts an activity of its "Npgsql" source per command
    /// (one round trip, whatever the statement holds), as a child of the ambient activity; a fresh parent per count keeps out the
    /// commands of tests running alongside.
    /// </summary>
    private sealed class NpgsqlCommandCounter : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentDictionary<ActivityTraceId, ConcurrentQueue<string>> _commands = new();

        public NpgsqlCommandCounter()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                // Stopped rather than started: Npgsql tags the activity with its SQL after starting it.
                ActivityStopped = activity =>
                {
                    if (_commands.TryGetValue(activity.TraceId, out var commands))
                    {
                        commands.Enqueue(activity.GetTagItem("db.query.text") as string ?? activity.DisplayName);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<string> Count(Action action)
        {
            using var parent = new Activity("lineage-cost").SetIdFormat(ActivityIdFormat.W3C).Start();
            var commands = _commands.GetOrAdd(parent.TraceId, _ => new ConcurrentQueue<string>());
            action();
            _commands.TryRemove(parent.TraceId, out _);
            return [.. commands];
        }

        public void Dispose() => _listener.Dispose();
    }

    /// <summary>
    /// Counts the statements SQLite runs for the store inside <see cref="Count"/>, with SQLite's own trace hook (called as each
    /// statement starts, BEGIN and COMMIT included). Microsoft.Data.Sqlite has no command interceptor and the store's connections
    /// are its own, so the hook goes on the pooled connections: the pool is emptied, a few connections with the store's exact
    /// connection string are opened, traced and returned, and the store's next opens get them from the pool.
    /// </summary>
    private sealed class SqliteStatementCounter : IDisposable
    {
        private const int Connections = 4;
        private readonly string _connectionString;
        private ConcurrentQueue<string>? _statements;

        public SqliteStatementCounter(string databaseUrl)
        {
            // As SqliteMetadataStore builds it: the pool is keyed by this exact string.
            _connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = Lineage.Configuration.DatabaseLocation.Parse(databaseUrl, "/", "/").SqlitePath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = true,
                ForeignKeys = true,
                DefaultTimeout = 60,
            }.ToString();

            var traced = new List<SqliteConnection>();
            using (var first = new SqliteConnection(_connectionString))
            {
                SqliteConnection.ClearPool(first);
            }

            for (var i = 0; i < Connections; i++)
            {
                var connection = new SqliteConnection(_connectionString);
                connection.Open();
                SQLitePCL.raw.sqlite3_trace(connection.Handle, (_, statement) => _statements?.Enqueue(statement), null);
                traced.Add(connection);
            }

            traced.ForEach(c => c.Dispose());
        }

        public IReadOnlyList<string> Count(Action action)
        {
            var statements = new ConcurrentQueue<string>();
            _statements = statements;
            action();
            _statements = null;
            return [.. statements];
        }

        public void Dispose()
        {
            using var connection = new SqliteConnection(_connectionString);
            SqliteConnection.ClearPool(connection);
        }
    }
}

[CollectionDefinition(nameof(LineageCostTests), DisableParallelization = true)]
public sealed class LineageCostsAlone;
