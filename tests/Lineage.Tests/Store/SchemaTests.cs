using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

/// <summary>Schema behaviour every metadata database shares; the dialect facts are in SqliteSchemaTests and PostgresSchemaTests.</summary>
public sealed class SchemaTests(PostgresServer postgres, S3Server s3)
{
    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Migration_1_is_recorded_once_and_reopening_does_not_apply_it_again(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using (environment.Open())
        {
        }

        var applied = await environment.SqlAsync("SELECT COUNT(*) FROM schema_migrations;");
        var appliedAt = await environment.SqlAsync("SELECT applied_at FROM schema_migrations WHERE version = 1;");
        using (environment.Open())
        {
        }

        // Migration 1 by version rather than "the only row", so later migrations do not break this test.
        Assert.Equal(1L, await environment.SqlAsync("SELECT COUNT(*) FROM schema_migrations WHERE version = 1;"));
        // MIN(version) is a long on SQLite and an int on PostgreSQL.
        Assert.Equal(1L, Convert.ToInt64(await environment.SqlAsync("SELECT MIN(version) FROM schema_migrations;")));
        Assert.Equal("initial", await environment.SqlAsync("SELECT name FROM schema_migrations WHERE version = 1;"));
        Assert.Equal(applied, await environment.SqlAsync("SELECT COUNT(*) FROM schema_migrations;"));
        Assert.Equal(appliedAt, await environment.SqlAsync("SELECT applied_at FROM schema_migrations WHERE version = 1;"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Reopening_keeps_the_saved_artifacts_and_the_single_space(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using (var store = environment.Open())
        {
            store.Save("kept", 1);
        }

        using (var store = environment.Open())
        {
            Assert.Equal(1, store.Load<int>("kept"));
        }

        Assert.Equal(1L, await environment.SqlAsync("SELECT COUNT(*) FROM spaces;"));
        Assert.Equal(1L, await environment.SqlAsync("SELECT COUNT(*) FROM storages;"));
        Assert.Equal(1L, await environment.SqlAsync("SELECT COUNT(*) FROM instance;"));
    }
}
