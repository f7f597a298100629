using System.Data.Common;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Lineage.Benchmarks;

/// <summary>
/// The store at 100,000 versions (100,000 names, one version each, every 100 of them made by one of 1,000 code records of about
/// 600 bytes of source), on SQLite and PostgreSQL, beside hand-written SQL and a raw file read on the same database and disk:
/// <c>List()</c> against a plain scan of the same rows; the first page of 50 against the same scan with <c>LIMIT 50</c>; <c>Get</c> by
/// name against one indexed SELECT; a load of a small value (a 1 KiB <c>byte[]</c>, saved through the store) against that SELECT
/// plus <c>File.ReadAllBytes</c>, and against <c>Get</c> of the same version (issue 17's goal: a load costs at most 2× its <c>Get</c>).
/// </summary>
/// <remarks>
/// The baselines build an <see cref="ArtifactRecord"/> from the artifact's own columns, its storage root and its code record
/// (source code included), as a record holds them; they know nothing of aliases, runs, spaces, shared values or trash.
/// Setup checks that the baselines find what the store finds.
/// </remarks>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class ScaleBenchmarks
{
    public const int Names = 100_000;
    public const int CodeRecords = 1_000;

    private const string ListAll = "list 100,000 names";
    private const string FirstPage = "first page of 50";
    private const string FindByName = "find by name";
    private const string LoadSmall = "load small";
    private const string LoadVsGet = "load vs Get";
    private const string SmallName = "scale-small";
    private const string FoundName = "scale-050000";

    private const string ScanSql = """
        SELECT a.uid, a.name, a.version, a.created_at, a.created_by, a.host, a.size, a.hash, a.type_name, a.format, s.root, a.key,
               c.code_version, c.source_code
        FROM artifacts a JOIN storages s ON s.id = a.storage_id LEFT JOIN code_records c ON c.id = a.code_record_id
        WHERE a.branch = 'main'
        """;

    private BenchmarkDatabase _database = null!;
    private DbConnection _raw = null!;
    private DbCommand _scan = null!;
    private DbCommand _page = null!;
    private DbCommand _find = null!;
    private string _smallPath = null!;

    [Params(BenchmarkDatabase.Sqlite, BenchmarkDatabase.Postgres)]
    public string Database { get; set; } = BenchmarkDatabase.Sqlite;

    [GlobalSetup]
    public void Setup()
    {
        _database = BenchmarkDatabase.Open(Database, "scale-" + Database.ToLowerInvariant());
        var small = new byte[1024];
        new Random(17).NextBytes(small);
        var saved = _database.Store.Save(SmallName, small);
        _smallPath = Path.Combine(saved.StorageRoot, saved.Key);
        using (var seed = _database.OpenRaw())
        {
            ScaleSeed.Load(seed, _database.IsPostgres);
        }

        _database.ReopenStore();
        _raw = _database.OpenRaw();
        _scan = Command($"{ScanSql} ORDER BY a.name;");
        _page = Command($"{ScanSql} ORDER BY a.name LIMIT 50;");
        _find = Command($"{ScanSql} AND a.name = @name ORDER BY a.version DESC LIMIT 1;");
        var name = _find.CreateParameter();
        name.ParameterName = "@name";
        name.Value = FoundName;
        _find.Parameters.Add(name);
        if (_database.IsPostgres)
        {
            _scan.Prepare();
            _page.Prepare();
            _find.Prepare();
        }

        Check(Raw_scan() == Names + 1 && Store_list() == Names + 1, "list");
        Check(Raw_first_page() == 50 && Store_first_page() == 50, "first page");
        Check(Raw_find().Uid == Store_get().Uid, "find");
        Check(Raw_lookup_and_read() == small.Length && Store_load() == small.Length, "load");
        if (Environment.GetEnvironmentVariable("LINEAGE_SCALE_KEEP") is { } url && _database.IsPostgres)
        {
            File.WriteAllText(url, _raw.ConnectionString + "\n" + ((NpgsqlConnection)_raw).Port);
            while (!File.Exists(url + ".done"))
            {
                Thread.Sleep(1000);
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scan.Dispose();
        _page.Dispose();
        _find.Dispose();
        _raw.Dispose();
        _database.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory(ListAll)]
    public int Raw_scan() => Read(_scan).Count;

    [Benchmark, BenchmarkCategory(ListAll)]
    public int Store_list() => _database.Store.List().Count;

    [Benchmark(Baseline = true), BenchmarkCategory(FirstPage)]
    public int Raw_first_page() => Read(_page).Count;

    [Benchmark, BenchmarkCategory(FirstPage)]
    public int Store_first_page() => _database.Store.ListPage(50).Items.Count;

    [Benchmark(Baseline = true), BenchmarkCategory(FindByName)]
    public ArtifactRecord Raw_find() => Read(_find)[0];

    [Benchmark, BenchmarkCategory(FindByName)]
    public ArtifactRecord Store_get() => _database.Store.Get(FoundName);

    [Benchmark(Baseline = true), BenchmarkCategory(LoadSmall)]
    public int Raw_lookup_and_read()
    {
        var found = Read(_find)[0];
        return File.ReadAllBytes(_smallPath).Length + (found.Size > 0 ? 0 : 1);
    }

    [Benchmark, BenchmarkCategory(LoadSmall)]
    public int Store_load() => _database.Store.Load<byte[]>(SmallName).Length;

    [Benchmark(Baseline = true), BenchmarkCategory(LoadVsGet)]
    public ArtifactRecord Store_get_small() => _database.Store.Get(SmallName);

    [Benchmark, BenchmarkCategory(LoadVsGet)]
    public int Store_load_small() => _database.Store.Load<byte[]>(SmallName).Length;

    private static void Check(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"The {what} baseline and the store disagree.");
        }
    }

    private DbCommand Command(string sql)
    {
        var command = _raw.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private List<ArtifactRecord> Read(DbCommand command)
    {
        var records = new List<ArtifactRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            records.Add(new ArtifactRecord(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), ReadTime(reader), reader.GetString(4), reader.GetString(5),
                reader.GetInt64(6), reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetString(11),
                CodeVersion: reader.IsDBNull(12) ? null : reader.GetString(12), SourceCode: reader.IsDBNull(13) ? null : reader.GetString(13)));
        }

        return records;
    }

    private DateTimeOffset ReadTime(DbDataReader reader) => _database.IsPostgres
        ? reader.GetFieldValue<DateTimeOffset>(3)
        : DateTimeOffset.ParseExact(reader.GetString(3), "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}

/// <summary>
/// <see cref="ScaleBenchmarks"/>' rows, inserted in bulk through the real schema after the store's migrations ran: 1,000 code records
/// and 100,000 names with one version each, pointing at the storage location of the store's one real save.
/// </summary>
internal static class ScaleSeed
{
    private const string Columns = "uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key, code_record_id";

    public static void Load(DbConnection connection, bool postgres)
    {
        var storage = Convert.ToInt64(Scalar(connection, "SELECT MAX(id) FROM storages;"), CultureInfo.InvariantCulture);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        if (postgres)
        {
            LoadPostgres((NpgsqlConnection)connection, storage, start);
        }
        else
        {
            LoadSqlite((SqliteConnection)connection, storage, start);
        }
    }

    private static void LoadSqlite(SqliteConnection connection, long storage, DateTime start)
    {
        using (var transaction = connection.BeginTransaction())
        {
            using (var code = connection.CreateCommand())
            {
                code.Transaction = transaction;
                code.CommandText = "INSERT INTO code_records (code_version, source_code, created_at) VALUES (@v, @s, '2026-01-01T00:00:00.0000000Z');";
                var version = code.Parameters.Add("@v", SqliteType.Text);
                var source = code.Parameters.Add("@s", SqliteType.Text);
                for (var i = 0; i < ScaleBenchmarks.CodeRecords; i++)
                {
                    (version.Value, source.Value) = (CodeVersion(i), SourceCode(i));
                    code.ExecuteNonQuery();
                }
            }

            var firstCode = Convert.ToInt64(Scalar(connection, "SELECT MIN(id) FROM code_records WHERE code_version LIKE 'scale%';", transaction), CultureInfo.InvariantCulture);
            using var names = connection.CreateCommand();
            names.Transaction = transaction;
            names.CommandText = "INSERT INTO artifact_names (name, last_version) VALUES (@name, 1);";
            var name = names.Parameters.Add("@name", SqliteType.Text);
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO artifacts ({Columns}) VALUES (@uid, @name, 1, @created_at, 'bench', 'bench-host', 8, @hash, 'System.Int64', 'memorypack', {storage}, @key, @code);";
            var parameters = new[] { "@uid", "@name", "@created_at", "@hash", "@key", "@code" }.Select(p => insert.Parameters.Add(p, SqliteType.Text)).ToArray();
            for (var i = 0; i < ScaleBenchmarks.Names; i++)
            {
                name.Value = Name(i);
                names.ExecuteNonQuery();
                parameters[0].Value = Uid(i);
                parameters[1].Value = Name(i);
                parameters[2].Value = start.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
                parameters[3].Value = Hash(i);
                parameters[4].Value = ".lineage/" + Uid(i);
                parameters[5].Value = firstCode + (i / 100);
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);";
        checkpoint.ExecuteNonQuery();
    }

    private static void LoadPostgres(NpgsqlConnection connection, long storage, DateTime start)
    {
        using (var code = connection.BeginBinaryImport("COPY code_records (code_version, source_code, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < ScaleBenchmarks.CodeRecords; i++)
            {
                code.StartRow();
                code.Write(CodeVersion(i), NpgsqlDbType.Text);
                code.Write(SourceCode(i), NpgsqlDbType.Text);
                code.Write(start, NpgsqlDbType.TimestampTz);
            }

            code.Complete();
        }

        var firstCode = Convert.ToInt64(Scalar(connection, "SELECT MIN(id) FROM code_records WHERE code_version LIKE 'scale%';"), CultureInfo.InvariantCulture);
        using (var names = connection.BeginBinaryImport("COPY artifact_names (name, last_version) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < ScaleBenchmarks.Names; i++)
            {
                names.StartRow();
                names.Write(Name(i), NpgsqlDbType.Text);
                names.Write(1, NpgsqlDbType.Integer);
            }

            names.Complete();
        }

        using (var artifacts = connection.BeginBinaryImport($"COPY artifacts ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < ScaleBenchmarks.Names; i++)
            {
                artifacts.StartRow();
                artifacts.Write(Uid(i), NpgsqlDbType.Text);
                artifacts.Write(Name(i), NpgsqlDbType.Text);
                artifacts.Write(1, NpgsqlDbType.Integer);
                artifacts.Write(start.AddSeconds(i), NpgsqlDbType.TimestampTz);
                artifacts.Write("bench", NpgsqlDbType.Text);
                artifacts.Write("bench-host", NpgsqlDbType.Text);
                artifacts.Write(8L, NpgsqlDbType.Bigint);
                artifacts.Write(Hash(i), NpgsqlDbType.Text);
                artifacts.Write("System.Int64", NpgsqlDbType.Text);
                artifacts.Write("memorypack", NpgsqlDbType.Text);
                artifacts.Write(storage, NpgsqlDbType.Bigint);
                artifacts.Write(".lineage/" + Uid(i), NpgsqlDbType.Text);
                artifacts.Write(firstCode + (i / 100), NpgsqlDbType.Bigint);
            }

            artifacts.Complete();
        }

        // What autovacuum would do within a minute of a bulk load; one VACUUM per command.
        foreach (var sql in new[] { "VACUUM ANALYZE artifacts;", "VACUUM ANALYZE artifact_names;", "VACUUM ANALYZE code_records;" })
        {
            using var analyze = new NpgsqlCommand(sql, connection);
            analyze.ExecuteNonQuery();
        }
    }

    private static string Name(int i) => $"scale-{i:D6}";

    private static string Uid(int i) => $"scale{i:D15}";

    private static string CodeVersion(int i) => $"scale-code-{i:D4}";

    private static string SourceCode(int i) =>
        $"public static Model Train{i}(float[] x, float[] y)\n{{\n" + string.Concat(Enumerable.Repeat("    weights = Step(weights, x, y, learningRate: 0.01f); // one epoch\n", 8)) + "}\n";

    private static string Hash(int i) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Uid(i))));

    private static object? Scalar(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
