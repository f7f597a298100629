using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Lineage.Configuration;
using Lineage.Metadata.Postgres;
using Lineage.Testing;
using Npgsql;

namespace Lineage.Benchmarks;

/// <summary>
/// 1 KiB saves with PostgreSQL metadata (values in a local folder), beside the raw minimum: write a temp
/// file, fsync, rename, and one INSERT over Npgsql. Both talk to the same throwaway cluster on loopback,
/// started with fsync=off, so the comparison is the client-side work and round trips.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class PostgresSmallSaveBenchmarks
{
    private PostgresCluster _cluster = null!;
    private BenchmarkFolder _folder = null!;
    private ArtifactStore _store = null!;
    private NpgsqlConnection _raw = null!;
    private NpgsqlCommand _insert = null!;
    private readonly byte[] _value = new byte[1024];
    private readonly byte[] _sameValue = new byte[1024];
    private string _rawDirectory = null!;
    private long _counter;

    [GlobalSetup]
    public void Setup()
    {
        _cluster = PostgresCluster.StartAsync().GetAwaiter().GetResult();
        Alternation.ServerProcessId = _cluster.ServerProcessId;
        _folder = new BenchmarkFolder("pg-small");
        new Random(7).NextBytes(_value);
        new Random(8).NextBytes(_sameValue);

        var admin = ConnectionString(_cluster.AdminUrl);
        using (var connection = new NpgsqlConnection(admin))
        {
            connection.Open();
            using var create = new NpgsqlCommand("CREATE DATABASE lineage_store; CREATE DATABASE lineage_raw;", connection);
            create.ExecuteNonQuery();
        }

        var options = _folder.Options();
        options.DatabaseUrl = _cluster.AdminUrl.Replace("/postgres", "/lineage_store", StringComparison.Ordinal);
        _store = ArtifactStore.Open(options);

        _rawDirectory = Path.Combine(_folder.Path, "raw");
        Directory.CreateDirectory(_rawDirectory);
        _raw = new NpgsqlConnection(ConnectionString(_cluster.AdminUrl.Replace("/postgres", "/lineage_raw", StringComparison.Ordinal)));
        _raw.Open();
        using (var table = new NpgsqlCommand("CREATE TABLE items (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL, size BIGINT NOT NULL);", _raw))
        {
            table.ExecuteNonQuery();
        }

        _insert = new NpgsqlCommand("INSERT INTO items (name, key, size) VALUES ('small', @key, @size);", _raw);
        _insert.Parameters.Add(new NpgsqlParameter<string>("key", string.Empty));
        _insert.Parameters.Add(new NpgsqlParameter<long>("size", 0L));
        _insert.Prepare();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert.Dispose();
        _raw.Dispose();
        _store.Dispose();
        NpgsqlConnection.ClearAllPools();
        _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _folder.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Raw_temp_fsync_rename_insert()
    {
        var key = $"item-{++_counter}";
        BenchmarkFolder.WriteDurably(Path.Combine(_rawDirectory, key), _value);
        ((NpgsqlParameter<string>)_insert.Parameters[0]).TypedValue = key;
        ((NpgsqlParameter<long>)_insert.Parameters[1]).TypedValue = _value.Length;
        _insert.ExecuteNonQuery();
    }

    // Different bytes each time (a counter in the first eight): a first save's write, not a deduplicated one.
    [Benchmark]
    public ArtifactRecord Store_save()
    {
        BinaryPrimitives.WriteInt64LittleEndian(_value, ++_counter);
        return _store.Save("small", _value);
    }

    // The same bytes each time: deduplication records the version without writing.
    [Benchmark]
    public ArtifactRecord Store_save_same_value() => _store.Save("same", _sameValue);

    private static string ConnectionString(string url) => PostgresUrl.ToConnectionString(DatabaseLocation.Parse(url, "/", "/")).ConnectionString;
}
