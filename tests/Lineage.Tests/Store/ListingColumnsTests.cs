using System.Security.Cryptography;
using Lineage.Metadata.Postgres;
using Lineage.Metadata.Sqlite;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

/// <summary>
/// Schema 9 keeps each name's newest main-branch version (artifact_names.latest_id) and whether a version shares its stored value
/// (artifacts.value_shared) in columns, kept by triggers: after every kind of write they equal what the correlated look-ups of
/// schema 8 compute from the rows, and a schema 8 store gains them filled in.
/// </summary>
public sealed class ListingColumnsTests(PostgresServer postgres, S3Server s3)
{
    [Theory]
    [MemberData(nameof(Backend.Databases), MemberType = typeof(Backend))]
    public async Task Latest_and_shared_columns_equal_a_recomputation_from_the_rows_after_every_kind_of_write(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();

        async Task Check(string after, string expectedListing)
        {
            Assert.Equal(string.Empty, await MismatchesAsync(environment));
            Assert.True(expectedListing == Listing(store), $"after {after}: {Listing(store)}");
        }

        store.Save("model", "one");
        await Check("a first save", "model@1");
        store.Save("model", "two");
        store.Save("model", "three");
        await Check("new versions", "model@3");

        // Identical bytes: the new version points at model@2's value, and both say so.
        var same = store.Save("copy", "two");
        Assert.True(same.IsShared);
        Assert.True(store.Get("model@2").IsShared);
        Assert.False(store.Get("model@1").IsShared);
        await Check("a save of identical bytes", "copy@1 (shared), model@3");
        store.Save("copy", "two");
        await Check("a third version of one value", "copy@2 (shared), model@3");

        store.Delete("model", 3);
        await Check("trashing the latest", "copy@2 (shared), model@2 (shared)");
        store.Restore("model", 3);
        await Check("restoring it", "copy@2 (shared), model@3");
        store.Archive("model", 3);
        await Check("archiving the latest", "copy@2 (shared), model@2 (shared)");
        store.Restore("model", 3);
        store.Delete("model", 1);
        await Check("trashing an older version", "copy@2 (shared), model@3");
        store.EmptyTrash();
        await Check("emptying the trash", "copy@2 (shared), model@3");

        // The value shared three ways loses its versions one by one: the last one left shares nothing.
        store.Delete("copy", 2, permanent: true);
        await Check("purging one sharer", "copy@1 (shared), model@3");
        store.Delete("copy", 1, permanent: true);
        Assert.False(store.Get("model@2").IsShared);
        await Check("purging a whole name", "model@3");

        store.Delete("model", 3, permanent: true);
        await Check("purging the latest", "model@2");
        store.Save("other", "x");
        store.Save("other", "y");
        store.Prune(new RetentionPolicy { KeepLast = 1 }, "other");
        await Check("retention", "model@2, other@2");

        // A version pointed at another value (as a move to another storage location does), there and back.
        var target = store.Get("other@2");
        await environment.SqlAsync($"UPDATE artifacts SET key = '{target.Key}' WHERE name = 'model' AND version = 2;");
        await Check("pointing a version at another's value", "model@2 (shared), other@2 (shared)");
        await environment.SqlAsync($"UPDATE artifacts SET key = '{store.Get("model@2").Key}x' WHERE name = 'model' AND version = 2;");
        await Check("pointing it away again", "model@2, other@2");

        // A version renumbered or renamed in place moves the pointers of both names.
        await environment.SqlAsync("INSERT INTO artifact_names (name, last_version) VALUES ('renamed', 0);");
        await environment.SqlAsync("UPDATE artifacts SET name = 'renamed' WHERE name = 'model' AND version = 2;");
        await Check("renaming a version", "other@2, renamed@2");
    }

