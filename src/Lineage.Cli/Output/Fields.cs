namespace Lineage.Cli.Output;

/// <summary>The <c>key:   value</c> listing of <c>show</c> and <c>run</c>: values aligned, one line per value of a list.</summary>
public static class Fields
{
    /// <summary>One line per value, the key on the first only; <c>-</c> when there is none.</summary>
    public static IEnumerable<(string Key, string Value)> Several(string key, IEnumerable<string> values)
    {
        var any = false;
        foreach (var value in values)
        {
            yield return (any ? string.Empty : key, value);
            any = true;
        }

        if (!any)
        {
            yield return (key, "-");
        }
    }

    /// <summary>Writes the lines, values aligned after the longest key; a blank key continues the value above.</summary>
    public static void Print(Terminal terminal, IReadOnlyList<(string Key, string Value)> lines)
    {
        var width = lines.Max(l => l.Key.Length) + 1;
        foreach (var (key, value) in lines)
        {
            terminal.Line($"{(key.Length == 0 ? string.Empty : key + ":").PadRight(width)} {value}");
        }
    }
}
