using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

/// <summary>Facts of the PostgreSQL metadata database (information_schema, its column types), so PostgreSQL-only; on both value backends. SqliteSchemaTests is its SQLite twin.</summary>
public sealed class PostgresSchemaTests(PostgresServer postgres, S3Server s3)
{
    public static TheoryData<Backend> PostgresBackends => StoreFiles.With(MetadataBackend.Postgres);

    [Theory]
    [MemberData(nameof(PostgresBackends))]
    public async Task The_schema_has_every_table(Backend backend)
    {
        // One database for all tables (SqliteSchemaTests has one case per table): a PostgreSQL database costs far more than a SQLite file.
        string[] tables = ["artifact_inputs", "artifact_names", "artifacts", "code_records", "instance", "run_inputs", "runs", "schema_migrations", "spaces", "storages"];
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using (environment.Open())
        {
        }

        foreach (var table in tables)
        {
            Assert.True(1L.Equals(await environment.SqlAsync(
                $"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name = '{table}';")),
                $"table {table} is missing");
        }
    }

    [Theory]
    [MemberData(nameof(PostgresBackends))]
    public async Task Times_are_stored_as_timestamptz(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using (var store = environment.Open())
        {
            await store.SaveAsync("timed", 1, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0L, await environment.SqlAsync("""
            SELECT COUNT(*) FROM information_schema.columns
            WHERE table_schema = current_schema() AND column_name IN ('created_at', 'applied_at', 'started_at', 'finished_at')
              AND data_type <> 'timestamp with time zone';
            """));
        Assert.Equal(0L, await environment.SqlAsync("SELECT COUNT(*) FROM artifacts WHERE created_at > now() + interval '1 minute' OR created_at < now() - interval '10 minutes';"));
    }

    [Theory]
    [MemberData(nameof(PostgresBackends))]
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
