using Lineage.Tests.Servers;
using Microsoft.Data.Sqlite;

namespace Lineage.Tests.Store;

/// <summary>Opening a store that needs no migration, no instance uid and no claim writes nothing to its metadata database.</summary>
public sealed class OpeningWritesNothingTests(PostgresServer postgres, S3Server s3)
{
    [Fact]
    public async Task Opening_an_up_to_date_SQLite_store_takes_no_write_lock_and_leaves_the_file_unchanged()
    {
        await using var environment = await BackendEnvironment.CreateAsync(Backend.SqliteLocal, postgres, s3);
        await using (var store = environment.Open())
        {
            await store.SaveAsync("weights", new[] { 1.0, 2.0 }, TestContext.Current.CancellationToken);
        }

        // The last connection closes: SQLite checkpoints the WAL into the file and removes it.
        SqliteConnection.ClearAllPools();
        var file = environment.DatabaseUrl["sqlite:///".Length..];
        var before = (File.GetLastWriteTimeUtc(file), new FileInfo(file).Length);

        // Another process writing holds the write lock: a write transaction (BEGIN IMMEDIATE, even one that changes nothing)
        // would wait for it, on the store's 60-second busy timeout; reading does not wait in WAL mode.
        await using var writer = new SqliteConnection($"Data Source={file};Pooling=False");
        await writer.OpenAsync(TestContext.Current.CancellationToken);
        await using var begin = writer.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        try
        {
            var opening = Task.Run(() => environment.Open(), TestContext.Current.CancellationToken);
            await using var store = await opening.WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
            Assert.Equal("weights", Assert.Single(await store.ListAsync(TestContext.Current.CancellationToken)).Name);
        }
        finally
        {
            begin.CommandText = "ROLLBACK;";
            await begin.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(before, (File.GetLastWriteTimeUtc(file), new FileInfo(file).Length));
    }

    [Fact]
    public async Task Opening_an_up_to_date_PostgreSQL_store_runs_no_DDL_and_no_write()
    {
        await using var environment = await BackendEnvironment.CreateAsync(new Backend(MetadataBackend.Postgres, ValueBackend.Local), postgres, s3);
        string instance;
        await using (var store = environment.Open())
        {
            instance = store.InstanceUid;
            await store.SaveAsync("weights", new[] { 1.0, 2.0 }, TestContext.Current.CancellationToken);
        }

        // Every transaction of this session is read-only: PostgreSQL refuses DDL and writes in it, even a CREATE TABLE IF NOT EXISTS
        // of a table that exists or an INSERT ... ON CONFLICT DO NOTHING that inserts nothing.
        var readOnly = environment.DatabaseUrl + (environment.DatabaseUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?")
            + "options=" + Uri.EscapeDataString("-c default_transaction_read_only=on");
        await using (var store = environment.Open(readOnly))
        {
            Assert.Equal(instance, store.InstanceUid);
            Assert.Equal("weights", Assert.Single(await store.ListAsync(TestContext.Current.CancellationToken)).Name);
        }
    }
}