    [Theory]
    [MemberData(nameof(Backend.Databases), MemberType = typeof(Backend))]
    public async Task Concurrent_saves_trashes_and_restores_of_one_name_leave_its_latest_version_right(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        for (var i = 0; i < 3; i++)
        {
            store.Save("hot", i);
        }

        // Writers of one name wait for each other's lock of its row; a pointer computed from a snapshot taken before the wait
        // would miss the version the other writer committed meanwhile.
        var cancellation = TestContext.Current.CancellationToken;
        var saving = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var k = 0; k < 40; k++)
            {
                await store.SaveAsync("hot", (w * 100) + k, cancellationToken: cancellation);
            }
        }, cancellation)).ToList();
        var churning = Task.Run(async () =>
        {
            while (!saving.All(s => s.IsCompleted))
            {
                var latest = (await store.GetAsync("hot", cancellationToken: cancellation)).Version;
                await store.DeleteAsync("hot", latest, cancellationToken: cancellation);
                await store.RestoreAsync("hot", latest, cancellation);
                Assert.Equal(string.Empty, await MismatchesAsync(environment));
            }
        }, cancellation);
        await Task.WhenAll([.. saving, churning]);

        Assert.Equal(string.Empty, await MismatchesAsync(environment));
        Assert.Equal(123, store.Get("hot").Version);
    }

    [Theory]
    [MemberData(nameof(Backend.Databases), MemberType = typeof(Backend))]
    public async Task A_bulk_insert_of_100000_versions_in_one_statement_keeps_the_columns_right(Backend backend)
    {
        // One lock per row taken by a trigger would exhaust PostgreSQL's lock table (64 per connection allowed) long before this.
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        var saved = store.Save("first", "value");
        const string Numbers = "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < 100000)";
        await environment.SqlAsync($"{Numbers} INSERT INTO artifact_names (name, last_version) SELECT 'bulk-' || CAST(i AS TEXT), 1 FROM g;");
        await environment.SqlAsync($"""
            {Numbers}
            INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key)
            SELECT 'bulk' || CAST(i AS TEXT), 'bulk-' || CAST(i AS TEXT), 1, a.created_at, 'ann', 'box', a.size, a.hash, a.type_name, a.format, a.storage_id,
                CASE WHEN i % 1000 = 0 THEN a.key ELSE 'bulk/' || CAST(i AS TEXT) END
            FROM g CROSS JOIN artifacts a WHERE a.uid = '{saved.Uid}';
            """);

        // A row inserted saying it shares a value no other version points at is corrected.
        await environment.SqlAsync($"""
            INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key, value_shared)
            SELECT 'alone', 'first', 2, a.created_at, 'ann', 'box', a.size, a.hash, a.type_name, a.format, a.storage_id, 'alone/key', 1
            FROM artifacts a WHERE a.uid = '{saved.Uid}';
            """);

        Assert.Equal(string.Empty, await MismatchesAsync(environment));
        Assert.False(store.Get("first").IsShared);
        Assert.Equal(100_001, store.CountListed());
        Assert.True(store.Get("first@1").IsShared);
        Assert.Equal([true, false], new[] { "bulk-1000", "bulk-999" }.Select(n => store.Get(n).IsShared));
        Assert.Equal(100, store.List().Count(r => r.IsShared));
    }

    [Theory]
    [MemberData(nameof(Backend.Databases), MemberType = typeof(Backend))]
    public async Task A_schema_8_store_with_versions_trash_shared_values_and_aliases_lists_as_it_did(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var resolved = ArtifactStore.ResolveOptions(environment.Options());
        var isSqlite = backend.Metadata == MetadataBackend.Sqlite;
        var migrations = isSqlite ? SqliteSchema.Migrations : PostgresSchema.Migrations;
        var time = isSqlite ? "'2026-01-02T03:04:05.000000Z'" : "TIMESTAMPTZ '2026-01-02 03:04:05Z'";
        var hash = Convert.ToHexString(SHA256.HashData([1, 2, 3])).ToLowerInvariant();
        string Row(string uid, string name, int version, string branch, string key) => $"""
            INSERT INTO artifacts (uid, name, version, branch, created_at, created_by, host, size, hash, type_name, format, storage_id, key)
            SELECT '{uid}', '{name}', {version}, '{branch}', {time}, 'ann', 'box', 3, '{hash}', 'System.Byte[]', 'raw', s.id, '.lineage/{key}.bin' FROM storages s;
            """;

        // As schema 8 left them: alpha's newest version in the trash, beta's newest deleted, gamma only in the trash, delta
        // sharing alpha@1's value, two aliases on alpha@2.
        await environment.SqlAsync($"""
            CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at {(isSqlite ? "TEXT" : "TIMESTAMPTZ")} NOT NULL);
            {string.Join("\n", migrations.Where(m => m.Version <= 8).Select(m => m.Sql + $"\nINSERT INTO schema_migrations VALUES ({m.Version}, '{m.Name}', {time});"))}
            INSERT INTO instance (id, uid, created_at) VALUES (1, 'oldinstance1', {time});
            INSERT INTO storages (uid, root, type, host, instance_uid, created_at, created_by)
            VALUES ('oldstorage01', '{resolved.ArtifactStorageDir}', 'local', '{resolved.Host}', 'oldinstance1', {time}, 'ann');
            INSERT INTO artifact_names (name, last_version) VALUES ('alpha', 3), ('beta', 2), ('delta', 1), ('gamma', 1);
            {Row("alpha1", "alpha", 1, "main", "alpha1")}
            {Row("alpha2", "alpha", 2, "main", "alpha2")}
            {Row("alpha3", "alpha", 3, "trash", "alpha3")}
            {Row("beta1", "beta", 1, "main", "beta1")}
            {Row("gamma1", "gamma", 1, "trash", "gamma1")}
            {Row("delta1", "delta", 1, "main", "alpha1")}
            INSERT INTO aliases (name, alias, artifact_id, set_at, set_by) SELECT 'alpha', 'prod', id, {time}, 'ann' FROM artifacts WHERE uid = 'alpha2';
            INSERT INTO aliases (name, alias, artifact_id, set_at, set_by) SELECT 'alpha', 'best', id, {time}, 'ann' FROM artifacts WHERE uid = 'alpha2';
            """);

        using var store = environment.Open();

        Assert.Equal((long)migrations.Max(m => m.Version), Convert.ToInt64(await environment.SqlAsync("SELECT MAX(version) FROM schema_migrations;")));
        Assert.Equal("listing_columns", await environment.SqlAsync("SELECT name FROM schema_migrations WHERE version = 9;"));
        Assert.Equal(string.Empty, await MismatchesAsync(environment));
        Assert.Equal("alpha@2 [best,prod], beta@1, delta@1 (shared)", Listing(store));
        Assert.Equal(["best", "prod"], store.List()[0].Aliases);
        var first = store.ListPage(2);
        Assert.Equal(["alpha@2", "beta@1"], first.Items.Select(r => $"{r.Name}@{r.Version}"));
        Assert.Equal(["delta@1"], store.ListPage(2, first.NextCursor).Items.Select(r => $"{r.Name}@{r.Version}"));
        Assert.Equal(3, store.CountListed());
        Assert.Equal(2, store.Get("alpha").Version);
        Assert.True(store.Get("alpha@1").IsShared);
        Assert.False(store.Get("alpha@2").IsShared);
        Assert.Equal(["alpha@2", "beta@1", "delta@1"], store.Find(new ArtifactQuery()).Select(r => $"{r.Name}@{r.Version}"));

        // The upgraded store keeps the columns in step.
        store.Restore("gamma", 1);
        store.Restore("alpha", 3);
        Assert.Equal(string.Empty, await MismatchesAsync(environment));
        Assert.Equal("alpha@3, beta@1, delta@1 (shared), gamma@1", Listing(store));
    }

    /// <summary>Every listed record as name@version, with its aliases and shared flag when it has them.</summary>
    private static string Listing(ArtifactStore store) => string.Join(", ", store.List().Select(r =>
        $"{r.Name}@{r.Version}{(r.Aliases is { Count: > 0 } aliases ? $" [{string.Join(",", aliases)}]" : string.Empty)}{(r.IsShared ? " (shared)" : string.Empty)}"));

    /// <summary>
    /// The names whose stored latest_id and the versions whose stored value_shared differ from what schema 8's correlated
    /// look-ups compute from the rows; empty when the columns are right.
    /// </summary>
    private static async Task<string> MismatchesAsync(BackendEnvironment environment)
    {
        var isSqlite = environment.Backend.Metadata == MetadataBackend.Sqlite;
        var (distinct, concat) = isSqlite ? ("IS NOT", "group_concat") : ("IS DISTINCT FROM", "string_agg");
        var found = await environment.SqlAsync($"""
            SELECT COALESCE((SELECT {concat}('latest of ' || n.name, ', ') FROM artifact_names n
                             WHERE n.latest_id {distinct} (SELECT b.id FROM artifacts b WHERE b.name = n.name AND b.branch = 'main' ORDER BY b.version DESC LIMIT 1)), '')
                || COALESCE((SELECT {concat}('shared of ' || a.name || '@' || CAST(a.version AS TEXT), ', ') FROM artifacts a
                             WHERE a.value_shared <> CASE WHEN EXISTS (SELECT 1 FROM artifacts o WHERE o.storage_id = a.storage_id AND o.key = a.key AND o.id <> a.id) THEN 1 ELSE 0 END), '');
            """);
        return (string)found!;
    }
}
