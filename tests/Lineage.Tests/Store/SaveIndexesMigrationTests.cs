using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

/// <summary>
/// Schema 10 drops artifacts_by_storage (a prefix of artifacts_by_value) and keeps artifacts_by_computation only for versions that
/// GetOrCompute saved (with inputs): a save writes two index pages fewer. A schema 9 store with data upgrades in place and finds what
/// it found before.
/// </summary>
public sealed class SaveIndexesMigrationTests(PostgresServer postgres, S3Server s3)
{
    private static readonly ArtifactCode Code = new("code-indexes-1", "static int Twice(int x) => 2 * x;");

    [Theory]
    [MemberData(nameof(Backend.Databases), MemberType = typeof(Backend))]
    public async Task A_schema_9_store_with_computed_and_saved_versions_upgrades_and_finds_them(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var isSqlite = backend.Metadata == MetadataBackend.Sqlite;
        using (var store = environment.Open())
        {
            store.Save("plain", new[] { 1, 2, 3 });
            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal(2 * i, store.GetOrCompute("twice", Code, $"input-{i}", () => 2 * i));
            }
        }

        // Back to schema 9 as it stood: migration 10 changed only these two indexes.
        await environment.SqlAsync($"""
            DROP INDEX artifacts_by_computation;
            CREATE INDEX artifacts_by_computation ON artifacts (name, code_record_id, inputs_hash);
            CREATE INDEX artifacts_by_storage ON artifacts (storage_id);
            DELETE FROM schema_migrations WHERE version = 10;
            """);
        Assert.Equal(9L, Convert.ToInt64(await environment.SqlAsync("SELECT MAX(version) FROM schema_migrations;")));

        using (var store = environment.Open())
        {
            Assert.Equal("save_indexes", await environment.SqlAsync("SELECT name FROM schema_migrations WHERE version = 10;"));
            Assert.Null(await IndexAsync(environment, isSqlite, "artifacts_by_storage"));
            Assert.Contains("WHERE", await IndexAsync(environment, isSqlite, "artifacts_by_computation") ?? "(none)", StringComparison.Ordinal);
            Assert.Contains("inputs_hash IS NOT NULL", await IndexAsync(environment, isSqlite, "artifacts_by_computation") ?? "(none)", StringComparison.Ordinal);

            // What GetOrCompute stored before the upgrade is found again, not computed; new inputs compute and are found next time.
            for (var i = 1; i <= 3; i++)
            {
                Assert.Equal(2 * i, store.GetOrCompute("twice", Code, $"input-{i}", () => -1));
            }

            Assert.Equal(8, store.GetOrCompute("twice", Code, "input-4", () => 8));
            Assert.Equal(8, store.GetOrCompute("twice", Code, "input-4", () => -1));
            Assert.Equal(4, store.Get("twice").Version);
            Assert.Equal([1, 2, 3], store.Load<int[]>("plain"));
            store.Save("plain", new[] { 4 });
            Assert.Equal([4], store.Load<int[]>("plain"));
            store.Delete("plain", 1);
            Assert.Equal(["plain@2", "twice@4"], store.List().Select(r => $"{r.Name}@{r.Version}"));
        }
    }

    private static async Task<string?> IndexAsync(BackendEnvironment environment, bool isSqlite, string name) =>
        await environment.SqlAsync(isSqlite
            ? $"SELECT sql FROM sqlite_master WHERE type = 'index' AND name = '{name}';"
            : $"SELECT indexdef FROM pg_indexes WHERE indexname = '{name}';") as string;
}
