using System.Globalization;
using System.Text;

namespace Lineage.Cli.Output;

/// <summary>How values read in text output.</summary>
public static partial class Formats
{
    /// <summary><c>name@version</c>.</summary>
    public static string Reference(ArtifactRecord record) => $"{record.Name}@{record.Version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A version computed from another: <c>name@version</c>, its branch in parentheses when it is not live.</summary>
    public static string Output(ArtifactRecord record) =>
        record.Branch == ArtifactBranch.Main ? Reference(record) : $"{Reference(record)} ({record.Branch.ToString().ToLowerInvariant()})";

    /// <summary><c>name@version</c>, <c>(deleted)</c> when only its tombstone is left.</summary>
    public static string Reference(LineageInput input) => input.IsDeleted ? $"{input.Name}@{input.Version.ToString(CultureInfo.InvariantCulture)} (deleted)" : $"{input.Name}@{input.Version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>A version's input with how it is known: <c>data@1 (exact)</c> by content hash, <c>data@1 (loaded in run)</c>, tombstones marked.</summary>
    public static string Input(LineageInput input) =>
        $"{input.Name}@{input.Version.ToString(CultureInfo.InvariantCulture)} ({(input.IsExact ? "exact" : "loaded in run")}{(input.IsDeleted ? ", deleted" : string.Empty)})";

    /// <summary>A run in one phrase: <c>run train (UID, succeeded)</c>, <c>implicit run IrisPipeline (UID, running)</c>.</summary>
    public static string Run(RunRecord run) => Run(run.IsImplicit, run.Name, run.Uid, run.Status);

    /// <inheritdoc cref="Run(RunRecord)"/>
    public static string Run(LineageRun run) => Run(run.IsImplicit, run.Name, run.Uid, run.Status);

    private static string Run(bool isImplicit, string name, string uid, RunStatus status) => $"{(isImplicit ? "implicit run" : "run")} {name} ({uid}, {Status(status)})";

    /// <summary>A run named from a version: <c>train (UID, succeeded)</c>, <c>IrisPipeline (UID, succeeded, implicit)</c>.</summary>
    public static string RunSummary(RunRecord run) => $"{run.Name} ({run.Uid}, {Status(run.Status)}{(run.IsImplicit ? ", implicit" : string.Empty)})";

