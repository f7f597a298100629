using System.Text;

namespace Lineage.Catalog;

/// <summary>The SQL dialect of a metadata database.</summary>
internal enum FilterDialect
{
    /// <summary>SQLite: <c>artifact_metadata.flag</c> is 0 or 1; strings compare by the BINARY collation.</summary>
    Sqlite,

    /// <summary>PostgreSQL: numbers compare as <c>numeric</c>, strings by the <c>"C"</c> collation of <c>artifact_metadata.string</c>.</summary>
    Postgres,
}

/// <summary>Which typed column of <c>artifact_metadata</c> a key's value is in.</summary>
internal enum MetadataKind
{
    Number,
    String,
    Boolean,
}

/// <summary>
/// What sorting by a metadata key adds to a query: a join of <c>artifact_metadata</c> and the ORDER BY terms over it, and what is
/// left of the filter for the WHERE clause (null: nothing) once a comparison on the sort key moved into the join.
/// </summary>
internal sealed record FilterOrdering(string Join, string Terms, FilterExpression? Remaining);

/// <summary>
/// Turns a <see cref="FilterExpression"/> into a SQL boolean expression over <c>artifact_metadata (artifact_id, key, number, string,
/// flag)</c>, the typed copy of each version's metadata, one row per key (migration 6). Every key and value becomes a parameter; the
/// only text spliced in is the id column, which callers pass as a constant of their own.
/// </summary>
/// <remarks>
/// A comparison is a semi-join, <c>id IN (SELECT artifact_id FROM artifact_metadata WHERE key = @k AND number &gt; @v)</c>, which
/// the index on <c>(key, number)</c> (or <c>string</c>, <c>flag</c>) serves, or, over few rows, the same as a correlated <c>EXISTS</c>. A version whose key is missing, null or of another type
/// has no row in that column, so the comparison is false for every operator, <c>!=</c> included, and its <c>NOT</c> is true; the
/// semi-join is two-valued (never NULL), so <c>NOT</c> behaves as in the filter.
/// Numbers compare numerically (PostgreSQL: as <c>numeric</c>, exactly; SQLite: integers exactly, others as doubles); strings by
/// Unicode code point (SQLite's BINARY collation, PostgreSQL's <c>"C"</c>), the same order on both.
/// </remarks>
internal static class FilterSql
{
    /// <summary>How many characters of a string PostgreSQL's index on <c>artifact_metadata.string</c> holds (migration 6).</summary>
    internal const int PostgresIndexedPrefix = 400;

