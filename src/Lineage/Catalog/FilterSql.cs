using System.Text;
using System.Text.Json;

namespace Lineage.Catalog;

/// <summary>The SQL a metadata database speaks for JSON.</summary>
internal enum FilterDialect
{
    /// <summary>Metadata as TEXT JSON, read with <c>json_type</c> and <c>json_extract</c>.</summary>
    Sqlite,

    /// <summary>Metadata as <c>jsonb</c>, read with <c>-&gt;</c>, <c>-&gt;&gt;</c>, <c>jsonb_typeof</c> and <c>@&gt;</c> (which a GIN index serves).</summary>
    Postgres,
}

/// <summary>
/// Turns a <see cref="FilterExpression"/> into a SQL boolean expression over a JSON metadata column. Every key and value becomes a
/// parameter; the only text spliced in is <c>metadataColumn</c>, which callers pass as a constant of their own.
/// </summary>
/// <remarks>
/// A comparison is true only when the key holds a value of the literal's JSON type and the comparison holds, so for a version that
/// lacks the key (or holds null or another type there) it is false for every operator, <c>!=</c> included, and its <c>NOT</c> is
/// true. Each comparison's SQL is two-valued (never NULL), so <c>NOT</c> behaves as in the filter.
/// Numbers compare numerically (PostgreSQL: as <c>numeric</c>, exactly; SQLite: integers exactly, others as doubles); strings by
/// Unicode code point (SQLite's BINARY collation, PostgreSQL's <c>"C"</c>), the same order on both.
/// </remarks>
internal static class FilterSql
{
    /// <summary>Compiles <paramref name="expression"/> to a SQL boolean expression.</summary>
    /// <param name="expression">The filter.</param>
    /// <param name="dialect">The database's SQL.</param>
    /// <param name="metadataColumn">The metadata column as SQL, e.g. <c>a.metadata</c>; trusted text.</param>
    /// <param name="addParameter">Adds a parameter with the given value and returns its name as written in SQL (e.g. <c>@f0</c>).</param>
    public static string Compile(FilterExpression expression, FilterDialect dialect, string metadataColumn, Func<object, string> addParameter)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentException.ThrowIfNullOrWhiteSpace(metadataColumn);
        ArgumentNullException.ThrowIfNull(addParameter);
        var builder = new StringBuilder();
        Write(builder, expression, dialect, metadataColumn, addParameter);
        return builder.ToString();
    }

    /// <summary>
    /// ORDER BY terms (comma-separated, without the keywords) that sort rows by the metadata value under <paramref name="key"/>:
    /// numbers numerically, then strings by code point, then booleans (false before true), then rows without the key (or with
    /// null) last, whatever the direction; <paramref name="descending"/> reverses the order within each kind. Callers append
    /// their own tie-breaker.
    /// </summary>
    public static string OrderBy(string key, bool descending, FilterDialect dialect, string metadataColumn, Func<object, string> addParameter)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (FilterText.KeyProblem(key) is { } problem)
        {
            throw new ArgumentException(problem, nameof(key));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(metadataColumn);
        ArgumentNullException.ThrowIfNull(addParameter);
        var direction = descending ? "DESC" : "ASC";
        if (dialect == FilterDialect.Sqlite)
        {
            var path = addParameter(JsonPath(key));
            var type = $"json_type({metadataColumn}, {path})";
            var value = $"json_extract({metadataColumn}, {path})";
            return $"CASE {type} WHEN 'integer' THEN 0 WHEN 'real' THEN 0 WHEN 'text' THEN 1 WHEN 'false' THEN 2 WHEN 'true' THEN 2 ELSE 3 END, "
                + $"CASE WHEN {type} IN ('integer', 'real') THEN {value} END {direction}, "
                + $"CASE WHEN {type} = 'text' THEN {value} END COLLATE BINARY {direction}, "
                + $"CASE {type} WHEN 'false' THEN 0 WHEN 'true' THEN 1 END {direction}";
        }

        var parameter = addParameter(key);
        var field = $"({metadataColumn} -> CAST({parameter} AS text))";
        var typeOf = $"jsonb_typeof({field})";
        return $"CASE {typeOf} WHEN 'number' THEN 0 WHEN 'string' THEN 1 WHEN 'boolean' THEN 2 ELSE 3 END, "
            + $"CASE WHEN {typeOf} = 'number' THEN {field}::numeric END {direction}, "
            + $"CASE WHEN {typeOf} = 'string' THEN ({metadataColumn} ->> CAST({parameter} AS text)) COLLATE \"C\" END {direction}, "
            + $"CASE WHEN {typeOf} = 'boolean' THEN {field}::boolean END {direction}";
    }

    /// <summary>A SQLite JSON path to the top-level key, quoted so that dots, brackets and spaces are part of the key.</summary>
    internal static string JsonPath(string key) =>
        "$.\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static void Write(StringBuilder builder, FilterExpression expression, FilterDialect dialect, string column, Func<object, string> addParameter)
    {
        switch (expression)
        {
            case FilterAnd and:
                Binary(builder, and.Left, " AND ", and.Right, dialect, column, addParameter);
                break;
            case FilterOr or:
                Binary(builder, or.Left, " OR ", or.Right, dialect, column, addParameter);
                break;
            case FilterNot not:
                builder.Append("(NOT ");
                Write(builder, not.Operand, dialect, column, addParameter);
                builder.Append(')');
                break;
            case FilterComparison comparison:
                builder.Append(dialect == FilterDialect.Sqlite
                    ? Sqlite(comparison, column, addParameter)
                    : Postgres(comparison, column, addParameter));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expression), expression, "Not a filter expression.");
        }
    }

    private static void Binary(
        StringBuilder builder, FilterExpression left, string op, FilterExpression right, FilterDialect dialect, string column, Func<object, string> addParameter)
    {
        builder.Append('(');
        Write(builder, left, dialect, column, addParameter);
        builder.Append(op);
        Write(builder, right, dialect, column, addParameter);
        builder.Append(')');
    }

    private static string Sqlite(FilterComparison comparison, string column, Func<object, string> addParameter)
    {
        var path = addParameter(JsonPath(comparison.Key));
        var type = $"COALESCE(json_type({column}, {path}), '')";
        var value = $"json_extract({column}, {path})";
        var op = SqlOperator(comparison.Operator);
        return comparison.Value switch
        {
            // json_type says 'integer' or 'real'; a JSON string "10" is 'text' and never meets a number.
            FilterNumber number => $"({type} IN ('integer', 'real') AND {value} {op} {addParameter(SqliteNumber(number))})",
            FilterString text => $"({type} = 'text' AND {value} {op} {addParameter(text.Value)})",
            // json_type is 'true' or 'false' for a boolean; != true means "is false", since other types never compare.
            FilterBoolean boolean => $"({type} = {addParameter(Matches(boolean, comparison.Operator) ? "true" : "false")})",
            _ => throw new ArgumentOutOfRangeException(nameof(comparison), comparison.Value, "Not a filter value."),
        };
    }

    private static string Postgres(FilterComparison comparison, string column, Func<object, string> addParameter)
    {
        var key = addParameter(comparison.Key);
        var field = $"({column} -> CAST({key} AS text))";
        var type = $"COALESCE(jsonb_typeof({field}), '')";
        var op = SqlOperator(comparison.Operator);
        switch (comparison.Value)
        {
            // Equality as containment, which the GIN index on the column serves; jsonb containment compares numbers as numeric (1 = 1.0).
            case FilterNumber number when comparison.Operator == FilterOperator.Equal:
                return $"({column} @> CAST({addParameter(Containment(comparison.Key, number))} AS jsonb) AND {type} = 'number')";
            case FilterString text when comparison.Operator == FilterOperator.Equal:
                return $"({column} @> CAST({addParameter(Containment(comparison.Key, text))} AS jsonb) AND {type} = 'string')";
            case FilterBoolean boolean:
                var expected = Matches(boolean, comparison.Operator) ? FilterBoolean.True : FilterBoolean.False;
                return $"({column} @> CAST({addParameter(Containment(comparison.Key, expected))} AS jsonb) AND {type} = 'boolean')";
            // CASE, not AND: PostgreSQL may evaluate AND's operands in any order, and a string cast to numeric fails.
            case FilterNumber number:
                return $"(CASE WHEN {type} = 'number' THEN {field}::numeric {op} CAST({addParameter(number.Text)} AS numeric) ELSE false END)";
            case FilterString text:
                return $"({type} = 'string' AND ({column} ->> CAST({key} AS text)) COLLATE \"C\" {op} {addParameter(text.Value)})";
            default:
                throw new ArgumentOutOfRangeException(nameof(comparison), comparison.Value, "Not a filter value.");
        }
    }

    /// <summary>The boolean a stored value must be for the comparison to hold: <c>= b</c> wants b, <c>!= b</c> wants the other.</summary>
    private static bool Matches(FilterBoolean boolean, FilterOperator op) => op switch
    {
        FilterOperator.Equal => boolean.Value,
        FilterOperator.NotEqual => !boolean.Value,
        _ => throw new ArgumentException(FilterText.BooleanOrderingProblem(op), nameof(op)),
    };

    // Integers stay integers so SQLite compares them exactly beyond 2^53; anything else compares as a double.
    private static object SqliteNumber(FilterNumber number) => number.AsInt64() is { } integer ? integer : (object)number.Value;

    /// <summary>The JSON object <c>{"key": value}</c> for <c>@&gt;</c>, with the number written exactly as in the filter.</summary>
    private static string Containment(string key, FilterValue value)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(key);
            switch (value)
            {
                case FilterNumber number:
                    writer.WriteRawValue(number.Text);
                    break;
                case FilterString text:
                    writer.WriteStringValue(text.Value);
                    break;
                case FilterBoolean boolean:
                    writer.WriteBooleanValue(boolean.Value);
                    break;
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private static string SqlOperator(FilterOperator op) => op switch
    {
        FilterOperator.Equal => "=",
        FilterOperator.NotEqual => "<>",
        FilterOperator.LessThan => "<",
        FilterOperator.LessThanOrEqual => "<=",
        FilterOperator.GreaterThan => ">",
        FilterOperator.GreaterThanOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
