using Lineage.Catalog;
using Superpower;
using Superpower.Model;
using Superpower.Parsers;

namespace Lineage;

/// <summary>
/// The metadata filter language of <c>store.Find</c> and <c>lineage find --where</c>, e.g.
/// <c>accuracy &gt; 0.9 and dataset = 'iris'</c> or <c>(f1 &gt;= 0.8 or recall &gt; 0.7) and not archived = true</c>.
/// </summary>
/// <remarks>
/// <para>
/// Grammar: <c>or</c>-expressions of <c>and</c>-expressions of an optional <c>not</c> of a parenthesized expression or a
/// comparison <c>KEY OP VALUE</c>. <c>not</c> binds tighter than <c>and</c>, which binds tighter than <c>or</c>.
/// OP is one of <c>= != &lt; &lt;= &gt; &gt;=</c>. KEY is a word of letters, digits, <c>_</c>, <c>-</c> and <c>.</c> starting with
/// a letter or <c>_</c>, or any text in double quotes (<c>\"</c> and <c>\\</c> escape); a dot is part of the key, not a path.
/// VALUE is a string in single quotes (<c>''</c> escapes a quote) or double quotes, a JSON number (<c>-1.5e3</c>), <c>true</c> or
/// <c>false</c>. The keywords <c>and or not true false</c> are case-insensitive, and a key spelled like one is written in double quotes.
/// </para>
/// <para>
/// Comparisons are typed: a number compares numerically with JSON numbers only, a string with JSON strings only (ordinally,
/// by Unicode code point), a boolean with JSON booleans only and only with <c>=</c> and <c>!=</c>. A comparison is false, for
/// every operator including <c>!=</c>, on a version that lacks the key or holds another type there; <c>not (k = v)</c> is true for it.
/// </para>
/// </remarks>
public static class Filter
{
    /// <summary>The longest key a filter may name, in characters.</summary>
    public const int MaxKeyLength = 200;

    /// <summary>The longest string literal a filter may hold, in characters.</summary>
    public const int MaxStringLength = 10_000;

    /// <summary>The most comparisons one filter may hold.</summary>
    public const int MaxComparisons = 100;

    /// <summary>The most <c>not</c>s one filter may hold.</summary>
    public const int MaxNots = 100;

    /// <summary>How deep parentheses may nest.</summary>
    public const int MaxParenthesisDepth = 32;

    private const string ValueExpected = "a value (a 'quoted string', a number, true or false)";

    private static readonly TokenListParser<FilterToken, Token<FilterToken>> Key =
        Token.EqualTo(FilterToken.Identifier).Or(Token.EqualTo(FilterToken.DoubleQuoted))
            .Named("a key");

    private static readonly TokenListParser<FilterToken, Token<FilterToken>> Operator =
        Token.EqualTo(FilterToken.Equal)
            .Or(Token.EqualTo(FilterToken.NotEqual))
            .Or(Token.EqualTo(FilterToken.LessThan))
            .Or(Token.EqualTo(FilterToken.LessThanOrEqual))
            .Or(Token.EqualTo(FilterToken.GreaterThan))
            .Or(Token.EqualTo(FilterToken.GreaterThanOrEqual))
            .Named("an operator (=, !=, <, <=, >, >=)");

    private static readonly TokenListParser<FilterToken, Token<FilterToken>> Value =
        Token.EqualTo(FilterToken.SingleQuoted)
            .Or(Token.EqualTo(FilterToken.DoubleQuoted))
            .Or(Token.EqualTo(FilterToken.Number))
            .Or(Token.EqualTo(FilterToken.True))
            .Or(Token.EqualTo(FilterToken.False))
            .Named(ValueExpected);

    private static readonly TokenListParser<FilterToken, FilterExpression> Comparison =
        from key in Key
        from op in Operator
        from value in Value
        select (FilterExpression)MakeComparison(key, op, value);

    private static readonly TokenListParser<FilterToken, FilterExpression> Group =
        from open in Token.EqualTo(FilterToken.LeftParen)
        from inner in Superpower.Parse.Ref(() => Disjunction!)
        from close in Token.EqualTo(FilterToken.RightParen).Named("'and', 'or' or ')'")
        select inner;

    private static readonly TokenListParser<FilterToken, FilterExpression> Factor =
        Group.Or(Comparison).Named("a condition (KEY OP VALUE), 'not' or '('");

    // Many() rather than recursion, so a run of nots costs no stack.
    private static readonly TokenListParser<FilterToken, FilterExpression> Unary =
        from nots in Token.EqualTo(FilterToken.Not).Many()
        from factor in Factor
        select Negate(factor, nots.Length);

    private static readonly TokenListParser<FilterToken, FilterExpression> Conjunction =
        Superpower.Parse.Chain(Token.EqualTo(FilterToken.And), Unary, (_, left, right) => new FilterAnd(left, right));

    private static readonly TokenListParser<FilterToken, FilterExpression> Disjunction =
        Superpower.Parse.Chain(Token.EqualTo(FilterToken.Or), Conjunction, (_, left, right) => new FilterOr(left, right));

    private static readonly TokenListParser<FilterToken, bool> End = input => input.IsAtEnd
        ? TokenListParserResult.Value(true, input, input)
        : TokenListParserResult.Empty<FilterToken, bool>(input, ["'and', 'or' or the end of the filter"]);

    private static readonly TokenListParser<FilterToken, FilterExpression> Whole =
        from expression in Disjunction
        from end in End
        select expression;

