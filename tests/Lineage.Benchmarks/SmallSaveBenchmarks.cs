using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;

namespace Lineage.Benchmarks;

/// <summary>
/// 1 KiB saves through the store beside the raw minimum a durable save needs: write a temp file,
/// fsync it, rename it, and insert one row into SQLite (WAL, synchronous=FULL, as the store uses).
/// Operations per second = 1 / mean.
/// </summary>
/// <remarks>
/// Each <see cref="Store_save"/> saves different bytes (a counter in the first eight), so it writes its value as a first save
/// does; <see cref="Store_save_same_value"/> saves the same bytes every time, which deduplication records without writing.
/// The baseline does not flush the folder after its rename, so the rename may be lost at a power cut while the row is kept;
/// <see cref="Raw_temp_fsync_rename_fsync_folder_insert"/> is the same with that flush, the durability the store gives.
/// </remarks>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class SmallSaveBenchmarks
{
    private BenchmarkFolder _folder = null!;
    private ArtifactStore _store = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _insert = null!;
    private readonly byte[] _value = new byte[1024];
    private readonly byte[] _sameValue = new byte[1024];
    private string _rawDirectory = null!;
    private long _counter;

    [GlobalSetup]
    public void Setup()
    {
        _folder = new BenchmarkFolder("small");
        _store = _folder.OpenStore();
        new Random(7).NextBytes(_value);
        new Random(8).NextBytes(_sameValue);

        _rawDirectory = Path.Combine(_folder.Path, "raw");
        Directory.CreateDirectory(_rawDirectory);
        _raw = new SqliteConnection($"Data Source={Path.Combine(_folder.Path, "raw.sqlite")}");
        _raw.Open();
        using (var setup = _raw.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
                CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL, size INTEGER NOT NULL);
                """;
            setup.ExecuteNonQuery();
        }

        _insert = _raw.CreateCommand();
        _insert.CommandText = "INSERT INTO items (name, key, size) VALUES ('small', $key, $size);";
        _insert.Parameters.Add("$key", SqliteType.Text);
        _insert.Parameters.Add("$size", SqliteType.Integer);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert.Dispose();
        _raw.Dispose();
        SqliteConnection.ClearAllPools();
        _store.Dispose();
        _folder.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void Raw_temp_fsync_rename_insert()
    {
        var key = $"item-{++_counter}";
        BenchmarkFolder.WriteDurably(Path.Combine(_rawDirectory, key), _value);
        _insert.Parameters["$key"].Value = key;
        _insert.Parameters["$size"].Value = _value.Length;
        _insert.ExecuteNonQuery();
    }

    [Benchmark]
    public void Raw_temp_fsync_rename_fsync_folder_insert()
    {
        var key = $"item-{++_counter}";
        BenchmarkFolder.WriteDurably(Path.Combine(_rawDirectory, key), _value, flushFolder: true);
        _insert.Parameters["$key"].Value = key;
        _insert.Parameters["$size"].Value = _value.Length;
        _insert.ExecuteNonQuery();
    }

    [Benchmark]
    public ArtifactRecord Store_save()
    {
        BinaryPrimitives.WriteInt64LittleEndian(_value, ++_counter);
        return _store.Save("small", _value);
    }

    [Benchmark]
    public ArtifactRecord Store_save_same_value() => _store.Save("same", _sameValue);
}
