using System.Security.Cryptography;
using Lineage.Metadata.Postgres;
using Lineage.Metadata.Sqlite;
using Lineage.Tests.Servers;
using MemoryPack;

namespace Lineage.Tests.Store;

/// <summary>Stores made by earlier releases (schema 3, before runs and lineage; schema 5, before indexed metadata) upgrade in place, their data intact.</summary>
public sealed class UpgradeTests(PostgresServer postgres, S3Server s3)
{
    [Theory]
    [MemberData(nameof(Backend.Databases), MemberType = typeof(Backend))]
    public async Task A_schema_3_store_with_versions_gains_runs_and_lineage_and_keeps_its_versions(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var resolved = ArtifactStore.ResolveOptions(environment.Options());
        var isSqlite = backend.Metadata == MetadataBackend.Sqlite;
        var migrations = isSqlite ? SqliteSchema.Migrations : PostgresSchema.Migrations;
        var time = isSqlite ? "'2026-01-02T03:04:05.000000Z'" : "TIMESTAMPTZ '2026-01-02 03:04:05Z'";

        // The previous release's schema, built from its own migrations, and a version it saved.
        await environment.SqlAsync($"""
            CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at {(isSqlite ? "TEXT" : "TIMESTAMPTZ")} NOT NULL);
            {string.Join("\n", migrations.Where(m => m.Version <= 3).Select(m => m.Sql + $"\nINSERT INTO schema_migrations VALUES ({m.Version}, '{m.Name}', {time});"))}
            INSERT INTO instance (id, uid, created_at) VALUES (1, 'oldinstance1', {time});
            """);
        var value = MemoryPackSerializer.Serialize(41);
        var hash = Convert.ToHexString(SHA256.HashData(value)).ToLowerInvariant();
        Directory.CreateDirectory(Path.Combine(resolved.ArtifactStorageDir, ".lineage"));
        await File.WriteAllBytesAsync(Path.Combine(resolved.ArtifactStorageDir, ".lineage", "olduid0000000001.mpk"), value, TestContext.Current.CancellationToken);
        await environment.SqlAsync($"""
            INSERT INTO storages (uid, root, type, host, instance_uid, created_at, created_by)
            VALUES ('oldstorage01', '{resolved.ArtifactStorageDir}', 'local', '{resolved.Host}', 'oldinstance1', {time}, 'ann');
            INSERT INTO code_records (code_version, source_code, created_at) VALUES ('oldcode', 'int Old() => 41;', {time});
            INSERT INTO artifact_names (name, last_version) VALUES ('old', 1);
            INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key, code_record_id, inputs_hash)
            SELECT 'olduid0000000001', 'old', 1, {time}, 'ann', 'box', {value.Length}, '{hash}', 'System.Int32', 'memorypack', s.id, '.lineage/olduid0000000001.mpk', c.id, 'oldinputs'
            FROM storages s, code_records c;
            """);

        using (var store = environment.Open())
        {
            Assert.Equal((long)migrations.Max(m => m.Version), Convert.ToInt64(await environment.SqlAsync("SELECT MAX(version) FROM schema_migrations;")));
            Assert.Equal(41, store.Load<int>("old"));
            var old = store.Get("old@1");
            Assert.Equal(("oldcode", (string?)null), (old.CodeVersion, old.RunUid));
            Assert.Empty(store.Lineage.Inputs("old"));
            Assert.Single(store.Lineage.Graph("old").Nodes);

            using (store.Runs.Start("after upgrade"))
            {
                store.Save("new", store.Load<int>("old") + 1);
            }

            Assert.Equal(["old@1"], store.Lineage.Inputs("new").Select(i => i.ToString()));
            Assert.Equal(["new"], store.Lineage.Outputs("old").Select(o => o.Name));
        }
    }

