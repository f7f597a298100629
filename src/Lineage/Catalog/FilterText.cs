using System.Globalization;
using System.Text;

namespace Lineage.Catalog;

/// <summary>The lexical rules of filter text, shared by the tokenizer, the AST's checks and the canonical printer.</summary>
internal static class FilterText
{
    /// <summary>Words that are never bare keys (a key spelled like one is written double-quoted).</summary>
    private static readonly string[] Keywords = ["and", "or", "not", "true", "false"];

    public static bool IsKeyStart(char c) => char.IsLetter(c) || c == '_';

    public static bool IsKeyPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.';

    public static bool IsKeyword(string word) => Keywords.Contains(word, StringComparer.OrdinalIgnoreCase);

    /// <summary>A key that may be written without quotes.</summary>
    public static bool IsBareKey(string key) =>
        key.Length > 0 && IsKeyStart(key[0]) && AllKeyParts(key) && !IsKeyword(key);

    private static bool AllKeyParts(string key)
    {
        foreach (var c in key)
        {
            if (!IsKeyPart(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>JSON number syntax: <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>.</summary>
    public static bool IsJsonNumber(string text) => ScanNumber(text, 0, out var end) is null && end == text.Length;

    /// <summary>
    /// Scans a JSON number starting at <paramref name="start"/>; returns null and the end index when one is there, or what was
    /// expected (and, in <paramref name="end"/>, where) when it is malformed.
    /// </summary>
    public static string? ScanNumber(string text, int start, out int end)
    {
        var i = start;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        if (i >= text.Length || !char.IsAsciiDigit(text[i]))
        {
            end = i;
            return "a digit after '-'";
        }

        if (text[i] == '0')
        {
            i++;
            if (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                end = i;
                return "no digit after a leading 0 (JSON numbers have no leading zeros)";
            }
        }
        else
        {
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (i >= text.Length || !char.IsAsciiDigit(text[i]))
            {
                end = i;
                return "a digit after the decimal point";
            }

            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            if (i >= text.Length || !char.IsAsciiDigit(text[i]))
            {
                end = i;
                return "a digit in the exponent";
            }

            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }
        }

        end = i;
        return null;
    }

    /// <summary>Why <paramref name="key"/> cannot be a metadata key in a filter, or null when it can.</summary>
    public static string? KeyProblem(string key) =>
        key.Length == 0 ? "A metadata key cannot be empty."
        : key.Length > Filter.MaxKeyLength ? $"A metadata key may be at most {Filter.MaxKeyLength} characters long; this one has {key.Length}."
        : TextProblem(key, "key");

    /// <summary>Why <paramref name="value"/> cannot be a string literal, or null when it can.</summary>
    public static string? StringProblem(string value) =>
        value.Length > Filter.MaxStringLength
            ? $"A string in a filter may be at most {Filter.MaxStringLength} characters long; this one has {value.Length}."
            : TextProblem(value, "string");

    // Neither a PostgreSQL text nor a jsonb string can hold NUL, and a lone surrogate has no UTF-8 form: both would fail in the driver.
    private static string? TextProblem(string text, string what)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\0')
            {
                return $"A {what} in a filter cannot hold the NUL character.";
            }

            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return $"A {what} in a filter cannot hold a lone UTF-16 surrogate (U+{(int)text[i]:X4}).";
            }
        }

        return null;
    }

    public static string BooleanOrderingProblem(FilterOperator @operator) =>
        $"true and false compare only with = and !=, not with {Operator(@operator)}.";

    public static string Operator(FilterOperator @operator) => @operator switch
    {
        FilterOperator.Equal => "=",
        FilterOperator.NotEqual => "!=",
        FilterOperator.LessThan => "<",
        FilterOperator.LessThanOrEqual => "<=",
        FilterOperator.GreaterThan => ">",
        FilterOperator.GreaterThanOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(@operator), @operator, null),
    };

    public static string FormatKey(string key) =>
        IsBareKey(key) ? key : "\"" + key.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static string FormatValue(FilterValue value) => value switch
    {
        FilterString s => "'" + s.Value.Replace("'", "''", StringComparison.Ordinal) + "'",
        FilterNumber n => n.Text,
        FilterBoolean b => b.Value ? "true" : "false",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, null),
    };

    /// <summary>Prints with the fewest parentheses that keep the tree: or binds loosest, then and, then not; and/or chains lean left.</summary>
    public static string Format(FilterExpression expression)
    {
        var builder = new StringBuilder();
        Write(builder, expression);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, FilterExpression expression)
    {
        switch (expression)
        {
            case FilterOr or:
                Write(builder, or.Left, Precedence.Or);
                builder.Append(" or ");
                Write(builder, or.Right, Precedence.And);
                break;
            case FilterAnd and:
                Write(builder, and.Left, Precedence.And);
                builder.Append(" and ");
                Write(builder, and.Right, Precedence.Not);
                break;
            case FilterNot not:
                builder.Append("not ");
                Write(builder, not.Operand, Precedence.Not);
                break;
            case FilterComparison comparison:
                builder.Append(FormatKey(comparison.Key)).Append(' ').Append(Operator(comparison.Operator)).Append(' ').Append(FormatValue(comparison.Value));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expression), expression, null);
        }
    }

    private static void Write(StringBuilder builder, FilterExpression expression, Precedence least)
    {
        var needs = Of(expression) < least;
        builder.Append(needs ? "(" : string.Empty);
        Write(builder, expression);
        builder.Append(needs ? ")" : string.Empty);
    }

    private static Precedence Of(FilterExpression expression) => expression switch
    {
        FilterOr => Precedence.Or,
        FilterAnd => Precedence.And,
        _ => Precedence.Not,
    };

    private enum Precedence
    {
        Or,
        And,
        Not,
    }

    /// <summary>Line and column (1-based) of an absolute position, as Superpower counts them (a line ends at '\n').</summary>
    public static (int Line, int Column) LineAndColumn(string text, int position)
    {
        var line = 1;
        var column = 1;
        for (var i = 0; i < position && i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        return (line, column);
    }
}
