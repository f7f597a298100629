using System.Data.Common;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Lineage.Configuration;
using Lineage.Metadata.Postgres;
using Lineage.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;

namespace Lineage.Benchmarks;

/// <summary>The metadata database a <see cref="CatalogBenchmarks"/> run queries.</summary>
public enum CatalogDatabase
{
    Sqlite,
    Postgres,
}

/// <summary>
/// <c>store.Find</c> with one metadata comparison over 100,000 versions (1,000 names × 100 versions), beside the same query
/// hand-written in SQL and run over ADO.NET on the same database: the same predicates, the same columns (and joins) as a
/// record, every value of every row read. The rows are bulk-inserted through the real schema (after the store's migrations
/// ran); metadata is <c>{"accuracy": 0.xxxx, "dataset": "iris" | "wine", "epochs": n}</c>, with accuracy uniform in [0, 1) and
/// dataset "iris" for about 10% of versions, so each filter matches about 10% of the versions (and of the latest versions).
/// </summary>
/// <remarks>
/// The hand-written baseline is the best SQL we found for the same question over the same schema (migration 6): a join of the
/// indexed <c>artifact_metadata</c> on the key, <c>JOIN artifact_metadata m ON m.artifact_id = a.id AND m.key = 'accuracy' AND
/// m.number &gt; @min</c> (ordered by <c>m.number</c> for the top 50; <c>m.string = @dataset</c>, on PostgreSQL with the indexed prefix
/// condition, for the equality), the latest version of each name found with one index seek per name (see docs/benchmarks.md), and
/// none of <c>Find</c>'s generality (key and value literals, no type dispatch). The PostgreSQL baseline runs with <c>jit=off</c>.
/// Setup checks that each baseline returns the same rows as the store, in the same order.
/// </remarks>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class CatalogBenchmarks
{
    public const int Names = 1_000;
    public const int VersionsPerName = 100;

    private const string Latest = "latest, accuracy > 0.9";
    private const string LatestTop = "latest, accuracy > 0.9, -accuracy, limit 50";
    private const string All = "all versions, accuracy > 0.9";
    private const string AllTop = "all versions, accuracy > 0.9, -accuracy, limit 50";
    private const string Equality = "all versions, dataset = 'iris'";

    private static readonly ArtifactQuery LatestQuery = new() { Where = "accuracy > 0.9" };
    private static readonly ArtifactQuery LatestTopQuery = new() { Where = "accuracy > 0.9", OrderBy = "-accuracy", Limit = 50 };
    private static readonly ArtifactQuery AllQuery = new() { Where = "accuracy > 0.9", AllVersions = true };
    private static readonly ArtifactQuery AllTopQuery = new() { Where = "accuracy > 0.9", OrderBy = "-accuracy", Limit = 50, AllVersions = true };
    private static readonly ArtifactQuery EqualityQuery = new() { Where = "dataset = 'iris'", AllVersions = true };

    private BenchmarkFolder _folder = null!;
    private PostgresCluster? _cluster;
    private ArtifactStore _store = null!;
    private DbConnection _raw = null!;
    private HandWritten _sql = null!;

    [ParamsAllValues]
    public CatalogDatabase Database { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = new BenchmarkFolder("catalog-" + Database.ToString().ToLowerInvariant());
        var options = _folder.Options();
        if (Database == CatalogDatabase.Postgres)
        {
            _cluster = PostgresCluster.StartAsync().GetAwaiter().GetResult();
            using (var admin = new NpgsqlConnection(ConnectionString(_cluster.AdminUrl)))
            {
                admin.Open();
                using var create = new NpgsqlCommand("CREATE DATABASE lineage_catalog;", admin);
                create.ExecuteNonQuery();
            }

            options.DatabaseUrl = _cluster.AdminUrl.Replace("/postgres", "/lineage_catalog", StringComparison.Ordinal);
        }

        // Opening runs the migrations; one real save registers the storage location the seeded rows point at.
        _store = ArtifactStore.Open(options);
        _store.Save("catalog-seed", 0);
        _store.Delete("catalog-seed", 1, permanent: true);

        if (Database == CatalogDatabase.Postgres)
        {
            // JIT off for the baseline: compiling the plan of a short query costs more than running it (see docs/benchmarks.md).
            var raw = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString(options.DatabaseUrl!)) { Options = "-c jit=off" }.ConnectionString);
            raw.Open();
            _raw = raw;
            CatalogSeed.Postgres(raw);
            _sql = HandWritten.Postgres;
        }
        else
        {
            var raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_folder.Path, "db.sqlite"), Pooling = false }.ToString());
            raw.Open();
            _raw = raw;
            CatalogSeed.Sqlite(raw);
            _sql = HandWritten.Sqlite;
        }

        CheckSameRows(LatestQuery, _sql.Latest);
        CheckSameRows(LatestTopQuery, _sql.LatestTop);
        CheckSameRows(AllQuery, _sql.All);
        CheckSameRows(AllTopQuery, _sql.AllTop);
        CheckSameRows(EqualityQuery, _sql.Equality);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _raw.Dispose();
        _store.Dispose();
        if (_cluster is not null)
        {
            NpgsqlConnection.ClearAllPools();
            _cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        _folder.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory(Latest)]
    public int Sql_latest() => RunRaw(_sql.Latest).Count;

    [Benchmark, BenchmarkCategory(Latest)]
    public int Find_latest() => _store.Find(LatestQuery).Count;

    [Benchmark(Baseline = true), BenchmarkCategory(LatestTop)]
    public int Sql_latest_top50() => RunRaw(_sql.LatestTop).Count;

    [Benchmark, BenchmarkCategory(LatestTop)]
    public int Find_latest_top50() => _store.Find(LatestTopQuery).Count;

    [Benchmark(Baseline = true), BenchmarkCategory(All)]
    public int Sql_all_versions() => RunRaw(_sql.All).Count;

    [Benchmark, BenchmarkCategory(All)]
    public int Find_all_versions() => _store.Find(AllQuery).Count;

    [Benchmark(Baseline = true), BenchmarkCategory(AllTop)]
    public int Sql_all_versions_top50() => RunRaw(_sql.AllTop).Count;

    [Benchmark, BenchmarkCategory(AllTop)]
    public int Find_all_versions_top50() => _store.Find(AllTopQuery).Count;

    [Benchmark(Baseline = true), BenchmarkCategory(Equality)]
    public int Sql_all_versions_equality() => RunRaw(_sql.Equality).Count;

    [Benchmark, BenchmarkCategory(Equality)]
    public int Find_all_versions_equality() => _store.Find(EqualityQuery).Count;

    /// <summary>Runs hand-written SQL and reads every value of every row, as a record is read.</summary>
    private List<object[]> RunRaw(string sql)
    {
        using var command = _raw.CreateCommand();
        command.CommandText = sql;
        AddParameter(command, "@min", 0.9);
        AddParameter(command, "@dataset", "iris");
        AddParameter(command, "@limit", 50);
        var rows = new List<object[]>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        if (!command.CommandText.Contains(name, StringComparison.Ordinal))
        {
            return;
        }

        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private void CheckSameRows(ArtifactQuery query, string sql)
    {
        var found = _store.Find(query).Select(r => r.Uid).ToList();
        var raw = RunRaw(sql).Select(r => (string)r[0]).ToList();
        if (found.Count == 0 || !found.SequenceEqual(raw))
        {
            throw new InvalidOperationException($"The hand-written SQL for '{query.Where}' (all versions: {query.AllVersions}) returns {raw.Count} rows, Find {found.Count}, or not in the same order.");
        }
    }

    private static string ConnectionString(string url) => PostgresUrl.ToConnectionString(DatabaseLocation.Parse(url, "/", "/")).ConnectionString;

    /// <summary>The hand-written SQL of each benchmark, with the columns a record reads (the store's own SELECT list).</summary>
    private sealed record HandWritten(string Latest, string LatestTop, string All, string AllTop, string Equality)
    {
        private const string From = """
            FROM artifacts a
            JOIN storages s ON s.id = a.storage_id
            LEFT JOIN code_records c ON c.id = a.code_record_id
            LEFT JOIN runs r ON r.id = a.run_id
            """;

        // The newest live version of each name, one index seek per name (artifact_names holds every name, artifacts_by_branch
        // orders each name's versions); faster on both databases than a correlated MAX per row or a grouped MAX joined back.
        // PostgreSQL evaluates a scalar subquery in IN twice per name (hash key and index condition); LATERAL runs it once.
        private const string SqliteLatest = "a.id IN (SELECT (SELECT b.id FROM artifacts b WHERE b.name = n.name AND b.branch = 'main' ORDER BY b.version DESC LIMIT 1) FROM artifact_names n)";
        private const string PostgresLatest = "a.id IN (SELECT l.id FROM artifact_names n CROSS JOIN LATERAL (SELECT b.id FROM artifacts b WHERE b.name = n.name AND b.branch = 'main' ORDER BY b.version DESC LIMIT 1) l)";

        public static readonly HandWritten Sqlite = Build(
            "a.tags, a.metadata, (SELECT group_concat(x.alias, ',') FROM (SELECT alias FROM aliases WHERE artifact_id = a.id ORDER BY alias) x)",
            accurate: "m.number > @min",
            dataset: "m.string = @dataset",
            latestOnly: SqliteLatest);

        // The index on strings holds their first 400 characters, so equality names that prefix too.
        public static readonly HandWritten Postgres = Build(
            "a.tags::text, a.metadata::text, (SELECT string_agg(x.alias, ',' ORDER BY x.alias) FROM aliases x WHERE x.artifact_id = a.id)",
            accurate: "m.number > CAST(@min AS numeric)",
            dataset: "left(m.string, 400) = left(@dataset, 400) AND m.string = @dataset",
            latestOnly: PostgresLatest);

        private static HandWritten Build(string catalogColumns, string accurate, string dataset, string latestOnly)
        {
            var select = $"""
                SELECT a.uid, a.name, a.version, a.created_at, a.created_by, a.host, a.size, a.hash,
                    a.type_name, a.format, s.root, a.key, a.branch, c.code_version, c.source_code,
                    c.assembly_name, c.assembly_version, c.source_revision, a.inputs_hash, a.type_schema,
                    s.host, a.is_managed, a.storage_id, r.uid, a.description, {catalogColumns}
                {From}
                """;
            var accuracy = $"JOIN artifact_metadata m ON m.artifact_id = a.id AND m.key = 'accuracy' AND {accurate}";
            return new HandWritten(
                Latest: $"{select} {accuracy} WHERE a.branch = 'main' AND {latestOnly} ORDER BY a.name, a.version;",
                LatestTop: $"{select} {accuracy} WHERE a.branch = 'main' AND {latestOnly} ORDER BY m.number DESC, a.name, a.version LIMIT @limit;",
                All: $"{select} {accuracy} WHERE a.branch = 'main' ORDER BY a.name, a.version;",
                AllTop: $"{select} {accuracy} WHERE a.branch = 'main' ORDER BY m.number DESC, a.name, a.version LIMIT @limit;",
                Equality: $"{select} JOIN artifact_metadata m ON m.artifact_id = a.id AND m.key = 'dataset' AND {dataset} WHERE a.branch = 'main' ORDER BY a.name, a.version;");
        }
    }
}