    /// <summary>Parses filter text into an expression.</summary>
    /// <exception cref="FilterSyntaxException">The text is malformed, or beyond <see cref="MaxKeyLength"/>, <see cref="MaxStringLength"/>,
    /// <see cref="MaxComparisons"/>, <see cref="MaxNots"/> or <see cref="MaxParenthesisDepth"/>.</exception>
    public static FilterExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = FilterTokenizer.Instance.TryTokenize(text);
        if (!tokens.HasValue)
        {
            var position = tokens.ErrorPosition.HasValue ? tokens.ErrorPosition.Absolute : text.Length;
            throw Error(text, position, tokens.ErrorMessage ?? "unreadable filter text");
        }

        CheckLimits(text, tokens.Value);
        var result = Whole(tokens.Value);
        if (result.HasValue)
        {
            return result.Value;
        }

        var remainder = result.Remainder;
        var at = result.ErrorPosition.HasValue ? result.ErrorPosition.Absolute
            : remainder.IsAtEnd ? text.Length
            : remainder.ConsumeToken().Value.Position.Absolute;
        var found = FoundAt(text, tokens.Value, at);
        var expected = result.Expectations is { Length: > 0 } expectations ? Join(expectations) : null;
        throw Error(text, at, expected is not null ? $"expected {expected}, found {found}" : result.ErrorMessage ?? $"unexpected {found}");
    }

    private static void CheckLimits(string text, TokenList<FilterToken> tokens)
    {
        int comparisons = 0, nots = 0, depth = 0;
        foreach (var token in tokens)
        {
            switch (token.Kind)
            {
                case FilterToken.Equal or FilterToken.NotEqual or FilterToken.LessThan or FilterToken.LessThanOrEqual
                    or FilterToken.GreaterThan or FilterToken.GreaterThanOrEqual when ++comparisons > MaxComparisons:
                    throw Error(text, token.Position.Absolute, $"a filter may hold at most {MaxComparisons} comparisons; this is comparison {comparisons}");
                case FilterToken.Not when ++nots > MaxNots:
                    throw Error(text, token.Position.Absolute, $"a filter may hold at most {MaxNots} 'not's");
                case FilterToken.LeftParen when ++depth > MaxParenthesisDepth:
                    throw Error(text, token.Position.Absolute, $"parentheses may nest at most {MaxParenthesisDepth} deep");
                case FilterToken.RightParen:
                    depth--;
                    break;
            }
        }
    }

    private static FilterComparison MakeComparison(Token<FilterToken> keyToken, Token<FilterToken> operatorToken, Token<FilterToken> valueToken)
    {
        var text = keyToken.Span.Source!;
        var key = keyToken.Kind == FilterToken.Identifier ? keyToken.ToStringValue() : FilterTokenizer.Unquote(keyToken);
        if (FilterText.KeyProblem(key) is { } keyProblem)
        {
            throw Error(text, keyToken.Position.Absolute, keyProblem);
        }

        var op = operatorToken.Kind switch
        {
            FilterToken.Equal => FilterOperator.Equal,
            FilterToken.NotEqual => FilterOperator.NotEqual,
            FilterToken.LessThan => FilterOperator.LessThan,
            FilterToken.LessThanOrEqual => FilterOperator.LessThanOrEqual,
            FilterToken.GreaterThan => FilterOperator.GreaterThan,
            _ => FilterOperator.GreaterThanOrEqual,
        };
        FilterValue value;
        switch (valueToken.Kind)
        {
            case FilterToken.True or FilterToken.False:
                if (op is not (FilterOperator.Equal or FilterOperator.NotEqual))
                {
                    throw Error(text, operatorToken.Position.Absolute, FilterText.BooleanOrderingProblem(op));
                }

                value = valueToken.Kind == FilterToken.True ? FilterBoolean.True : FilterBoolean.False;
                break;
            case FilterToken.Number:
                var number = valueToken.ToStringValue();
                if (!double.IsFinite(double.Parse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture)))
                {
                    throw Error(text, valueToken.Position.Absolute, $"the number {FilterTokenizer.Excerpt(number)} is out of range (beyond ±1.7976931348623157e308)");
                }

                value = new FilterNumber(number);
                break;
            default:
                var literal = FilterTokenizer.Unquote(valueToken);
                if (FilterText.StringProblem(literal) is { } stringProblem)
                {
                    throw Error(text, valueToken.Position.Absolute, stringProblem);
                }

                value = new FilterString(literal);
                break;
        }

        return new FilterComparison(key, op, value);
    }

    private static FilterExpression Negate(FilterExpression expression, int times)
    {
        for (var i = 0; i < times; i++)
        {
            expression = new FilterNot(expression);
        }

        return expression;
    }

    private static string FoundAt(string text, TokenList<FilterToken> tokens, int position)
    {
        foreach (var token in tokens)
        {
            if (token.Position.Absolute == position)
            {
                return FilterTokenizer.Excerpt(token.ToStringValue());
            }
        }

        return FilterTokenizer.Found(text, position);
    }

    private static string Join(string[] expectations)
    {
        var distinct = expectations.Distinct(StringComparer.Ordinal).ToArray();
        return distinct.Length == 1 ? distinct[0] : string.Join(", ", distinct[..^1]) + " or " + distinct[^1];
    }

    private static FilterSyntaxException Error(string text, int position, string message)
    {
        var (line, column) = FilterText.LineAndColumn(text, position);
        var sentence = char.ToLowerInvariant(message[0]) + message[1..].TrimEnd('.');
        return new FilterSyntaxException($"Syntax error at position {position}: {sentence}.", position, line, column);
    }
}