    /// <summary>Compiles <paramref name="expression"/> to a SQL boolean expression.</summary>
    /// <param name="expression">The filter.</param>
    /// <param name="dialect">The database's SQL.</param>
    /// <param name="idColumn">The artifact id the metadata rows belong to, e.g. <c>a.id</c>; trusted text.</param>
    /// <param name="addParameter">Adds a parameter with the given value and returns its name as written in SQL (e.g. <c>@f0</c>).</param>
    /// <param name="fewRowsMetadata">
    /// Set when the rest of the query leaves few rows (e.g. the latest version of each name), to the rows' JSON metadata column
    /// (trusted text): SQLite then reads each row's JSON (<c>json_type</c>, <c>json_extract</c>) and PostgreSQL seeks each row's key
    /// (a correlated <c>EXISTS</c>), instead of a semi-join over every version that matches. (SQLite planned the correlated
    /// <c>EXISTS</c> over 100,000 versions at 1–3 s in the benchmark, its JSON over the 1,000 latest at 5 ms.)
    /// </param>
    public static string Compile(
        FilterExpression expression, FilterDialect dialect, string idColumn, Func<object, string> addParameter, string? fewRowsMetadata = null)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentException.ThrowIfNullOrWhiteSpace(idColumn);
        ArgumentNullException.ThrowIfNull(addParameter);
        var builder = new StringBuilder();
        Write(builder, expression, new Target(dialect, idColumn, fewRowsMetadata), addParameter);
        return builder.ToString();
    }

    /// <summary>
    /// A join of <c>artifact_metadata</c> (as <c>o</c>) and ORDER BY terms (comma-separated, without the keywords) that sort rows by
    /// the value under <paramref name="key"/>: numbers numerically, then strings by code point, then booleans (false before true),
    /// then rows without the key (or with null) last, whatever the direction; <paramref name="descending"/> reverses the order
    /// within each kind. When <paramref name="filter"/> compares the key (a comparison joined to the rest with <c>and</c>), that
    /// comparison moves into the join, which keeps only the rows passing it, and the order is the compared column alone: the index
    /// on <c>(key, number)</c> or <c>(key, string)</c> gives them in order, so a limit stops early. Callers append their own
    /// tie-breaker and filter with <see cref="FilterOrdering.Remaining"/>.
    /// </summary>
    public static FilterOrdering OrderBy(
        string key, bool descending, FilterExpression? filter, FilterDialect dialect, string idColumn, Func<object, string> addParameter)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (FilterText.KeyProblem(key) is { } problem)
        {
            throw new ArgumentException(problem, nameof(key));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(idColumn);
        ArgumentNullException.ThrowIfNull(addParameter);
        var direction = descending ? "DESC" : "ASC";
        var on = $"o.artifact_id = {idColumn} AND o.key = {addParameter(key)}";
        if (filter is not null && ComparisonOn(filter, key) is { } comparison)
        {
            var column = KindOf(comparison.Value) switch
            {
                MetadataKind.Number => "o.number",
                MetadataKind.String => "o.string",
                _ => "o.flag",
            };
            return new($"JOIN artifact_metadata o ON {on} AND {Condition(comparison, dialect, addParameter, "o")}", $"{column} {direction}", Without(filter, comparison));
        }

        return new($"LEFT JOIN artifact_metadata o ON {on}",
            "CASE WHEN o.number IS NOT NULL THEN 0 WHEN o.string IS NOT NULL THEN 1 WHEN o.flag IS NOT NULL THEN 2 ELSE 3 END, "
            + $"o.number {direction}, o.string {direction}, o.flag {direction}",
            filter);
    }

    /// <summary>The first comparison on <paramref name="key"/> among the conditions joined by <c>and</c> at the top; null when none.</summary>
    private static FilterComparison? ComparisonOn(FilterExpression filter, string key) => filter switch
    {
        FilterAnd and => ComparisonOn(and.Left, key) ?? ComparisonOn(and.Right, key),
        FilterComparison comparison when string.Equals(comparison.Key, key, StringComparison.Ordinal) => comparison,
        _ => null,
    };

    /// <summary>The filter without <paramref name="condition"/> (one of its top-level <c>and</c> conditions); null when nothing is left.</summary>
    private static FilterExpression? Without(FilterExpression filter, FilterExpression condition)
    {
        if (ReferenceEquals(filter, condition))
        {
            return null;
        }

        if (filter is FilterAnd and)
        {
            var left = Without(and.Left, condition);
            var right = Without(and.Right, condition);
            return left is null ? right : right is null ? left : new FilterAnd(left, right);
        }

        return filter;
    }

    private static MetadataKind KindOf(FilterValue value) => value switch
    {
        FilterNumber => MetadataKind.Number,
        FilterString => MetadataKind.String,
        FilterBoolean => MetadataKind.Boolean,
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "Not a filter value."),
    };

    private static void Write(StringBuilder builder, FilterExpression expression, Target target, Func<object, string> addParameter)
    {
        switch (expression)
        {
            case FilterAnd and:
                Binary(builder, and.Left, " AND ", and.Right, target, addParameter);
                break;
            case FilterOr or:
                Binary(builder, or.Left, " OR ", or.Right, target, addParameter);
                break;
            case FilterNot not:
                builder.Append("(NOT ");
                Write(builder, not.Operand, target, addParameter);
                builder.Append(')');
                break;
            case FilterComparison comparison:
                if (target.FewRowsMetadata is { } json && target.Dialect == FilterDialect.Sqlite)
                {
                    builder.Append(SqliteJson(comparison, json, addParameter));
                    break;
                }

                var key = addParameter(comparison.Key);
                var condition = Condition(comparison, target.Dialect, addParameter, "m");
                if (target.FewRowsMetadata is not null)
                {
                    builder.Append("EXISTS (SELECT 1 FROM artifact_metadata m WHERE m.artifact_id = ").Append(target.Id)
                        .Append(" AND m.key = ").Append(key).Append(" AND ").Append(condition).Append(')');
                }
                else
                {
                    builder.Append(target.Id).Append(" IN (SELECT m.artifact_id FROM artifact_metadata m WHERE m.key = ").Append(key)
                        .Append(" AND ").Append(condition).Append(')');
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expression), expression, "Not a filter expression.");
        }
    }

    private static void Binary(StringBuilder builder, FilterExpression left, string op, FilterExpression right, Target target, Func<object, string> addParameter)
    {
        builder.Append('(');
        Write(builder, left, target, addParameter);
        builder.Append(op);
        Write(builder, right, target, addParameter);
        builder.Append(')');
    }

    private sealed record Target(FilterDialect Dialect, string Id, string? FewRowsMetadata);

    /// <summary>A comparison on the JSON in <paramref name="column"/>, with the same meaning as on <c>artifact_metadata</c>.</summary>
    private static string SqliteJson(FilterComparison comparison, string column, Func<object, string> addParameter)
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

    /// <summary>A SQLite JSON path to the top-level key, quoted so that dots, brackets and spaces are part of the key.</summary>
    internal static string JsonPath(string key) =>
        "$.\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>The condition on one <c>artifact_metadata</c> row (named <paramref name="row"/>) of the comparison's key; NULL columns never pass it.</summary>
    private static string Condition(FilterComparison comparison, FilterDialect dialect, Func<object, string> addParameter, string row)
    {
        var op = SqlOperator(comparison.Operator);
        var postgres = dialect == FilterDialect.Postgres;
        switch (comparison.Value)
        {
            case FilterNumber number:
                return postgres
                    ? $"{row}.number {op} CAST({addParameter(number.Text)} AS numeric)"
                    : $"{row}.number {op} {addParameter(SqliteNumber(number))}";
            case FilterString text when postgres:
                // The index holds a prefix of each string (long strings would not fit a B-tree entry): the prefix condition, implied
                // by the exact one, lets the index narrow the rows; the exact one decides.
                var value = addParameter(text.Value);
                var prefix = comparison.Operator switch
                {
                    FilterOperator.Equal => "=",
                    FilterOperator.LessThan or FilterOperator.LessThanOrEqual => "<=",
                    FilterOperator.GreaterThan or FilterOperator.GreaterThanOrEqual => ">=",
                    _ => null,
                };
                var indexed = prefix is null
                    ? $"{row}.string IS NOT NULL"
                    : $"left({row}.string, {PostgresIndexedPrefix}) {prefix} left(CAST({value} AS text), {PostgresIndexedPrefix})";
                return $"{indexed} AND {row}.string {op} CAST({value} AS text)";
            case FilterString text:
                return $"{row}.string {op} {addParameter(text.Value)}";
            case FilterBoolean boolean:
                var expected = Matches(boolean, comparison.Operator);
                return postgres ? $"{row}.flag = CAST({addParameter(expected)} AS boolean)" : $"{row}.flag = {addParameter(expected ? 1L : 0L)}";
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
