using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

/// <summary>Facts of the SQLite metadata file (WAL, sqlite_master), so SQLite-only; on both value backends. PostgresSchemaTests is its PostgreSQL twin.</summary>
public sealed class SqliteSchemaTests(PostgresServer postgres, S3Server s3)
{
    public static TheoryData<Backend> SqliteBackends => StoreFiles.With(MetadataBackend.Sqlite);

    public static TheoryData<Backend, string> SqliteBackendsAndTables => StoreFiles.Cross(MetadataBackend.Sqlite,
        "instance", "storages", "code_records", "runs", "spaces", "artifact_names", "artifacts", "schema_migrations", "artifact_inputs", "run_inputs");

    [Theory]
    [MemberData(nameof(SqliteBackends))]
    public async Task The_database_uses_the_WAL_journal(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using (environment.Open())
        {
        }

        Assert.Equal("wal", await environment.SqlAsync("PRAGMA journal_mode;"));
    }

    [Theory]
    [MemberData(nameof(SqliteBackendsAndTables))]
    public async Task The_schema_has_table(Backend backend, string table)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using (environment.Open())
        {
        }

        Assert.Equal(1L, await environment.SqlAsync($"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}';"));
    }

    [Theory]
    [MemberData(nameof(SqliteBackends))]
    public async Task The_root_is_registered_as_a_storage_of_its_type_owned_by_this_instance(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        string instance;
        string root;
        using (var store = environment.Open())
        {
            instance = store.InstanceUid;
            root = store.Options.ArtifactStorageDir;
        }

        Assert.Equal(environment.Root, root);
        Assert.Equal(root, await environment.SqlAsync("SELECT root FROM storages;"));
        Assert.Equal(backend.Values.ToString().ToLowerInvariant(), await environment.SqlAsync("SELECT type FROM storages;"));
        Assert.Equal(backend.Values == ValueBackend.Local ? Environment.MachineName : string.Empty, await environment.SqlAsync("SELECT host FROM storages;"));
        Assert.Equal(instance, await environment.SqlAsync("SELECT instance_uid FROM storages;"));
        Assert.Equal(instance, await environment.SqlAsync("SELECT uid FROM instance;"));
    }
}
