using System.Data.Common;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Lineage.Benchmarks;

/// <summary>
/// <c>store.Lineage.Graph(ref, Upstream, depth: 10)</c> on a store of 100,000 versions, beside one hand-written recursive
/// query on an open connection to the same database that returns the same edges. The store is built with SQL in bulk,
/// through the store's own schema: 1,000 pipelines of 20 stages, 5 versions per stage (one artifact name per stage, one run
/// per stage), each version computed from 2 versions of the stage before, and every fifth stage also reading the first
/// version of another pipeline. A depth-10 walk from a last stage meets 46 versions and 82 input rows; the graph draws them
/// with 40 run nodes (one per distinct set of inputs: each version of a stage read different ones) and 122 edges.
/// </summary>
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class LineageGraphBenchmarks
{
    private const int Pipelines = 1000;
    private const int Stages = 20;
    private const int Width = 5;
    private const int Depth = 10;
    private const string Reference = "p500-s19@1";
    private const string NoParameters = "'{}'";

    /// <summary>The walk a user would write: versions reached within the depth, then their input rows.</summary>
    private const string HandWritten = """
        WITH RECURSIVE up (id, depth) AS (
            SELECT id, 0 FROM artifacts WHERE name = @name AND version = @version
            UNION
            SELECT e.input_id, up.depth + 1 FROM up JOIN artifact_inputs e ON e.artifact_id = up.id
            WHERE up.depth < @depth AND e.input_id IS NOT NULL)
        SELECT e.artifact_id, e.position, e.input_id, e.name, e.version, e.exact
        FROM artifact_inputs e WHERE e.artifact_id IN (SELECT id FROM up WHERE depth < @depth);
        """;

    /// <summary>
    /// What a user would write to draw the same graph by hand: the same walk, each version reached with the columns a graph
    /// node shows (its code version, its run's), one row per input row met there, every column read on every row.
    /// </summary>
    private const string HandWrittenWithColumns = """
        WITH RECURSIVE up (id, depth) AS (
            SELECT id, 0 FROM artifacts WHERE name = @name AND version = @version
            UNION
            SELECT e.input_id, up.depth + 1 FROM up JOIN artifact_inputs e ON e.artifact_id = up.id
            WHERE up.depth < @depth AND e.input_id IS NOT NULL),
        reached (id, depth) AS (SELECT id, MIN(depth) FROM up GROUP BY id)
        SELECT w.depth, a.uid, a.name, a.version, a.branch, a.created_at, a.created_by, a.size, a.hash, c.code_version,
            r.uid, r.name, r.status, r.started_at, r.finished_at, r.is_implicit,
            e.artifact_id, e.position, e.input_id, e.name, e.version, e.exact
        FROM reached w
        JOIN artifacts a ON a.id = w.id
        LEFT JOIN code_records c ON c.id = a.code_record_id
        LEFT JOIN runs r ON r.id = a.run_id
        LEFT JOIN artifact_inputs e ON e.artifact_id = a.id AND w.depth < @depth;
        """;

    private const string SameAnswer = "same answer";

    private BenchmarkDatabase _database = null!;
    private DbConnection _raw = null!;
    private DbCommand _handWritten = null!;
    private DbCommand _handWrittenWithColumns = null!;

    [Params(BenchmarkDatabase.Sqlite, BenchmarkDatabase.Postgres)]
    public string Database { get; set; } = BenchmarkDatabase.Sqlite;

    [GlobalSetup]
    public void Setup()
    {
        _database = BenchmarkDatabase.Open(Database, "graph");
        _raw = _database.OpenRaw();
        Populate(_raw, _database.IsPostgres);

        // The connection that bulk-loaded 193,000 rows reads them back at twice the CPU time of a new one (measured): both
        // sides start from connections opened after the load.
        _raw.Dispose();
        _database.ReopenStore();
        _raw = _database.OpenRaw();

        _handWritten = _raw.CreateCommand();
        _handWritten.CommandText = HandWritten;
        AddParameter(_handWritten, "@name", "p500-s19");
        AddParameter(_handWritten, "@version", 1);
        AddParameter(_handWritten, "@depth", Depth);
        _handWritten.Prepare();
        _handWrittenWithColumns = _raw.CreateCommand();
        _handWrittenWithColumns.CommandText = HandWrittenWithColumns;
        AddParameter(_handWrittenWithColumns, "@name", "p500-s19");
        AddParameter(_handWrittenWithColumns, "@version", 1);
        AddParameter(_handWrittenWithColumns, "@depth", Depth);
        _handWrittenWithColumns.Prepare();

        // Both sides must answer the same question: the versions named by the hand-written rows are the graph's versions.
        var graph = Store_graph();
        var versions = graph.Nodes.Where(n => n.Kind == LineageNodeKind.Version).Select(n => n.Label).ToHashSet(StringComparer.Ordinal);
        var rows = Hand_written_recursive_query();
        var labels = rows.Select(r => $"{r.Name}@{r.Version}").Append(Reference).ToHashSet(StringComparer.Ordinal);
        if (rows.Count < 50 || !labels.SetEquals(versions))
        {
            throw new InvalidOperationException($"The graph ({versions.Count} versions, {graph.Edges.Count} edges) and the hand-written query ({rows.Count} rows, {labels.Count} versions) disagree.");
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        Store_graph();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var allocatedRaw = GC.GetAllocatedBytesForCurrentThread();
        Hand_written_recursive_query();
        allocatedRaw = GC.GetAllocatedBytesForCurrentThread() - allocatedRaw;
        Console.WriteLine($"// graph of {Reference}: {versions.Count} versions, {graph.Nodes.Count(n => n.Kind == LineageNodeKind.Run)} runs, {graph.Edges.Count} edges ({allocated:N0} bytes allocated); hand-written query: {rows.Count} input rows ({allocatedRaw:N0} bytes)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _handWritten.Dispose();
        _handWrittenWithColumns.Dispose();
        _raw.Dispose();
        _database.Dispose();
    }

    [Benchmark(Baseline = true)]
    public List<(long Output, int Position, long? Input, string Name, int Version, long Exact)> Hand_written_recursive_query()
    {
        var rows = new List<(long, int, long?, string, int, long)>();
        using var reader = _handWritten.ExecuteReader();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), reader.GetString(3), reader.GetInt32(4), Convert.ToInt64(reader.GetValue(5))));
        }

        return rows;
    }

    [Benchmark]
    public LineageGraph Store_graph() => _database.Store.Lineage.Graph(Reference, LineageDirection.Upstream, Depth);

    /// <summary>Every column of every row, each read with its type's getter into an array per row; no objects built.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(SameAnswer)]
    public List<object[]> Hand_written_query_with_the_graph_columns()
    {
        var rows = new List<object[]>();
        using var reader = _handWrittenWithColumns.ExecuteReader();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    /// <summary><see cref="Store_graph"/> again, beside the hand-written query that returns the same information.</summary>
    [Benchmark, BenchmarkCategory(SameAnswer)]
    public LineageGraph Store_graph_same_answer() => Store_graph();

    /// <summary>
    /// 20,000 runs and artifact names, 100,000 versions (ids 1..100,000, version id = pipeline * 100 + stage * 5 + slot + 1) and
    /// about 193,000 input rows, in one transaction.
    /// </summary>
    private static void Populate(DbConnection connection, bool postgres)
    {
        var storage = Convert.ToInt64(Scalar(connection, null, "SELECT id FROM storages ORDER BY id LIMIT 1;"));
        var runs = Pipelines * Stages;
        var versions = runs * Width;
        using var transaction = connection.BeginTransaction();
        var series = postgres ? "generate_series(1, @count) AS n (i)" : "n";
        string Series(string sql) => postgres ? sql : $"WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @count) {sql}";
        var overriding = postgres ? "OVERRIDING SYSTEM VALUE" : string.Empty;
        var now = postgres ? "now()" : "'2026-01-01T00:00:00.0000000Z'";
        Execute(connection, transaction, Series($"""
            INSERT INTO runs (id, uid, name, status, started_at, finished_at, created_by, host, is_implicit, parameters) {overriding}
            SELECT i, 'run' || {Padded("i", 13)}, 'stage-' || ((i - 1) % {Stages}), 'succeeded', {now}, {now}, 'bench', 'bench-host', 0, {NoParameters} FROM {series};
            """), ("@count", runs));
        Execute(connection, transaction, Series($"""
            INSERT INTO artifact_names (name, last_version)
            SELECT 'p' || ((i - 1) / {Stages}) || '-s' || ((i - 1) % {Stages}), {Width} FROM {series};
            """), ("@count", runs));
        // Slot, stage and pipeline of version i: (i - 1) % 5, (i - 1) % 100 / 5, (i - 1) / 100.
        Execute(connection, transaction, Series($"""
            INSERT INTO artifacts (id, uid, name, version, branch, created_at, created_by, host, size, hash, type_name, format, storage_id, key, is_managed, run_id) {overriding}
            SELECT i, 'a' || {Padded("i", 15)}, 'p' || ((i - 1) / 100) || '-s' || ((i - 1) % 100 / 5), (i - 1) % 5 + 1, 'main', {now}, 'bench', 'bench-host',
                1024, {(postgres ? "md5(i::text) || md5((i + 1)::text)" : "printf('%064x', i)")}, 'System.Byte[]', 'raw', @storage, '.lineage/a' || {Padded("i", 15)}, 1,
                (i - 1) / 100 * {Stages} + (i - 1) % 100 / 5 + 1
            FROM {series};
            """), ("@count", versions), ("@storage", storage));
        // Position 0: the same slot one stage earlier; 1: the next slot one stage earlier; 2 (slot 0 of stages 5, 10, 15): another pipeline's first version.
        foreach (var (position, input, filter) in new[]
        {
            (0, "a.id - 5", string.Empty),
            (1, "a.id - 5 - (a.id - 1) % 5 + ((a.id - 1) % 5 + 1) % 5", string.Empty),
            (2, $"(((a.id - 1) / 100 * 7 + 3) % {Pipelines}) * 100 + 1", "AND (a.id - 1) % 100 / 5 % 5 = 0 AND (a.id - 1) % 5 = 0"),
        })
        {
            Execute(connection, transaction, $"""
                INSERT INTO artifact_inputs (artifact_id, position, input_id, name, version, exact)
                SELECT a.id, {position}, b.id, b.name, b.version, (a.id - 1) % 100 / 5 % 2
                FROM artifacts a JOIN artifacts b ON b.id = {input}
                WHERE (a.id - 1) % 100 >= 5 {filter};
                """);
        }

        if (postgres)
        {
            Execute(connection, transaction, "SELECT setval(pg_get_serial_sequence('artifacts', 'id'), @count);", ("@count", versions));
            Execute(connection, transaction, "SELECT setval(pg_get_serial_sequence('runs', 'id'), @count);", ("@count", runs));
        }

        transaction.Commit();
        if (postgres)
        {
            // What autovacuum does to a table of this size within a minute; SQLite stores are never analyzed by Lineage, so neither is this one.
            Execute(connection, null, "ANALYZE;");
        }

        var count = Convert.ToInt64(Scalar(connection, null, "SELECT COUNT(*) FROM artifacts;"));
        var edges = Convert.ToInt64(Scalar(connection, null, "SELECT COUNT(*) FROM artifact_inputs;"));
        Console.WriteLine($"// {count} versions, {edges} input rows, {runs} runs");

        string Padded(string expression, int width) => postgres ? $"lpad({expression}::text, {width}, '0')" : $"printf('%0{width}d', {expression})";
    }

    private static void Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static object? Scalar(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 600;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        return command;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