    [Theory]
    [MemberData(nameof(Backend.Databases), MemberType = typeof(Backend))]
    public async Task A_schema_5_store_with_metadata_gains_its_indexed_copy_and_finds_by_it(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var resolved = ArtifactStore.ResolveOptions(environment.Options());
        var isSqlite = backend.Metadata == MetadataBackend.Sqlite;
        var migrations = isSqlite ? SqliteSchema.Migrations : PostgresSchema.Migrations;
        var time = isSqlite ? "'2026-01-02T03:04:05.000000Z'" : "TIMESTAMPTZ '2026-01-02 03:04:05Z'";
        await environment.SqlAsync($"""
            CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at {(isSqlite ? "TEXT" : "TIMESTAMPTZ")} NOT NULL);
            {string.Join("\n", migrations.Where(m => m.Version <= 5).Select(m => m.Sql + $"\nINSERT INTO schema_migrations VALUES ({m.Version}, '{m.Name}', {time});"))}
            INSERT INTO instance (id, uid, created_at) VALUES (1, 'oldinstance1', {time});
            INSERT INTO storages (uid, root, type, host, instance_uid, created_at, created_by)
            VALUES ('oldstorage01', '{resolved.ArtifactStorageDir}', 'local', '{resolved.Host}', 'oldinstance1', {time}, 'ann');
            INSERT INTO artifact_names (name, last_version) VALUES ('model', 4);
            """);
        // As schema 5 saves wrote them: numbers (an integer beyond 2^53 among them), strings, booleans; a version without metadata.
        var metadata = new[]
        {
            """{"accuracy": 0.91, "big": 9007199254740993, "dataset": "iris", "epochs": 10, "quantized": true}""",
            """{"accuracy": 0.85, "dataset": "wine", "epochs": "10", "quantized": false}""",
            """{"accuracy": 0.97, "note": "it's; DROP TABLE artifacts; --"}""",
            null,
        };
        for (var i = 0; i < metadata.Length; i++)
        {
            var json = metadata[i] is { } m ? $"'{m.Replace("'", "''", StringComparison.Ordinal)}'" : "NULL";
            await environment.SqlAsync($"""
                INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key, metadata)
                SELECT 'olduid000000000{i}', 'model', {i + 1}, {time}, 'ann', 'box', 1, 'hash{i}', 'System.Int32', 'memorypack', s.id, '.lineage/olduid000000000{i}.mpk', {json}
                FROM storages s;
                """);
        }

        using var store = environment.Open();
        Assert.Equal((long)migrations.Max(m => m.Version), Convert.ToInt64(await environment.SqlAsync("SELECT MAX(version) FROM schema_migrations;")));
        Assert.Equal(11L, Convert.ToInt64(await environment.SqlAsync("SELECT COUNT(*) FROM artifact_metadata;")));
        List<string> Find(string where, string? orderBy = null) =>
            [.. store.Find(new ArtifactQuery { Where = where, AllVersions = true, OrderBy = orderBy }).Select(r => $"{r.Name}@{r.Version}")];

        Assert.Equal(["model@3", "model@1", "model@2"], Find("accuracy > 0.8", "-accuracy"));
        Assert.Equal(["model@1"], Find("epochs = 10"));
        Assert.Equal(["model@2"], Find("epochs = '10'"));
        Assert.Equal(["model@1"], Find("big = 9007199254740993"));
        Assert.Empty(Find("big = 9007199254740992"));
        Assert.Equal(["model@2"], Find("dataset != 'iris'"));
        Assert.Equal(["model@2"], Find("quantized = false"));
        Assert.Equal(["model@3"], Find("note = 'it''s; DROP TABLE artifacts; --'"));
        Assert.Equal(["model@3", "model@4"], Find("not dataset > 'a'"));
        Assert.Equal(0.91, store.Get("model@1").Metadata["accuracy"]);

        // The upgraded store keeps the copy in step.
        store.Annotate("model@4", metadata: new Dictionary<string, object> { ["accuracy"] = 0.99 });
        Assert.Equal(["model@4", "model@3"], Find("accuracy > 0.95", "-accuracy"));
    }

    [Theory]
    [MemberData(nameof(Backend.Databases), MemberType = typeof(Backend))]
    public async Task A_schema_6_store_with_versions_gains_shared_values_and_a_new_save_of_old_bytes_points_at_them(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var resolved = ArtifactStore.ResolveOptions(environment.Options());
        var isSqlite = backend.Metadata == MetadataBackend.Sqlite;
        var migrations = isSqlite ? SqliteSchema.Migrations : PostgresSchema.Migrations;
        var time = isSqlite ? "'2026-01-02T03:04:05.000000Z'" : "TIMESTAMPTZ '2026-01-02 03:04:05Z'";
        var value = MemoryPackSerializer.Serialize("old bytes");
        var hash = Convert.ToHexString(SHA256.HashData(value)).ToLowerInvariant();
        Directory.CreateDirectory(Path.Combine(resolved.ArtifactStorageDir, ".lineage"));
        await File.WriteAllBytesAsync(Path.Combine(resolved.ArtifactStorageDir, ".lineage", "olduid0000000001.mpk"), value, TestContext.Current.CancellationToken);
        await environment.SqlAsync($"""
            CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at {(isSqlite ? "TEXT" : "TIMESTAMPTZ")} NOT NULL);
            {string.Join("\n", migrations.Where(m => m.Version <= 6).Select(m => m.Sql + $"\nINSERT INTO schema_migrations VALUES ({m.Version}, '{m.Name}', {time});"))}
            INSERT INTO instance (id, uid, created_at) VALUES (1, 'oldinstance1', {time});
            INSERT INTO storages (uid, root, type, host, instance_uid, created_at, created_by)
            VALUES ('oldstorage01', '{resolved.ArtifactStorageDir}', 'local', '{resolved.Host}', 'oldinstance1', {time}, 'ann');
            INSERT INTO artifact_names (name, last_version) VALUES ('old', 2);
            INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key)
            SELECT 'olduid000000000' || CAST(v.n AS TEXT), 'old', v.n, {time}, 'ann', 'box', {value.Length}, '{hash}', 'System.String', 'memorypack', s.id, '.lineage/olduid000000000' || CAST(v.n AS TEXT) || '.mpk'
            FROM storages s, (SELECT 1 AS n UNION ALL SELECT 2) v;
            """);
        await File.WriteAllBytesAsync(Path.Combine(resolved.ArtifactStorageDir, ".lineage", "olduid0000000002.mpk"), value, TestContext.Current.CancellationToken);

        using var store = environment.Open();

        Assert.Equal(migrations.Max(m => m.Version), Convert.ToInt64(await environment.SqlAsync("SELECT MAX(version) FROM schema_migrations;")));
        Assert.False(store.Get("old@1").IsShared);
        var again = store.Save("new", "old bytes");
        Assert.True(again.IsShared);
        Assert.Equal(".lineage/olduid0000000001.mpk", again.Key);
        Assert.True(store.Get("old@1").IsShared);
        Assert.False(store.Get("old@2").IsShared);
        store.Delete("old", 1, permanent: true);
        Assert.Equal("old bytes", store.Load<string>("new"));
        Assert.Equal("old bytes", store.Load<string>("old@2"));
    }

