using System.Buffers.Binary;
using System.IO.Hashing;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
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
/// <see cref="Raw_store_schema_floor"/> does by hand only what a save must: hash, the file flushed with its folder, and one transaction
/// that allocates the version and inserts the row into a database with the store's schema (its indexes and triggers), so that the
/// store's own overhead shows apart from what its schema and its durability cost; in its own category it is the baseline of a
/// second <see cref="Store_save"/> (<see cref="Store_save_against_the_floor"/>), so that the two are timed in the same rounds.
/// </remarks>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
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
    private BenchmarkFolder _floorFolder = null!;
    private SqliteConnection _floor = null!;
    private SqliteCommand _floorAllocate = null!;
    private SqliteCommand _floorInsert = null!;
    private string _floorDirectory = null!;

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
        SetUpFloor();
    }

    private void SetUpFloor()
    {
        _floorFolder = new BenchmarkFolder("small-floor");
        using (var store = _floorFolder.OpenStore())
        {
            store.Save("floor", _value);
        }

        _floorDirectory = Path.Combine(_floorFolder.Path, "artifacts", ".lineage");
        _floor = new SqliteConnection($"Data Source={Path.Combine(_floorFolder.Path, "db.sqlite")};Foreign Keys=True");
        _floor.Open();
        using (var setup = _floor.CreateCommand())
        {
            setup.CommandText = "PRAGMA synchronous = FULL;";
            setup.ExecuteNonQuery();
        }

        _floorAllocate = _floor.CreateCommand();
        _floorAllocate.CommandText = """
            INSERT INTO artifact_names (name, last_version) VALUES ('floor', 1)
            ON CONFLICT (name) DO UPDATE SET last_version = artifact_names.last_version + 1 RETURNING last_version;
            """;
        _floorInsert = _floor.CreateCommand();
        _floorInsert.CommandText = """
            INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key, is_managed, run_id, checksum)
            SELECT $uid, 'floor', $version, $created_at, created_by, host, 1024, $hash, type_name, format, storage_id, $key, 1, run_id, $checksum
            FROM artifacts WHERE id = 1;
            """;
        foreach (var name in new[] { "$uid", "$version", "$created_at", "$hash", "$key", "$checksum" })
        {
            _floorInsert.Parameters.Add(name, name == "$version" ? SqliteType.Integer : SqliteType.Text);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _insert.Dispose();
        _raw.Dispose();
        SqliteConnection.ClearAllPools();
        _store.Dispose();
        _folder.Dispose();
        _floorAllocate.Dispose();
        _floorInsert.Dispose();
        _floor.Dispose();
        SqliteConnection.ClearAllPools();
        _floorFolder.Dispose();
    }

    private const string Raw = "vs the raw baseline";
    private const string Floor = "vs the floor";

    [Benchmark(Baseline = true), BenchmarkCategory(Raw)]
    public void Raw_temp_fsync_rename_insert()
    {
        var key = $"item-{++_counter}";
        BenchmarkFolder.WriteDurably(Path.Combine(_rawDirectory, key), _value);
        _insert.Parameters["$key"].Value = key;
        _insert.Parameters["$size"].Value = _value.Length;
        _insert.ExecuteNonQuery();
    }

    [Benchmark, BenchmarkCategory(Raw)]
    public void Raw_temp_fsync_rename_fsync_folder_insert()
    {
        var key = $"item-{++_counter}";
        BenchmarkFolder.WriteDurably(Path.Combine(_rawDirectory, key), _value, flushFolder: true);
        _insert.Parameters["$key"].Value = key;
        _insert.Parameters["$size"].Value = _value.Length;
        _insert.ExecuteNonQuery();
    }

    [Benchmark, BenchmarkCategory(Raw)]
    public void Raw_store_schema_floor() => Floor_by_hand();

    [Benchmark(Baseline = true), BenchmarkCategory(Floor)]
    public void Floor_by_hand()
    {
        BinaryPrimitives.WriteInt64LittleEndian(_value, ++_counter);
        var hash = Convert.ToHexStringLower(SHA256.HashData(_value));
        var checksum = "xxh128:" + Convert.ToHexStringLower(XxHash128.Hash(_value));
        var uid = Guid.NewGuid().ToString("N")[..20];
        var path = Path.Combine(_floorDirectory, uid + ".bin");
        var temporary = path + ".partial";
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(_value);
            File.Move(temporary, path);
            file.Flush(flushToDisk: true);
        }

        Lineage.Values.Local.PosixFiles.FlushDirectory(_floorDirectory);
        using var transaction = _floor.BeginTransaction();
        _floorAllocate.Transaction = transaction;
        _floorInsert.Transaction = transaction;
        var version = Convert.ToInt64(_floorAllocate.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        var parameters = _floorInsert.Parameters;
        parameters["$uid"].Value = uid;
        parameters["$version"].Value = version;
        parameters["$created_at"].Value = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        parameters["$hash"].Value = hash;
        parameters["$key"].Value = $".lineage/{uid}.bin";
        parameters["$checksum"].Value = checksum;
        _floorInsert.ExecuteNonQuery();
        transaction.Commit();
    }

    [Benchmark, BenchmarkCategory(Raw)]
    public ArtifactRecord Store_save()
    {
        BinaryPrimitives.WriteInt64LittleEndian(_value, ++_counter);
        return _store.Save("small", _value);
    }

    [Benchmark, BenchmarkCategory(Floor)]
    public ArtifactRecord Store_save_against_the_floor() => Store_save();

    [Benchmark, BenchmarkCategory(Raw)]
    public ArtifactRecord Store_save_same_value() => _store.Save("same", _sameValue);
}
