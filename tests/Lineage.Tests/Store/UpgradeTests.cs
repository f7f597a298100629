using System.Security.Cryptography;
using Lineage.Metadata.Postgres;
using Lineage.Metadata.Sqlite;
using Lineage.Tests.Servers;
using MemoryPack;

namespace Lineage.Tests.Store;

/// <summary>A store made by the previous release (schema 3, before runs and lineage) upgrades in place, its data intact.</summary>
public sealed class UpgradeTests(PostgresServer postgres, S3Server s3)
{
    public static TheoryData<Backend> LocalBackends => new(Backend.SqliteLocal, new Backend(MetadataBackend.Postgres, ValueBackend.Local));

    [Theory]
    [MemberData(nameof(LocalBackends))]
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
}