    [Theory]
    [MemberData(nameof(Backend.Databases), MemberType = typeof(Backend))]
    public async Task A_schema_7_store_with_versions_gains_checksums_for_new_saves_and_old_versions_verify_by_SHA256(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var resolved = ArtifactStore.ResolveOptions(environment.Options());
        var isSqlite = backend.Metadata == MetadataBackend.Sqlite;
        var migrations = isSqlite ? SqliteSchema.Migrations : PostgresSchema.Migrations;
        var time = isSqlite ? "'2026-01-02T03:04:05.000000Z'" : "TIMESTAMPTZ '2026-01-02 03:04:05Z'";
        var value = MemoryPackSerializer.Serialize("old bytes");
        var hash = Convert.ToHexString(SHA256.HashData(value)).ToLowerInvariant();
        Directory.CreateDirectory(Path.Combine(resolved.ArtifactStorageDir, ".lineage"));
        foreach (var n in new[] { 1, 2 })
        {
            await File.WriteAllBytesAsync(Path.Combine(resolved.ArtifactStorageDir, ".lineage", $"olduid000000000{n}.mpk"), value, TestContext.Current.CancellationToken);
        }

        await environment.SqlAsync($"""
            CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at {(isSqlite ? "TEXT" : "TIMESTAMPTZ")} NOT NULL);
            {string.Join("\n", migrations.Where(m => m.Version <= 7).Select(m => m.Sql + $"\nINSERT INTO schema_migrations VALUES ({m.Version}, '{m.Name}', {time});"))}
            INSERT INTO instance (id, uid, created_at) VALUES (1, 'oldinstance1', {time});
            INSERT INTO storages (uid, root, type, host, instance_uid, created_at, created_by)
            VALUES ('oldstorage01', '{resolved.ArtifactStorageDir}', 'local', '{resolved.Host}', 'oldinstance1', {time}, 'ann');
            INSERT INTO artifact_names (name, last_version) VALUES ('old', 2);
            INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key)
            SELECT 'olduid000000000' || CAST(v.n AS TEXT), 'old', v.n, {time}, 'ann', 'box', {value.Length}, '{hash}', 'System.String', 'memorypack', s.id, '.lineage/olduid000000000' || CAST(v.n AS TEXT) || '.mpk'
            FROM storages s, (SELECT 1 AS n UNION ALL SELECT 2) v;
            """);

        using var store = environment.Open();

        Assert.Equal((long)migrations.Max(m => m.Version), Convert.ToInt64(await environment.SqlAsync("SELECT MAX(version) FROM schema_migrations;")));
        Assert.Equal("load_checksum", await environment.SqlAsync("SELECT name FROM schema_migrations WHERE version = 8;"));
        Assert.Null(store.Get("old@1").Checksum);
        Assert.Equal("old bytes", store.Load<string>("old@1"));
        var saved = store.Save("old", "new bytes");
        Assert.Equal(3, saved.Version);
        Assert.StartsWith("xxh128:", store.Get("old@3").Checksum, StringComparison.Ordinal);
        Assert.Equal("new bytes", store.Load<string>("old"));

        // An old version's corruption is caught by its SHA-256, as before the migration.
        var corrupted = value.ToArray();
        corrupted[^1] ^= 0xFF;
        await File.WriteAllBytesAsync(Path.Combine(resolved.ArtifactStorageDir, ".lineage", "olduid0000000002.mpk"), corrupted, TestContext.Current.CancellationToken);
        var error = Assert.Throws<CorruptArtifactException>(() => store.Load<string>("old@2"));
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Contains(hash, error.Message, StringComparison.Ordinal);
    }
}
