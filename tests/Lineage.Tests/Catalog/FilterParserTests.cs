namespace Lineage.Tests.Catalog;

/// <summary>The filter language of <c>store.Find</c> and <c>lineage find --where</c>: what parses to what, and what is refused where.</summary>
public sealed class FilterParserTests
{
    private static FilterComparison C(string key, FilterOperator op, FilterValue value) => new(key, op, value);

    private static FilterNumber N(string text) => new(text);

    private static FilterString S(string text) => new(text);

    [Fact]
    public void A_comparison_parses_to_key_operator_and_value()
    {
        Assert.Equal(C("epochs", FilterOperator.NotEqual, N("10")), Filter.Parse("epochs != 10"));
        Assert.Equal(C("dataset", FilterOperator.Equal, S("iris")), Filter.Parse("dataset='iris'"));
        Assert.Equal(C("model.kind", FilterOperator.Equal, S("cnn")), Filter.Parse("model.kind = \"cnn\""));
        Assert.Equal(C("lr", FilterOperator.LessThanOrEqual, N("0.01")), Filter.Parse("lr<=0.01"));
        Assert.Equal(C("lr", FilterOperator.GreaterThanOrEqual, N("1")), Filter.Parse("lr >= 1"));
        Assert.Equal(C("lr", FilterOperator.LessThan, N("1")), Filter.Parse("lr < 1"));
        Assert.Equal(C("lr", FilterOperator.GreaterThan, N("-1")), Filter.Parse("lr>-1"));
        Assert.Equal(C("_private-key.v2", FilterOperator.Equal, FilterBoolean.True), Filter.Parse("_private-key.v2 = true"));
        Assert.Equal(C("clé", FilterOperator.Equal, N("1")), Filter.Parse("clé = 1"));
    }

    [Fact]
    public void And_binds_tighter_than_or_and_not_tighter_than_and()
    {
        var a = C("a", FilterOperator.Equal, N("1"));
        var b = C("b", FilterOperator.Equal, N("2"));
        var c = C("c", FilterOperator.Equal, N("3"));

        Assert.Equal(new FilterOr(a, new FilterAnd(b, c)), Filter.Parse("a = 1 or b = 2 and c = 3"));
        Assert.Equal(new FilterOr(new FilterAnd(a, b), c), Filter.Parse("a = 1 and b = 2 or c = 3"));
        Assert.Equal(new FilterAnd(new FilterNot(a), b), Filter.Parse("not a = 1 and b = 2"));
        Assert.Equal(new FilterNot(new FilterAnd(a, b)), Filter.Parse("not (a = 1 and b = 2)"));
        Assert.Equal(new FilterAnd(new FilterOr(a, b), c), Filter.Parse("(a = 1 or b = 2) and c = 3"));
        Assert.Equal(new FilterAnd(new FilterAnd(a, b), c), Filter.Parse("a = 1 and b = 2 and c = 3"));
        Assert.Equal(new FilterNot(new FilterNot(a)), Filter.Parse("not not a = 1"));
        Assert.Equal(a, Filter.Parse("((a = 1))"));
    }

    [Fact]
    public void The_brief_examples_parse()
    {
        Assert.Equal(
            new FilterAnd(
                new FilterOr(C("f1", FilterOperator.GreaterThanOrEqual, N("0.8")), C("recall", FilterOperator.GreaterThan, N("0.7"))),
                new FilterNot(C("archived", FilterOperator.Equal, FilterBoolean.True))),
            Filter.Parse("(f1 >= 0.8 or recall > 0.7) and not archived = true"));
        Assert.Equal(
            new FilterAnd(C("accuracy", FilterOperator.GreaterThan, N("0.9")), C("dataset", FilterOperator.Equal, S("iris"))),
            Filter.Parse("accuracy > 0.9 and dataset = 'iris'"));
    }

