using System.Data.Common;
using Lineage.Catalog;
using Lineage.Tests.Servers;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lineage.Tests.Catalog;

public enum FilterDatabase
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Compiled filters run on real databases over a table <c>artifacts(id, metadata)</c> (SQLite TEXT JSON, PostgreSQL <c>jsonb</c>)
/// and the typed <c>artifact_metadata</c> that the store's migration 6 creates and fills from it, asserting which rows match: typed
/// comparisons, missing keys, != and not, odd keys, SQL metacharacters.
/// </summary>
public sealed class FilterSqlTests(PostgresServer postgres)
{
    /// <summary>The rows every test starts with.</summary>
    private static readonly (int Id, string? Metadata)[] Rows =
    [
        (1, """{"accuracy": 0.95, "dataset": "iris", "epochs": 10, "archived": false}"""),
        (2, """{"accuracy": 0.85, "dataset": "mnist", "epochs": 9, "archived": true}"""),
        (3, """{"accuracy": "0.99", "dataset": "iris", "epochs": "10", "archived": "true"}"""),
        (4, """{"epochs": 10.0, "model.kind": "cnn", "dataset": "Iris"}"""),
        (5, """{}"""),
        (6, """{"weird \"key\" with spaces": "x", "it's": 1, "a[0]": 2, "'; DROP TABLE artifacts; --": "'; DROP TABLE artifacts; --", "back\\slash": true, "model": {"kind": "rnn"}}"""),
        (7, """{"big": 9007199254740993, "neg": -1500, "uni": "é", "nothing": null, "clé": 1, "line\nbreak": "two\nlines"}"""),
        (8, null), // a version saved before metadata existed
    ];

