using Superpower;
using Superpower.Model;

namespace Lineage.Catalog;

/// <summary>The tokens of filter text.</summary>
internal enum FilterToken
{
    /// <summary>A bare key: a letter or _, then letters, digits, _, - and . (never a keyword).</summary>
    Identifier,

    /// <summary>A double-quoted key or string, quotes and escapes included.</summary>
    DoubleQuoted,

    /// <summary>A single-quoted string, quotes and doubled quotes included.</summary>
    SingleQuoted,

    /// <summary>A number in JSON syntax.</summary>
    Number,

    Equal,
    NotEqual,
    LessThan,
    LessThanOrEqual,
    GreaterThan,
    GreaterThanOrEqual,
    LeftParen,
    RightParen,
    And,
    Or,
    Not,
    True,
    False,
}

/// <summary>
/// Splits filter text into <see cref="FilterToken"/>s. Hand-written rather than built from text parsers so each lexical mistake
/// (an unclosed quote, a bad escape, a malformed number) gets its own message and the position where it is.
/// </summary>
internal sealed class FilterTokenizer : Tokenizer<FilterToken>
{
    public static FilterTokenizer Instance { get; } = new();

    protected override IEnumerable<Result<FilterToken>> Tokenize(TextSpan span)
    {
        var next = SkipWhiteSpace(span);
        while (next.HasValue)
        {
            var here = next.Location;
            var source = here.Source!;
            var start = here.Position.Absolute;
            var (kind, end, error) = Scan(source, start);
            if (error is not null)
            {
                yield return Result.Empty<FilterToken>(here.Skip(end - start), error);
                yield break;
            }

            var after = here.Skip(end - start);
            yield return Result.Value(kind, here, after);
            next = SkipWhiteSpace(after);
        }
    }

    /// <summary>The token that starts at <paramref name="start"/> and where it ends, or an error and where it is.</summary>
    private static (FilterToken Kind, int End, string? Error) Scan(string text, int start)
    {
        var c = text[start];
        switch (c)
        {
            case '(':
                return (FilterToken.LeftParen, start + 1, null);
            case ')':
                return (FilterToken.RightParen, start + 1, null);
            case '=':
                return (FilterToken.Equal, start + 1, null);
            case '<':
                return At(start + 1, '=') ? (FilterToken.LessThanOrEqual, start + 2, null) : (FilterToken.LessThan, start + 1, null);
            case '>':
                return At(start + 1, '=') ? (FilterToken.GreaterThanOrEqual, start + 2, null) : (FilterToken.GreaterThan, start + 1, null);
            case '!':
                return At(start + 1, '=')
                    ? (FilterToken.NotEqual, start + 2, null)
                    : (default, start, "expected != ('!' alone is not an operator; write 'not' to negate a condition)");
            case '\'':
                return ScanSingleQuoted(text, start);
            case '"':
                return ScanDoubleQuoted(text, start);
            case '&':
                return (default, start, "unexpected '&'; combine conditions with 'and'");
            case '|':
                return (default, start, "unexpected '|'; combine conditions with 'or'");
        }

        if (c == '-' || char.IsAsciiDigit(c))
        {
            var expected = FilterText.ScanNumber(text, start, out var end);
            if (expected is null && end < text.Length && (FilterText.IsKeyPart(text[end]) || text[end] is '"' or '\''))
            {
                expected = "a space, an operator or ')' after the number " + text[start..end];
            }

            return expected is null ? (FilterToken.Number, end, null) : (default, end, "expected " + expected + ", found " + Found(text, end));
        }

        if (FilterText.IsKeyStart(c))
        {
            var end = start + 1;
            while (end < text.Length && FilterText.IsKeyPart(text[end]))
            {
                end++;
            }

            var word = text[start..end];
            var kind = word.ToUpperInvariant() switch
            {
                "AND" => FilterToken.And,
                "OR" => FilterToken.Or,
                "NOT" => FilterToken.Not,
                "TRUE" => FilterToken.True,
                "FALSE" => FilterToken.False,
                _ => FilterToken.Identifier,
            };
            return (kind, end, null);
        }

        return (default, start, c == '\0'
            ? "a filter cannot hold the NUL character"
            : $"unexpected character {Found(text, start)}; keys that are not plain words are written in double quotes, strings in single quotes");

        bool At(int index, char expected) => index < text.Length && text[index] == expected;
    }

    private static (FilterToken, int, string?) ScanSingleQuoted(string text, int start)
    {
        var i = start + 1;
        while (true)
        {
            var quote = text.IndexOf('\'', i);
            if (quote < 0)
            {
                return (default, start, "this string is never closed (expected a closing ')");
            }

            if (quote + 1 < text.Length && text[quote + 1] == '\'')
            {
                i = quote + 2;
                continue;
            }

            return (FilterToken.SingleQuoted, quote + 1, null);
        }
    }

    private static (FilterToken, int, string?) ScanDoubleQuoted(string text, int start)
    {
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                return (FilterToken.DoubleQuoted, i + 1, null);
            }

            if (text[i] == '\\')
            {
                if (i + 1 < text.Length && text[i + 1] is '"' or '\\')
                {
                    i++;
                    continue;
                }

                return (default, i, i + 1 < text.Length
                    ? $"unknown escape \\{text[i + 1]} in double quotes (only \\\" and \\\\ are escapes)"
                    : "this string is never closed (expected a closing \")");
            }
        }

        return (default, start, "this string is never closed (expected a closing \")");
    }

    /// <summary>The text at <paramref name="position"/> for an error message: a quoted excerpt, or "the end of the filter".</summary>
    public static string Found(string text, int position) =>
        position >= text.Length ? "the end of the filter" : Excerpt(text.AsSpan(position, Math.Min(text.Length - position, 1)).ToString());

    public static string Excerpt(string token) => token.Length <= 40 ? $"'{token}'" : $"'{token[..37]}...'";

    /// <summary>The value of a quoted token, quotes removed and escapes decoded.</summary>
    public static string Unquote(Token<FilterToken> token)
    {
        var span = token.Span.ToStringValue();
        var inner = span[1..^1];
        return token.Kind == FilterToken.SingleQuoted
            ? inner.Replace("''", "'", StringComparison.Ordinal)
            : UnescapeDoubleQuoted(inner);
    }

    private static string UnescapeDoubleQuoted(string inner)
    {
        if (!inner.Contains('\\', StringComparison.Ordinal))
        {
            return inner;
        }

        var builder = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            // The tokenizer let through only \" and \\, so the escaped character is the one to keep.
            builder.Append(inner[i] == '\\' ? inner[++i] : inner[i]);
        }

        return builder.ToString();
    }
}
