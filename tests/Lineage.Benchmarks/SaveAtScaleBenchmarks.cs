using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Lineage.Benchmarks;

/// <summary>
/// Saves and GetOrCompute misses in a store where one name holds 100,000 versions of 1 KiB (all of one size, each computed by the
/// same code from its own inputs), beside the same calls on a name and sizes with few versions, in the same store: a save and a
/// GetOrCompute must cost the same however many versions share the name or the size (the goal is a ratio of 1).
/// </summary>
/// <remarks>
/// The versions are inserted in bulk through the store's schema (its triggers run), 10,000 at a time, after the store made one of
/// them itself. The SQLite database gets no ANALYZE, as a user's store gets none; PostgreSQL gets a VACUUM ANALYZE after each 10,000,
/// as its autovacuum would run while a table grows. Each call saves new bytes (a counter in the first eight), so each writes its value.
/// </remarks>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SaveAtScaleBenchmarks
{
    public const int Versions = 100_000;
    private const int Chunk = 10_000;

    private const string Save = "save 1 KiB";
    private const string Compute = "GetOrCompute, new inputs";
    private const string Crowded = "crowded";

    private static readonly ArtifactCode Code = new("scale-save-code-1", "static byte[] Make(int seed) => Bytes(seed);");

    private readonly byte[] _value = new byte[1024];
    private BenchmarkDatabase _database = null!;
    private long _counter;

    [Params(BenchmarkDatabase.Sqlite, BenchmarkDatabase.Postgres)]
    public string Database { get; set; } = BenchmarkDatabase.Sqlite;

    [GlobalSetup]
    public void Setup()
    {
        _database = BenchmarkDatabase.Open(Database, "save-scale-" + Database.ToLowerInvariant());
        new Random(23).NextBytes(_value);
        _database.Store.GetOrCompute(Crowded, Code, "template", () => _value);
        using (var seed = _database.OpenRaw())
        using (var command = seed.CreateCommand())
        {
            command.CommandTimeout = 600;
            for (var from = 2; from <= Versions + 1; from += Chunk)
            {
                var to = Math.Min(from + Chunk - 1, Versions + 1);
                var numbers = _database.IsPostgres
                    ? $"generate_series({from}, {to}) AS n(i)"
                    : $"(WITH RECURSIVE n(i) AS (SELECT {from} UNION ALL SELECT i + 1 FROM n WHERE i < {to}) SELECT i FROM n) AS n";
                command.CommandText = $"""
                    INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key, is_managed, run_id, code_record_id, inputs_hash, checksum)
                    SELECT 'crowded' || n.i, t.name, n.i, t.created_at, t.created_by, t.host, t.size, 'seed' || n.i, t.type_name, t.format, t.storage_id,
                           '.lineage/crowded' || n.i, 1, t.run_id, t.code_record_id, 'seed-' || n.i, t.checksum
                    FROM artifacts t, {numbers}
                    WHERE t.name = '{Crowded}' AND t.version = 1;
                    UPDATE artifact_names SET last_version = {to} WHERE name = '{Crowded}';
                    """;
                command.ExecuteNonQuery();
                if (_database.IsPostgres)
                {
                    // What autovacuum does as a table grows: without it, the triggers' plans, made when the table was small, scan it.
                    command.CommandText = "VACUUM ANALYZE artifacts; ";
                    command.ExecuteNonQuery();
                    command.CommandText = "VACUUM ANALYZE artifact_names;";
                    command.ExecuteNonQuery();
                }
            }
        }

        _database.ReopenStore();
        if (_database.Store.Get(Crowded).Version != Versions + 1)
        {
            throw new InvalidOperationException($"The seed did not reach {Versions + 1} versions of '{Crowded}'.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _database.Dispose();

    /// <summary>1 KiB and a few bytes more, a size few versions have: a thousand sizes in turn.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory(Save)]
    public ArtifactRecord Store_save_among_few_of_its_size() => _database.Store.Save("sparse", Next(1 + (int)(_counter % 1000)));

    [Benchmark, BenchmarkCategory(Save)]
    public ArtifactRecord Store_save_among_100000_of_its_size() => _database.Store.Save(Crowded, Next(0));

    [Benchmark(Baseline = true), BenchmarkCategory(Compute)]
    public int GetOrCompute_name_with_few_versions() => _database.Store.GetOrCompute("sparse-computed", Code, $"inputs-{_counter}", () => Next(0)).Length;

    [Benchmark, BenchmarkCategory(Compute)]
    public int GetOrCompute_name_with_100000_versions() => _database.Store.GetOrCompute(Crowded, Code, $"inputs-{_counter}", () => Next(0)).Length;

    private byte[] Next(int extra)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_value, ++_counter);
        return extra == 0 ? _value : [.. _value, .. new byte[extra]];
    }
}
