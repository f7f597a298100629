using Lineage.Metadata;
using Microsoft.Data.Sqlite;

namespace Lineage.Tests.Store;

/// <summary>
/// The look-ups a save or GetOrCompute makes each time must not read every version of a size or of a name. SQLite keeps no
/// statistics, and where an index gave the rows in the order asked for it took that one: the look-up for the same bytes read every
/// version of that size (45 ms a save among 100,000 of its size, against 1.2 ms), and a GetOrCompute miss every version of the
/// name. These pin the index each statement takes on a store's own schema.
/// </summary>
public sealed class LookupPlanTests
{
    private static readonly ArtifactCode Code = new("code-plan-1", "static int Sum(int[] data) => data.Sum();");

    [Fact]
    public async Task The_look_ups_of_saves_and_GetOrCompute_read_the_index_of_the_hash_the_key_or_the_computation()
    {
        using var home = new TestHome();
        using (var store = home.Open())
        {
            var bytes = new byte[1024];
            for (var i = 0; i < 40; i++)
            {
                BitConverter.TryWriteBytes(bytes, i);
                store.Save("fixed", bytes);
                Assert.Equal(i, store.GetOrCompute("sum", Code, $"inputs-{i}", () => i));
            }

            store.Save("again", bytes);
            Assert.True(store.Get("again").IsShared);
            Assert.Equal(7, store.GetOrCompute("sum", Code, "inputs-7", () => -1));
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

        var computed = await PlanAsync(connection, $"SELECT a.id {SqlMetadataStore.ArtifactFrom} {SqlMetadataStore.ComputedCondition}");
        Assert.Contains("artifacts_by_computation (name=? AND code_record_id=? AND inputs_hash=?)", computed, StringComparison.Ordinal);
        Assert.DoesNotContain("artifacts_by_branch", computed, StringComparison.Ordinal);
    }

    private static async Task<string> PlanAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in new[] { "@storage_id", "@size", "@hash", "@key", "@name", "@code_version", "@inputs_hash" })
        {
            if (sql.Contains(name, StringComparison.Ordinal))
            {
                command.Parameters.AddWithValue(name, name is "@size" or "@storage_id" ? 1 : "x");
            }
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