    public static TheoryData<FilterDatabase> Databases => [FilterDatabase.Sqlite, FilterDatabase.Postgres];

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Numbers_compare_numerically_and_only_with_JSON_numbers(FilterDatabase database)
    {
        await using var table = await FilterTable.CreateAsync(database, postgres);
        await table.ExpectAsync("epochs > 9", 1, 4);
        await table.ExpectAsync("epochs = 10", 1, 4);
        await table.ExpectAsync("epochs < 10", 2);
        await table.ExpectAsync("epochs >= 9", 1, 2, 4);
        await table.ExpectAsync("accuracy > 0.9", 1);
        await table.ExpectAsync("accuracy <= 0.9", 2);
        await table.ExpectAsync("neg = -1.5e3", 7);
        await table.ExpectAsync("neg < -1e3", 7);
        await table.ExpectAsync("big = 9007199254740993", 7);
        await table.ExpectAsync("big = 9007199254740992");
        await table.ExpectAsync("big > 9007199254740992", 7);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_string_never_equals_a_number_and_compares_by_code_point(FilterDatabase database)
    {
        await using var table = await FilterTable.CreateAsync(database, postgres);
        await table.ExpectAsync("epochs = '10'", 3);
        await table.ExpectAsync("accuracy > '0.9'", 3);
        await table.ExpectAsync("dataset = 'iris'", 1, 3);
        await table.ExpectAsync("dataset = \"iris\"", 1, 3);
        await table.ExpectAsync("dataset != 'iris'", 2, 4);
        // By code point: 'I' (U+0049) sorts before 'a', and 'é' (U+00E9) after 'z'; a linguistic collation would say otherwise.
        await table.ExpectAsync("dataset > 'a'", 1, 2, 3);
        await table.ExpectAsync("dataset < 'a'", 4);
        await table.ExpectAsync("uni > 'z'", 7);
        await table.ExpectAsync("\"line\nbreak\" = 'two\nlines'", 7);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Booleans_compare_only_with_JSON_booleans(FilterDatabase database)
    {
        await using var table = await FilterTable.CreateAsync(database, postgres);
        await table.ExpectAsync("archived = true", 2);
        await table.ExpectAsync("archived = false", 1);
        await table.ExpectAsync("archived != true", 1);
        await table.ExpectAsync("archived != false", 2);
        await table.ExpectAsync("archived = 'true'", 3);
        await table.ExpectAsync("epochs = true");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task A_missing_key_null_metadata_or_another_type_fails_every_comparison_and_passes_its_not(FilterDatabase database)
    {
        await using var table = await FilterTable.CreateAsync(database, postgres);
        // != means "holds a different value of the same type": 3 holds the string "10", 5 lacks the key.
        await table.ExpectAsync("epochs != 10", 2);
        await table.ExpectAsync("not epochs = 10", 2, 3, 5, 6, 7, 8);
        await table.ExpectAsync("not archived = true", 1, 3, 4, 5, 6, 7, 8);
        await table.ExpectAsync("nothing = 1 or nothing != 1 or nothing = 'x' or nothing != 'x' or nothing = true or nothing != true");
        await table.ExpectAsync("not nothing = 1 and not nothing != 'x' and not nothing != true", 1, 2, 3, 4, 5, 6, 7, 8);
        await table.ExpectAsync("absent < 1 or absent >= 1 or absent < 'a' or absent >= 'a'");
        await table.ExpectAsync("not (absent < 1 or absent >= 1)", 1, 2, 3, 4, 5, 6, 7, 8);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task And_or_not_and_parentheses_combine_as_parsed(FilterDatabase database)
    {
        await using var table = await FilterTable.CreateAsync(database, postgres);
        await table.ExpectAsync("accuracy > 0.9 and dataset = 'iris'", 1);
        await table.ExpectAsync("(accuracy >= 0.9 or epochs < 10) and not archived = true", 1);
        await table.ExpectAsync("accuracy >= 0.9 or epochs < 10 and not archived = false", 1, 2);
        await table.ExpectAsync("dataset = 'iris' or dataset = 'mnist'", 1, 2, 3);
        await table.ExpectAsync("not (dataset = 'iris' or dataset = 'mnist')", 4, 5, 6, 7, 8);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Keys_with_quotes_spaces_dots_and_brackets_name_one_top_level_key(FilterDatabase database)
    {
        await using var table = await FilterTable.CreateAsync(database, postgres);
        await table.ExpectAsync("model.kind = \"cnn\"", 4);
        await table.ExpectAsync("\"model.kind\" = 'cnn'", 4);
        await table.ExpectAsync("model.kind = 'rnn'");
        await table.ExpectAsync("\"weird \\\"key\\\" with spaces\" = 'x'", 6);
        await table.ExpectAsync("\"it's\" = 1 and \"a[0]\" >= 2", 6);
        await table.ExpectAsync("\"back\\\\slash\" = true", 6);
        await table.ExpectAsync("clé = 1", 7);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task SQL_metacharacters_in_keys_and_values_are_data(FilterDatabase database)
    {
        await using var table = await FilterTable.CreateAsync(database, postgres);
        const string Filter = "\"'; DROP TABLE artifacts; --\" = '''; DROP TABLE artifacts; --' and \"'; DROP TABLE artifacts; --\" >= \"'\"";
        var (sql, _) = table.Compile(Lineage.Filter.Parse(Filter));
        Assert.DoesNotContain("DROP", sql, StringComparison.OrdinalIgnoreCase);
        await table.ExpectAsync(Filter, 6);
        await table.ExpectAsync("\"x') OR 1=1 --\" = 'y'' OR ''1''=''1'");
        Assert.Equal(Rows.Length, await table.CountAsync());
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Keys_and_values_reach_the_database_only_as_parameters(FilterDatabase database)
    {
        await using var table = await FilterTable.CreateAsync(database, postgres);
        var (sql, parameters) = table.Compile(Lineage.Filter.Parse("secretkey = 'secretvalue' or otherkey > 12345 or flagkey != true"));
        foreach (var text in new[] { "secretkey", "secretvalue", "otherkey", "12345", "flagkey" })
        {
            Assert.DoesNotContain(text, sql, StringComparison.Ordinal);
        }

        Assert.Contains(parameters, p => p.ToString()!.Contains("secretkey", StringComparison.Ordinal));
        Assert.Contains(parameters, p => p.ToString()!.Contains("secretvalue", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Sorting_by_a_key_orders_numbers_then_strings_then_booleans_and_puts_missing_keys_last(FilterDatabase database)
    {
        await using var table = await FilterTable.CreateAsync(database, postgres,
        [
            (1, """{"score": 10}"""),
            (2, """{"score": "b"}"""),
            (3, """{}"""),
            (4, """{"score": 2.5}"""),
            (5, """{"score": true}"""),
            (6, """{"score": "B"}"""),
            (7, """{"score": -1}"""),
            (8, """{"score": false}"""),
            (9, """{"score": null}"""),
            (10, """{"score": 9}"""),
            (11, null),
        ]);
        Assert.Equal(new[] { 7, 4, 10, 1, 6, 2, 8, 5, 3, 9, 11 }, await table.SortAsync("score", descending: false));
        Assert.Equal(new[] { 1, 10, 4, 7, 2, 6, 5, 8, 3, 9, 11 }, await table.SortAsync("score", descending: true));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Sorting_by_a_key_the_filter_compares_orders_the_matches_by_its_column_alone(FilterDatabase database)
    {
        await using var table = await FilterTable.CreateAsync(database, postgres,
        [
            (1, """{"score": 10, "other": 1}"""),
            (2, """{"score": "b"}"""),
            (3, """{"other": 2}"""),
            (4, """{"score": 2.5}"""),
            (5, """{"score": true}"""),
            (6, """{"score": "B"}"""),
            (7, """{"score": -1}"""),
            (8, """{"score": false}"""),
        ]);
        Assert.Equal(new[] { 1, 4, 7 }, await table.SortAsync("score", descending: true, "score > -5"));
        Assert.Equal(new[] { 7, 4 }, await table.SortAsync("score", descending: false, "score < 5 and score != 0"));
        Assert.Equal(new[] { 6, 2 }, await table.SortAsync("score", descending: false, "score >= 'A'"));
        Assert.Equal(new[] { 5, 8 }, await table.SortAsync("score", descending: true, "score = true or score = false and score = false"));
        // Under "or", a version may match without the key: it is not dropped, and sorts last.
        Assert.Equal(new[] { 7, 4, 1, 3 }, await table.SortAsync("score", descending: false, "score < 20 or other = 2"));
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6, 7, 8 }, (await table.SortAsync("score", descending: false, "not score = 'x'")).Order());
    }

    [Fact]
    public void A_SQLite_path_quotes_the_key()
    {
        Assert.Equal("$.\"model.kind\"", FilterSql.JsonPath("model.kind"));
        Assert.Equal("$.\"say \\\"hi\\\" \\\\\"", FilterSql.JsonPath("say \"hi\" \\"));
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Comparisons_are_served_by_the_index_of_their_type(FilterDatabase database)
    {
        await using var table = await FilterTable.CreateAsync(database, postgres);
        Assert.Contains("artifact_metadata_by_number", await table.ExplainAsync("accuracy > 0.9"), StringComparison.Ordinal);
        Assert.Contains("artifact_metadata_by_string", await table.ExplainAsync("dataset = 'iris'"), StringComparison.Ordinal);
        Assert.Contains("artifact_metadata_by_string", await table.ExplainAsync("dataset < 'j'"), StringComparison.Ordinal);
        Assert.Contains("artifact_metadata_by_flag", await table.ExplainAsync("archived = true"), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Strings_longer_than_the_indexed_prefix_compare_in_full(FilterDatabase database)
    {
        // PostgreSQL's index holds the first 400 characters; these strings share them and differ after.
        var prefix = new string('p', 450);
        await using var table = await FilterTable.CreateAsync(database, postgres,
        [
            (1, $$"""{"note": "{{prefix}}a"}"""),
            (2, $$"""{"note": "{{prefix}}b"}"""),
            (3, $$"""{"note": "{{prefix}}"}"""),
            (4, $$"""{"note": "{{new string('q', 10_000)}}"}"""),
        ]);
        await table.ExpectAsync($"note = '{prefix}a'", 1);
        await table.ExpectAsync($"note > '{prefix}a'", 2, 4);
        await table.ExpectAsync($"note >= '{prefix}a'", 1, 2, 4);
        await table.ExpectAsync($"note < '{prefix}a'", 3);
        await table.ExpectAsync($"note <= '{prefix}b'", 1, 2, 3);
        await table.ExpectAsync($"note != '{prefix}'", 1, 2, 4);
        await table.ExpectAsync($"note < 'q'", 1, 2, 3);
    }

    [Fact]
    public void An_ordering_comparison_on_a_boolean_cannot_be_compiled()
    {
        // The constructor refuses it, so only a hand-made subclass could reach the compiler; the parser refuses it with a position.
        var error = Assert.Throws<ArgumentException>(() => new FilterComparison("archived", FilterOperator.GreaterThan, FilterBoolean.True));
        Assert.Contains("true and false compare only with = and !=", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A table <c>artifacts(id, metadata)</c> on one database, with the rows a test starts from, then the store's migration 6,
    /// which creates <c>artifact_metadata</c> and fills it from them.
    /// </summary>
    private sealed class FilterTable : IAsyncDisposable
    {
        private readonly DbConnection _connection;

        private FilterTable(FilterDatabase database, DbConnection connection)
        {
            Database = database;
            _connection = connection;
        }

        public FilterDatabase Database { get; }

        private FilterDialect Dialect => Database == FilterDatabase.Sqlite ? FilterDialect.Sqlite : FilterDialect.Postgres;

        public static async Task<FilterTable> CreateAsync(FilterDatabase database, PostgresServer postgres, (int Id, string? Metadata)[]? rows = null)
        {
            DbConnection connection = database == FilterDatabase.Sqlite
                ? new SqliteConnection("Data Source=:memory:")
                : new NpgsqlConnection(PostgresServer.ToConnectionString(await postgres.CreateDatabaseAsync()));
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            var table = new FilterTable(database, connection);
            await table.ExecuteAsync(database == FilterDatabase.Sqlite
                ? "CREATE TABLE artifacts (id INTEGER PRIMARY KEY, metadata TEXT);"
                : "CREATE TABLE artifacts (id bigint PRIMARY KEY, metadata jsonb); CREATE INDEX artifacts_by_metadata ON artifacts USING gin (metadata);");
            foreach (var (id, metadata) in rows ?? Rows)
            {
                await table.ExecuteAsync(
                    database == FilterDatabase.Sqlite ? "INSERT INTO artifacts VALUES (@id, json(@m));" : "INSERT INTO artifacts VALUES (@id, CAST(@m AS jsonb));",
                    ("@id", id), ("@m", (object?)metadata ?? DBNull.Value));
            }

            var migrations = database == FilterDatabase.Sqlite ? Lineage.Metadata.Sqlite.SqliteSchema.Migrations : Lineage.Metadata.Postgres.PostgresSchema.Migrations;
            await table.ExecuteAsync(migrations.Single(m => m.Version == 6).Sql);
            if (database == FilterDatabase.Postgres)
            {
                await table.ExecuteAsync("ANALYZE;");
            }

            return table;
        }

        public (string Sql, List<object> Parameters) Compile(FilterExpression expression, bool fewRows = false)
        {
            var parameters = new List<object>();
            var sql = FilterSql.Compile(expression, Dialect, "t.id", value =>
            {
                parameters.Add(value);
                return "@f" + (parameters.Count - 1);
            }, fewRows ? "t.metadata" : null);
            return (sql, parameters);
        }

        /// <summary>
        /// Asserts that exactly the rows <paramref name="ids"/> match <paramref name="filter"/>, compiled as semi-joins and as over few
        /// rows (SQLite: on the JSON; PostgreSQL: correlated EXISTS).
        /// </summary>
        public async Task ExpectAsync(string filter, params int[] ids)
        {
            foreach (var fewRows in new[] { false, true })
            {
                var matched = await MatchAsync(filter, fewRows);
                Assert.True(ids.SequenceEqual(matched), $"{Database} (few rows: {fewRows}): {filter} matched [{string.Join(", ", matched)}], expected [{string.Join(", ", ids)}]");
            }
        }

        public async Task<int[]> MatchAsync(string filter, bool fewRows)
        {
            var (sql, parameters) = Compile(Filter.Parse(filter), fewRows);
            return await IdsAsync($"SELECT t.id FROM artifacts t WHERE {sql} ORDER BY t.id;", parameters);
        }

        public async Task<int[]> SortAsync(string key, bool descending, string? filter = null)
        {
            var parameters = new List<object>();
            var ordering = FilterSql.OrderBy(key, descending, filter is null ? null : Filter.Parse(filter), Dialect, "t.id", value =>
            {
                parameters.Add(value);
                return "@f" + (parameters.Count - 1);
            });
            var where = string.Empty;
            if (ordering.Remaining is { } remaining)
            {
                where = " WHERE " + FilterSql.Compile(remaining, Dialect, "t.id", value =>
                {
                    parameters.Add(value);
                    return "@f" + (parameters.Count - 1);
                });
            }

            return await IdsAsync($"SELECT t.id FROM artifacts t {ordering.Join}{where} ORDER BY {ordering.Terms}, t.id;", parameters);
        }

        public async Task<string> ExplainAsync(string filter)
        {
            if (Database == FilterDatabase.Postgres)
            {
                await ExecuteAsync("SET enable_seqscan = off;");
            }

            var (sql, parameters) = Compile(Filter.Parse(filter));
            using var command = Command($"{(Database == FilterDatabase.Sqlite ? "EXPLAIN QUERY PLAN" : "EXPLAIN")} SELECT t.id FROM artifacts t WHERE {sql};", parameters);
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                lines.Add(reader.GetString(Database == FilterDatabase.Sqlite ? 3 : 0));
            }

            return string.Join('\n', lines);
        }

        public async Task<long> CountAsync()
        {
            using var command = Command("SELECT COUNT(*) FROM artifacts;", []);
            return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

        private async Task<int[]> IdsAsync(string sql, List<object> parameters)
        {
            using var command = Command(sql, parameters);
            var ids = new List<int>();
            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                ids.Add(Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
            }

            return [.. ids];
        }

        private DbCommand Command(string sql, List<object> parameters)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < parameters.Count; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "@f" + i;
                parameter.Value = parameters[i];
                command.Parameters.Add(parameter);
            }

            return command;
        }

        private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }
}
