using Lineage.Metadata;
using Microsoft.Data.Sqlite;

namespace Lineage.Tests.Economics;

/// <summary>
/// A save looks for the same bytes in its root by hash, and a version sharing a value checks the value by its key. SQLite keeps no
/// statistics, so it once answered both through artifacts_by_stored_size: every version of that size, read on each save of a value of
/// fixed size (twice the time per save at 5,000 versions). These pin the index each statement takes on a store's own schema.
/// </summary>
public sealed class ValueLookupPlanTests
{
    [Fact]
    public async Task The_lookups_of_a_save_read_the_index_of_the_hash_or_the_key_not_every_version_of_the_size()
    {
        using var home = new TestHome();
        using (var store = home.Open())
        {
            var bytes = new byte[1024];
            for (var i = 0; i < 40; i++)
            {
                BitConverter.TryWriteBytes(bytes, i);
                store.Save("fixed", bytes);
            }

            store.Save("again", bytes);
            Assert.True(store.Get("again").IsShared);
        }

        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection($"Data Source={home.Sub("db.sqlite")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(TestContext.Current.CancellationToken);

        var find = await PlanAsync(connection, SqlMetadataStore.FindValueSql);
        Assert.Contains("artifacts_by_content (hash=? AND size=?)", find, StringComparison.Ordinal);
        Assert.DoesNotContain("artifacts_by_stored_size", find, StringComparison.Ordinal);

        var live = await PlanAsync(connection, SqlMetadataStore.SharedValueLiveSql);
        Assert.Contains("artifacts_by_value (storage_id=? AND key=?)", live, StringComparison.Ordinal);
        Assert.DoesNotContain("artifacts_by_stored_size", live, StringComparison.Ordinal);
    }

    private static async Task<string> PlanAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in new[] { "@storage_id", "@size", "@hash", "@key" })
        {
            command.Parameters.AddWithValue(name, name == "@size" || name == "@storage_id" ? 1 : "x");
        }

        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join('\n', lines);
    }
}