/// <summary>
/// 100,000 versions (1,000 names × 100) inserted in bulk through the real schema, with the metadata and tags a save writes.
/// The values are the same on every database (a fixed seed).
/// </summary>
internal static class CatalogSeed
{
    private const string Columns = "uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key, tags, metadata";

    private sealed record Row(string Uid, string Name, int Version, DateTime CreatedAt, string Tags, string Metadata);

    public static void Sqlite(SqliteConnection connection)
    {
        var storage = Convert.ToInt64(Scalar(connection, "SELECT MAX(id) FROM storages;"), CultureInfo.InvariantCulture);
        using (var transaction = connection.BeginTransaction())
        {
            using (var names = connection.CreateCommand())
            {
                names.Transaction = transaction;
                names.CommandText = "INSERT INTO artifact_names (name, last_version) VALUES (@name, @last);";
                var name = names.Parameters.Add("@name", SqliteType.Text);
                names.Parameters.AddWithValue("@last", CatalogBenchmarks.VersionsPerName);
                names.Prepare();
                foreach (var n in NameList())
                {
                    name.Value = n;
                    names.ExecuteNonQuery();
                }
            }

            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = $"INSERT INTO artifacts ({Columns}) VALUES (@uid, @name, @version, @created_at, 'bench', 'bench-host', 8, @hash, 'System.Int64', 'memorypack', {storage}, @key, @tags, @metadata);";
            var parameters = new[] { "@uid", "@name", "@version", "@created_at", "@hash", "@key", "@tags", "@metadata" }.Select(p => insert.Parameters.Add(p, SqliteType.Text)).ToArray();
            insert.Prepare();
            foreach (var row in Rows())
            {
                parameters[0].Value = row.Uid;
                parameters[1].Value = row.Name;
                parameters[2].Value = row.Version;
                parameters[3].Value = row.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
                parameters[4].Value = Hash(row.Uid);
                parameters[5].Value = ".lineage/" + row.Uid;
                parameters[6].Value = row.Tags;
                parameters[7].Value = row.Metadata;
                insert.ExecuteNonQuery();
            }

            using (var index = connection.CreateCommand())
            {
                index.Transaction = transaction;
                index.CommandText = IndexMetadataSql.Sqlite;
                index.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
        checkpoint.ExecuteNonQuery();
    }

    public static void Postgres(NpgsqlConnection connection)
    {
        var storage = Convert.ToInt64(Scalar(connection, "SELECT MAX(id) FROM storages;"), CultureInfo.InvariantCulture);
        using (var names = connection.BeginBinaryImport("COPY artifact_names (name, last_version) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var n in NameList())
            {
                names.StartRow();
                names.Write(n, NpgsqlDbType.Text);
                names.Write(CatalogBenchmarks.VersionsPerName, NpgsqlDbType.Integer);
            }

            names.Complete();
        }

        using (var artifacts = connection.BeginBinaryImport($"COPY artifacts ({Columns}) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in Rows())
            {
                artifacts.StartRow();
                artifacts.Write(row.Uid, NpgsqlDbType.Text);
                artifacts.Write(row.Name, NpgsqlDbType.Text);
                artifacts.Write(row.Version, NpgsqlDbType.Integer);
                artifacts.Write(row.CreatedAt, NpgsqlDbType.TimestampTz);
                artifacts.Write("bench", NpgsqlDbType.Text);
                artifacts.Write("bench-host", NpgsqlDbType.Text);
                artifacts.Write(8L, NpgsqlDbType.Bigint);
                artifacts.Write(Hash(row.Uid), NpgsqlDbType.Text);
                artifacts.Write("System.Int64", NpgsqlDbType.Text);
                artifacts.Write("memorypack", NpgsqlDbType.Text);
                artifacts.Write(storage, NpgsqlDbType.Bigint);
                artifacts.Write(".lineage/" + row.Uid, NpgsqlDbType.Text);
                artifacts.Write(row.Tags, NpgsqlDbType.Jsonb);
                artifacts.Write(row.Metadata, NpgsqlDbType.Jsonb);
            }

            artifacts.Complete();
        }

        using (var index = new NpgsqlCommand(IndexMetadataSql.Postgres, connection))
        {
            index.ExecuteNonQuery();
        }

        // What autovacuum would do within a minute of a bulk load; done here so every run plans with statistics.
        // One VACUUM per command: PostgreSQL refuses it inside a batch of several.
        foreach (var sql in new[] { "VACUUM ANALYZE artifacts;", "VACUUM ANALYZE artifact_metadata;", "ANALYZE artifact_names;" })
        {
            using var analyze = new NpgsqlCommand(sql, connection);
            analyze.ExecuteNonQuery();
        }
    }

    /// <summary>The indexed copy of the loaded metadata, as a save writes it (and as migration 6 fills it).</summary>
    private static class IndexMetadataSql
    {
        public const string Sqlite = """
            INSERT INTO artifact_metadata (artifact_id, key, number, string, flag)
            SELECT a.id, j.key,
                CASE WHEN j.type IN ('integer', 'real') THEN j.value END,
                CASE WHEN j.type = 'text' THEN j.value END,
                CASE j.type WHEN 'true' THEN 1 WHEN 'false' THEN 0 END
            FROM artifacts a, json_each(a.metadata) j WHERE j.type IN ('integer', 'real', 'text', 'true', 'false');
            """;

        public const string Postgres = """
            INSERT INTO artifact_metadata (artifact_id, key, number, string, flag)
            SELECT a.id, j.key,
                CASE WHEN jsonb_typeof(j.value) = 'number' THEN j.value::numeric END,
                CASE WHEN jsonb_typeof(j.value) = 'string' THEN j.value #>> '{}' END,
                CASE WHEN jsonb_typeof(j.value) = 'boolean' THEN j.value::boolean END
            FROM artifacts a CROSS JOIN LATERAL jsonb_each(a.metadata) j WHERE jsonb_typeof(j.value) IN ('number', 'string', 'boolean');
            """;
    }

    private static IEnumerable<string> NameList() => Enumerable.Range(0, CatalogBenchmarks.Names).Select(n => $"model-{n:D4}");

    private static IEnumerable<Row> Rows()
    {
        var random = new Random(15);
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var names = NameList().ToList();
        var i = 0;
        foreach (var name in names)
        {
            for (var version = 1; version <= CatalogBenchmarks.VersionsPerName; version++)
            {
                var metadata = Annotations.Metadata(new Dictionary<string, object>
                {
                    ["accuracy"] = Math.Round(random.NextDouble(), 4),
                    ["epochs"] = random.Next(1, 201),
                    ["dataset"] = random.NextDouble() < 0.1 ? "iris" : "wine",
                });
                var tags = random.NextDouble() < 0.05 ? new[] { "nightly", "candidate" } : ["nightly"];
                yield return new Row($"bench{i:D11}", name, version, start.AddSeconds(i), Annotations.TagsJson(Annotations.Tags(tags))!, Annotations.MetadataJson(metadata)!);
                i++;
            }
        }
    }

    private static string Hash(string uid) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(uid)));

    private static object? Scalar(DbConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
