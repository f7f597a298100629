using System.Globalization;
using Lineage.Catalog;

namespace Lineage;

/// <summary>
/// A parsed metadata filter (<see cref="Filter.Parse"/>): comparisons of metadata keys with values, combined with
/// <c>and</c>, <c>or</c> and <c>not</c>. Immutable, with structural equality; <see cref="ToString"/> prints the canonical filter
/// text, which parses back to an equal expression.
/// </summary>
public abstract record FilterExpression
{
    private protected FilterExpression()
    {
    }

    /// <summary>The canonical filter text: lower-case keywords, single spaces, only the parentheses the meaning needs.</summary>
    public sealed override string ToString() => FilterText.Format(this);
}

/// <summary>True when both sides are.</summary>
public sealed record FilterAnd(FilterExpression Left, FilterExpression Right) : FilterExpression
{
    /// <summary>The left side.</summary>
    public FilterExpression Left { get; } = Left ?? throw new ArgumentNullException(nameof(Left));

    /// <summary>The right side.</summary>
    public FilterExpression Right { get; } = Right ?? throw new ArgumentNullException(nameof(Right));
}

/// <summary>True when either side is.</summary>
public sealed record FilterOr(FilterExpression Left, FilterExpression Right) : FilterExpression
{
    /// <summary>The left side.</summary>
    public FilterExpression Left { get; } = Left ?? throw new ArgumentNullException(nameof(Left));

    /// <summary>The right side.</summary>
    public FilterExpression Right { get; } = Right ?? throw new ArgumentNullException(nameof(Right));
}

/// <summary>True when the operand is false (a comparison is false for a version that lacks the key, so <c>not</c> of it is true there).</summary>
public sealed record FilterNot(FilterExpression Operand) : FilterExpression
{
    /// <summary>The negated expression.</summary>
    public FilterExpression Operand { get; } = Operand ?? throw new ArgumentNullException(nameof(Operand));
}

/// <summary>
/// <c>KEY OP VALUE</c>: compares the metadata value under <see cref="Key"/> (a top-level key, dots included as written) with
/// <see cref="Value"/>. Typed: true only when the stored value has the literal's JSON type (number, string or boolean) and the
/// comparison holds, so it is false, for every operator including <c>!=</c>, when the key is missing or holds another type.
/// </summary>
public sealed record FilterComparison : FilterExpression
{
    /// <summary>Creates a comparison.</summary>
    /// <exception cref="ArgumentException">
    /// The key is empty, longer than <see cref="Filter.MaxKeyLength"/> or holds a NUL character, or a boolean is compared with an ordering operator.
    /// </exception>
    public FilterComparison(string key, FilterOperator @operator, FilterValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (FilterText.KeyProblem(key) is { } problem)
        {
            throw new ArgumentException(problem, nameof(key));
        }

        if (!Enum.IsDefined(@operator))
        {
            throw new ArgumentOutOfRangeException(nameof(@operator), @operator, "Not a filter operator.");
        }

        if (value is FilterBoolean && @operator is not (FilterOperator.Equal or FilterOperator.NotEqual))
        {
            throw new ArgumentException(FilterText.BooleanOrderingProblem(@operator), nameof(@operator));
        }

        Key = key;
        Operator = @operator;
        Value = value;
    }

    /// <summary>The metadata key, as stored (no quotes or escapes).</summary>
    public string Key { get; }

    /// <summary>How the stored value is compared with <see cref="Value"/>.</summary>
    public FilterOperator Operator { get; }

    /// <summary>The literal the stored value is compared with.</summary>
    public FilterValue Value { get; }

    /// <summary>Deconstructs into key, operator and value.</summary>
    public void Deconstruct(out string key, out FilterOperator @operator, out FilterValue value) => (key, @operator, value) = (Key, Operator, Value);
}

/// <summary>A comparison operator of a filter.</summary>
public enum FilterOperator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c>: the key holds a different value of the literal's type.</summary>
    NotEqual,

    /// <summary><c>&lt;</c></summary>
    LessThan,

    /// <summary><c>&lt;=</c></summary>
    LessThanOrEqual,

    /// <summary><c>&gt;</c></summary>
    GreaterThan,

    /// <summary><c>&gt;=</c></summary>
    GreaterThanOrEqual,
}

/// <summary>The literal of a comparison: a <see cref="FilterString"/>, a <see cref="FilterNumber"/> or a <see cref="FilterBoolean"/>.</summary>
public abstract record FilterValue
{
    private protected FilterValue()
    {
    }

    /// <summary>The literal as filter text (a single-quoted string, the number as written, <c>true</c> or <c>false</c>).</summary>
    public sealed override string ToString() => FilterText.FormatValue(this);
}

/// <summary>A string literal; compares with JSON strings only, ordinally (by Unicode code point).</summary>
public sealed record FilterString : FilterValue
{
    /// <summary>Creates a string literal.</summary>
    /// <exception cref="ArgumentException">Longer than <see cref="Filter.MaxStringLength"/>, or holds a NUL character or a lone surrogate.</exception>
    public FilterString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (FilterText.StringProblem(value) is { } problem)
        {
            throw new ArgumentException(problem, nameof(value));
        }

        Value = value;
    }

    /// <summary>The string, unescaped.</summary>
    public string Value { get; }
}

/// <summary>A number literal; compares numerically with JSON numbers only (integers and decimals alike).</summary>
public sealed record FilterNumber : FilterValue
{
    /// <summary>Creates a number literal from its JSON text, e.g. <c>-1.5e3</c>.</summary>
    /// <exception cref="ArgumentException">The text is not a JSON number, or is beyond the range of a <see cref="double"/>.</exception>
    public FilterNumber(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!FilterText.IsJsonNumber(text))
        {
            throw new ArgumentException($"'{text}' is not a JSON number (such as 10, -0.5 or 1.5e3).", nameof(text));
        }

        var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"The number {text} is out of range (beyond ±1.7976931348623157e308).", nameof(text));
        }

        Text = text;
        Value = value;
    }

    /// <summary>Creates a number literal from an integer.</summary>
    public FilterNumber(long value) : this(value.ToString(CultureInfo.InvariantCulture))
    {
    }

    /// <summary>Creates a number literal from a finite double (its shortest round-trip text).</summary>
    /// <exception cref="ArgumentException">The value is NaN or infinite.</exception>
    public FilterNumber(double value) : this(double.IsFinite(value)
        ? value.ToString("R", CultureInfo.InvariantCulture)
        : throw new ArgumentException("A filter number must be finite.", nameof(value)))
    {
    }

    /// <summary>The number exactly as written (JSON number syntax); equality of literals compares this text.</summary>
    public string Text { get; }

    /// <summary>The number as a double (nearest to <see cref="Text"/>).</summary>
    public double Value { get; }

    /// <summary>The number as a long when <see cref="Text"/> is an integer (no fraction or exponent) that fits; otherwise null.</summary>
    internal long? AsInt64() => Text.AsSpan().IndexOfAny('.', 'e', 'E') < 0 && long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
        ? integer
        : null;

    /// <summary>Equal when written the same (<c>1</c> and <c>1.0</c> are different literals that match the same rows).</summary>
    public bool Equals(FilterNumber? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);
}

/// <summary><c>true</c> or <c>false</c>; compares with JSON booleans only, and only with <c>=</c> and <c>!=</c>.</summary>
public sealed record FilterBoolean(bool Value) : FilterValue
{
    /// <summary><c>true</c></summary>
    public static FilterBoolean True { get; } = new(true);

    /// <summary><c>false</c></summary>
    public static FilterBoolean False { get; } = new(false);
}
