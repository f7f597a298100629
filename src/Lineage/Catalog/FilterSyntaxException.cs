namespace Lineage;

/// <summary>
/// Filter text (<see cref="Filter.Parse"/>, <c>lineage find --where</c>) is malformed or beyond a limit. The message names the
/// position and what was expected there, e.g. <c>Syntax error at position 12: expected a value (a 'quoted string', a number,
/// true or false), found 'and'.</c>
/// </summary>
public sealed class FilterSyntaxException : LineageException
{
    internal FilterSyntaxException(string message, int position, int line, int column) : base(message)
    {
        Position = position;
        Line = line;
        Column = column;
    }

    /// <summary>Where the error is: a 0-based character index into the filter text (its length when the text ended too soon).</summary>
    public int Position { get; }

    /// <summary>The 1-based line of <see cref="Position"/>.</summary>
    public int Line { get; }

    /// <summary>The 1-based column of <see cref="Position"/> within its line.</summary>
    public int Column { get; }
}