    [Theory]
    [InlineData("AND")]
    [InlineData("And")]
    [InlineData("and")]
    public void Keywords_are_case_insensitive(string and)
    {
        Assert.Equal(
            new FilterAnd(new FilterNot(C("a", FilterOperator.Equal, FilterBoolean.True)), C("b", FilterOperator.Equal, FilterBoolean.False)),
            Filter.Parse($"NOT a = TRUE {and} b = False"));
        Assert.Equal(new FilterOr(C("a", FilterOperator.Equal, N("1")), C("b", FilterOperator.Equal, N("2"))), Filter.Parse("a = 1 OR b = 2"));
    }

    [Fact]
    public void Quoted_keys_and_strings_unescape()
    {
        Assert.Equal(C("it's", FilterOperator.Equal, S("O'Brien")), Filter.Parse("\"it's\" = 'O''Brien'"));
        Assert.Equal(C("say \"hi\"", FilterOperator.Equal, S("back\\slash \"q\"")), Filter.Parse("\"say \\\"hi\\\"\" = \"back\\\\slash \\\"q\\\"\""));
        Assert.Equal(C("has space.and[0]", FilterOperator.Equal, S("")), Filter.Parse("\"has space.and[0]\" = ''"));
        Assert.Equal(C("and", FilterOperator.Equal, S("a\\b")), Filter.Parse("\"and\" = 'a\\b'"));
        Assert.Equal(C("k", FilterOperator.Equal, S("two\nlines")), Filter.Parse("k = 'two\nlines'"));
    }

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("-0", 0.0)]
    [InlineData("10", 10.0)]
    [InlineData("-1.5e3", -1500.0)]
    [InlineData("2.5E-2", 0.025)]
    [InlineData("1e+2", 100.0)]
    [InlineData("0.125", 0.125)]
    public void Numbers_follow_JSON_syntax_and_keep_their_text(string text, double value)
    {
        var comparison = Assert.IsType<FilterComparison>(Filter.Parse($"x = {text}"));
        var number = Assert.IsType<FilterNumber>(comparison.Value);
        Assert.Equal(text, number.Text);
        Assert.Equal(value, number.Value);
    }

    [Theory]
    [InlineData("a = 1 and (b = 'x' or not c = true)")]
    [InlineData("(a = 1 or b = 2) and c = 3")]
    [InlineData("a = 1 or b = 2 and c = 3")]
    [InlineData("not (a = 1 and b = 2)")]
    [InlineData("not not a = 1")]
    [InlineData("a = 1 or (b = 2 or c = 3)")]
    [InlineData("a = 1 and (b = 2 and c = 3)")]
    [InlineData("\"and\" = 'it''s' and \"say \\\"hi\\\" \\\\\" != -1.5e3")]
    [InlineData("x.y-z_1 >= 0.5")]
    public void Canonical_text_is_a_fixed_point(string canonical)
    {
        var parsed = Filter.Parse(canonical);
        Assert.Equal(canonical, parsed.ToString());
        Assert.Equal(parsed, Filter.Parse(parsed.ToString()));
    }

    [Theory]
    [InlineData("  A=1  AND  ( b = \"x\"  OR  NOT  c=TRUE ) ", "A = 1 and (b = 'x' or not c = true)")]
    [InlineData("((a = 1)) and ((b = 2))", "a = 1 and b = 2")]
    [InlineData("(a = 1 and b = 2) or c = 3", "a = 1 and b = 2 or c = 3")]
    [InlineData("\"plain\" = 1", "plain = 1")]
    [InlineData("\"TRUE\" = 1", "\"TRUE\" = 1")]
    [InlineData("\"9lives\" = 1", "\"9lives\" = 1")]
    public void ToString_prints_the_canonical_text(string text, string canonical)
    {
        Assert.Equal(canonical, Filter.Parse(text).ToString());
    }

    [Fact]
    public void Built_expressions_print_as_filter_text()
    {
        var expression = new FilterOr(
            new FilterComparison("score", FilterOperator.GreaterThan, new FilterNumber(0.5)),
            new FilterNot(new FilterComparison("name", FilterOperator.Equal, new FilterString("a'b"))));
        Assert.Equal("score > 0.5 or not name = 'a''b'", expression.ToString());
        Assert.Equal("10", new FilterNumber(10).Text);
        Assert.Equal(expression, Filter.Parse(expression.ToString()));
    }

    [Theory]
    [InlineData("accuracy > 0.9 and = 1", 19, "expected a condition (KEY OP VALUE), 'not' or '(', found '='")]
    [InlineData("dataset = 'iris' and x", 22, "expected an operator (=, !=, <, <=, >, >=), found the end of the filter")]
    [InlineData("accuracy >", 10, "expected a value (a 'quoted string', a number, true or false), found the end of the filter")]
    [InlineData("accuracy > and", 11, "expected a value (a 'quoted string', a number, true or false), found 'and'")]
    [InlineData("a = 1 b = 2", 6, "expected 'and', 'or' or the end of the filter, found 'b'")]
    [InlineData("(a = 1", 6, "expected 'and', 'or' or ')', found the end of the filter")]
    [InlineData("a = 1)", 5, "expected 'and', 'or' or the end of the filter, found ')'")]
    [InlineData("", 0, "expected a condition (KEY OP VALUE), 'not' or '(', found the end of the filter")]
    [InlineData("a = 'iris", 4, "this string is never closed (expected a closing ')")]
    [InlineData("\"key = 1", 0, "this string is never closed (expected a closing \")")]
    [InlineData("\"a\\nb\" = 1", 2, "unknown escape \\n in double quotes (only \\\" and \\\\ are escapes)")]
    [InlineData("a = 1.", 6, "expected a digit after the decimal point, found the end of the filter")]
    [InlineData("a = 01", 5, "expected no digit after a leading 0 (JSON numbers have no leading zeros), found '1'")]
    [InlineData("a = 1e", 6, "expected a digit in the exponent, found the end of the filter")]
    [InlineData("a = 10x", 6, "expected a space, an operator or ')' after the number 10, found 'x'")]
    [InlineData("a = -", 5, "expected a digit after '-', found the end of the filter")]
    [InlineData("a == 1", 3, "expected a value (a 'quoted string', a number, true or false), found '='")]
    [InlineData("a ! 1", 2, "expected != ('!' alone is not an operator; write 'not' to negate a condition)")]
    [InlineData("a = 1 && b = 2", 6, "unexpected '&'; combine conditions with 'and'")]
    [InlineData("a = #", 4, "unexpected character '#'; keys that are not plain words are written in double quotes, strings in single quotes")]
    [InlineData("archived > true", 9, "true and false compare only with = and !=, not with >")]
    [InlineData("and = 1", 0, "expected a condition (KEY OP VALUE), 'not' or '(', found 'and'")]
    [InlineData("a = 1 and not", 13, "expected a condition (KEY OP VALUE), 'not' or '(', found the end of the filter")]
    [InlineData("a = unquoted", 4, "expected a value (a 'quoted string', a number, true or false), found 'unquoted'")]
    [InlineData("\"\" = 1", 0, "a metadata key cannot be empty")]
    [InlineData("a = 1e400", 4, "the number '1e400' is out of range (beyond ±1.7976931348623157e308)")]
    public void A_malformed_filter_is_refused_with_the_position_and_what_was_expected(string text, int position, string message)
    {
        var error = Assert.Throws<FilterSyntaxException>(() => Filter.Parse(text));
        Assert.Equal($"Syntax error at position {position}: {message}.", error.Message);
        Assert.Equal(position, error.Position);
        Assert.Equal((1, position + 1), (error.Line, error.Column));
        Assert.IsAssignableFrom<LineageException>(error);
    }

    [Fact]
    public void An_error_on_a_later_line_has_its_line_and_column()
    {
        var error = Assert.Throws<FilterSyntaxException>(() => Filter.Parse("a = 1\n  and\n  b >"));
        Assert.Equal((17, 3, 6), (error.Position, error.Line, error.Column));
    }

    [Fact]
    public void Keys_strings_and_comparisons_beyond_the_limits_are_refused()
    {
        var longestKey = new string('k', Filter.MaxKeyLength);
        Assert.Equal(longestKey, Assert.IsType<FilterComparison>(Filter.Parse($"{longestKey} = 1")).Key);
        var keyError = Assert.Throws<FilterSyntaxException>(() => Filter.Parse($"x = 1 or \"{longestKey}k\" = 1"));
        Assert.Equal("Syntax error at position 9: a metadata key may be at most 200 characters long; this one has 201.", keyError.Message);

        var longestString = new string('s', Filter.MaxStringLength);
        Assert.Equal(longestString, ((FilterString)Assert.IsType<FilterComparison>(Filter.Parse($"k = '{longestString}'")).Value).Value);
        var stringError = Assert.Throws<FilterSyntaxException>(() => Filter.Parse($"k = \"{longestString}s\""));
        Assert.Equal("Syntax error at position 4: a string in a filter may be at most 10000 characters long; this one has 10001.", stringError.Message);

        var hundred = string.Join(" and ", Enumerable.Range(0, Filter.MaxComparisons).Select(i => $"k{i} = {i}"));
        Assert.IsType<FilterAnd>(Filter.Parse(hundred));
        var tooMany = Assert.Throws<FilterSyntaxException>(() => Filter.Parse(hundred + " or last = 1"));
        Assert.Equal(hundred.Length + 9, tooMany.Position);
        Assert.Contains("at most 100 comparisons", tooMany.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_nesting_is_refused_before_it_can_exhaust_the_stack()
    {
        var nested = new string('(', Filter.MaxParenthesisDepth) + "a = 1" + new string(')', Filter.MaxParenthesisDepth);
        Assert.Equal(new FilterComparison("a", FilterOperator.Equal, new FilterNumber(1)), Filter.Parse(nested));
        var tooDeep = Assert.Throws<FilterSyntaxException>(() => Filter.Parse(new string('(', 100_000) + "a = 1" + new string(')', 100_000)));
        Assert.Equal(Filter.MaxParenthesisDepth, tooDeep.Position);

        Assert.IsType<FilterNot>(Filter.Parse(string.Concat(Enumerable.Repeat("not ", Filter.MaxNots)) + "a = 1"));
        var tooManyNots = Assert.Throws<FilterSyntaxException>(() => Filter.Parse(string.Concat(Enumerable.Repeat("not ", 100_000)) + "a = 1"));
        Assert.Equal(4 * Filter.MaxNots, tooManyNots.Position);
    }

    [Fact]
    public void Built_comparisons_refuse_what_the_parser_refuses()
    {
        Assert.Throws<ArgumentException>(() => new FilterComparison("archived", FilterOperator.LessThan, FilterBoolean.True));
        Assert.Throws<ArgumentException>(() => new FilterComparison("", FilterOperator.Equal, FilterBoolean.True));
        Assert.Throws<ArgumentException>(() => new FilterComparison(new string('k', 201), FilterOperator.Equal, FilterBoolean.True));
        Assert.Throws<ArgumentException>(() => new FilterString(new string('s', 10_001)));
        Assert.Throws<ArgumentException>(() => new FilterString("nul\0"));
        Assert.Throws<ArgumentException>(() => new FilterString("lone \uD800 surrogate"));
        Assert.Throws<ArgumentException>(() => new FilterNumber("1."));
        Assert.Throws<ArgumentException>(() => new FilterNumber("NaN"));
        Assert.Throws<ArgumentException>(() => new FilterNumber(double.PositiveInfinity));
        Assert.Equal("😀", new FilterString("😀").Value);
    }
}