    /// <summary><c>running</c>, <c>succeeded</c>, <c>failed</c>.</summary>
    public static string Status(RunStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>How long a finished run took: <c>40ms</c>, <c>12.3s</c>, <c>3m 04s</c>, <c>2h 05m</c>; <c>-</c> while it runs.</summary>
    public static string Duration(RunRecord run) => run.FinishedAt is { } finished ? Duration(finished - run.StartedAt) : "-";

    /// <inheritdoc cref="Duration(RunRecord)"/>
    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 0 => "0ms",
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMilliseconds}ms"),
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0}s"),
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes}m {span.Seconds:00}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes:00}m"),
    };

    /// <summary>UTC, to the second: <c>2025-01-31 14:02:11Z</c>.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Bytes in binary units: <c>24 B</c>, <c>1.5 KiB</c>, <c>3.2 GiB</c>.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }

    /// <summary>The first 12 characters of a hash, or <c>-</c>.</summary>
    public static string Abbreviated(string? hash) => hash is null ? "-" : hash.Length <= 12 ? hash : hash[..12];

    /// <summary>
    /// A recorded type name short enough for a table column: namespaces dropped, framework primitives as C# keywords
    /// (<c>System.Collections.Generic.Dictionary&lt;System.String, System.Double&gt;</c> → <c>Dictionary&lt;string, double&gt;</c>).
    /// <c>show</c> and <c>--json</c> keep the full name.
    /// </summary>
    public static string ShortTypeName(string typeName)
    {
        // Scanned by hand rather than with a regular expression: building one costs the tool's start more than listing the store.
        StringBuilder? shortened = null;
        var copied = 0;
        var at = 0;
        while (at < typeName.Length)
        {
            var end = DottedNameEnd(typeName, at, out var lastSegment);
            if (end < 0)
            {
                at++;
                continue;
            }

            shortened ??= new StringBuilder(typeName.Length);
            shortened.Append(typeName, copied, at - copied);
            shortened.Append(Keywords.TryGetValue(typeName[at..end], out var keyword) ? keyword : typeName[lastSegment..end]);
            copied = at = end;
        }

        return shortened is null ? typeName : shortened.Append(typeName, copied, typeName.Length - copied).ToString();
    }

    private static readonly Dictionary<string, string> Keywords = new(StringComparer.Ordinal)
    {
        ["System.String"] = "string", ["System.Boolean"] = "bool", ["System.Byte"] = "byte", ["System.SByte"] = "sbyte",
        ["System.Char"] = "char", ["System.Int16"] = "short", ["System.UInt16"] = "ushort", ["System.Int32"] = "int",
        ["System.UInt32"] = "uint", ["System.Int64"] = "long", ["System.UInt64"] = "ulong", ["System.Single"] = "float",
        ["System.Double"] = "double", ["System.Decimal"] = "decimal", ["System.Object"] = "object",
    };

    /// <summary>
    /// Where a dotted name starting at <paramref name="start"/> ends (two or more identifiers joined by '.': every segment but the
    /// last is a namespace or an enclosing type the table can do without), or -1 when none starts there; an identifier is a letter
    /// or '_', then letters, decimal digits and '_'. <paramref name="lastSegment"/> is where its last identifier starts.
    /// </summary>
    private static int DottedNameEnd(string text, int start, out int lastSegment)
    {
        lastSegment = -1;
        if (!IsIdentifierStart(text[start]))
        {
            return -1;
        }

        var end = IdentifierEnd(text, start);
        var last = start;
        while (end + 1 < text.Length && text[end] == '.' && IsIdentifierStart(text[end + 1]))
        {
            last = end + 1;
            end = IdentifierEnd(text, last);
        }

        if (last == start)
        {
            return -1;
        }

        lastSegment = last;
        return end;
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static int IdentifierEnd(string text, int start)
    {
        var end = start + 1;
        while (end < text.Length && (char.IsLetter(text[end]) || char.IsDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        return end;
    }

    /// <summary>A metadata entry as a filter comparison would write it: <c>accuracy = 0.93</c>, <c>dataset = 'iris'</c>, <c>"my key" = true</c>.</summary>
    public static string MetadataEntry(string key, object value)
    {
        try
        {
            return new FilterComparison(key, FilterOperator.Equal, FilterLiteral(value)).ToString();
        }
        catch (ArgumentException)
        {
            // Text no filter can hold (a NUL, a lone surrogate): shown as JSON instead.
            return $"{key} = {System.Text.Json.JsonSerializer.Serialize(value)}";
        }
    }

    /// <summary>A metadata value as a filter literal: numbers bare, strings in single quotes, <c>true</c>/<c>false</c>; so its type shows.</summary>
    public static string MetadataValue(object value)
    {
        try
        {
            return FilterLiteral(value).ToString();
        }
        catch (ArgumentException)
        {
            return System.Text.Json.JsonSerializer.Serialize(value);
        }
    }

    private static FilterValue FilterLiteral(object value) => value switch
    {
        long l => new FilterNumber(l),
        double d => new FilterNumber(d),
        bool b => b ? FilterBoolean.True : FilterBoolean.False,
        _ => new FilterString(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty),
    };

    /// <summary>The non-empty lines of <paramref name="text"/> (a description), for <see cref="Fields.Several"/>.</summary>
    public static IEnumerable<string> Lines(string? text) =>
        (text ?? string.Empty).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0);

    /// <summary><paramref name="text"/>, cut to <paramref name="width"/> characters with <c>…</c> when longer.</summary>
    public static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    /// <summary>Items for a table cell, comma-separated, cut with <c>…</c> and how many more after about <paramref name="width"/> characters; <c>-</c> when none.</summary>
    public static string List(IReadOnlyList<string> items, int width = 32)
    {
        if (items.Count == 0)
        {
            return "-";
        }

        var shown = new List<string>();
        var length = 0;
        foreach (var item in items)
        {
            if (shown.Count > 0 && length + 2 + item.Length > width)
            {
                break;
            }

            shown.Add(item);
            length += (shown.Count > 1 ? 2 : 0) + item.Length;
        }

        var text = string.Join(", ", shown);
        text = Cut(text, width);
        return shown.Count == items.Count ? text : string.Create(CultureInfo.InvariantCulture, $"{text}, … (+{items.Count - shown.Count})");
    }

    /// <summary>A setting source as the config file and JSON output name it: <c>user_config</c>, <c>environment</c>, ...</summary>
    public static string Source(SettingSource source) => source switch
    {
        SettingSource.Explicit => "explicit",
        SettingSource.Environment => "environment",
        SettingSource.ProjectConfig => "project_config",
        SettingSource.UserConfig => "user_config",
        SettingSource.Default => "default",
        _ => source.ToString(),
    };
}
