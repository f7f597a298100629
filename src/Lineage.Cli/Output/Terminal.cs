using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Lineage.Cli.Output;

/// <summary>
/// Where a command prints. On a terminal, tables and progress bars come from Spectre.Console; otherwise
/// (pipes, files, tests) output is plain aligned text with no colour, box drawing or line wrapping.
/// </summary>
public sealed class Terminal
{
    /// <summary>
    /// Output for terminals and scripts, never embedded in HTML: keep '&lt;', '+', quotes in code and non-ASCII text readable.
    /// (Control characters are still escaped.)
    /// </summary>
    internal static readonly System.Text.Encodings.Web.JavaScriptEncoder JsonEncoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>The options of every JSON output: indented, snake_case names, <see cref="JsonEncoder"/>.</summary>
    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JsonEncoder,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    // Spectre.Console is loaded only when something is drawn on a terminal: a plain listing starts faster without it (docs/benchmarks.md, CLI start).
    private readonly TextWriter _raw;
    private object? _console;

    private Terminal(TextWriter output, TextWriter error, bool json)
    {
        Out = output;
        Error = error;
        IsJson = json;
        // Spectre writes escape sequences of its own, so it gets the raw writer; the text it renders is escaped cell by cell.
        var raw = output is EscapingWriter escaping ? escaping.Inner : output;
        IsTerminal = ReferenceEquals(raw, System.Console.Out) && !System.Console.IsOutputRedirected;
        _raw = raw;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; }

    /// <summary>True when <c>--json</c> was given.</summary>
    public bool IsJson { get; }

    /// <summary>True when standard output is an interactive terminal.</summary>
    public bool IsTerminal { get; }

    /// <summary>The Spectre console on standard output; use only when <see cref="IsTerminal"/>.</summary>
    public IAnsiConsole Console => (IAnsiConsole)LazyInitializer.EnsureInitialized(ref _console, CreateConsole);

    /// <summary>The terminal of a parsed command line.</summary>
    public static Terminal For(ParseResult parsed, GlobalOptions globals) =>
        new(parsed.InvocationConfiguration.Output, parsed.InvocationConfiguration.Error, parsed.GetValue(globals.Json));

    /// <summary>Writes <paramref name="value"/> as indented JSON with snake_case property names.</summary>
    public void WriteJson<T>(T value) => Out.WriteLine(ToJson(value));

    /// <summary><paramref name="value"/> as the indented JSON <see cref="WriteJson{T}"/> writes, without the line break.</summary>
    public static string ToJson<T>(T value) => JsonSerializer.Serialize(value, JsonOptions);

    /// <summary><paramref name="value"/> as a JSON tree with the tool's property names, to add to before writing it.</summary>
    public static JsonNode? ToJsonNode<T>(T value) => JsonSerializer.SerializeToNode(value, JsonOptions);

    /// <summary>Writes one line.</summary>
    public void Line(string text = "") => Out.WriteLine(text);

    /// <summary>Writes a table: Spectre's on a terminal, aligned columns otherwise.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var materialized = rows.ToList();
        if (IsTerminal)
        {
            DrawTable(headers, materialized);
            return;
        }

        // Loops, not LINQ over the widths: Select/Append/Max over int are generic code ReadyToRun leaves to the JIT, 8 ms of a
        // one-name `lineage ls` (docs/benchmarks.md, CLI start).
        var widths = new int[headers.Count];
        for (var i = 0; i < widths.Length; i++)
        {
            var width = headers[i].Length;
            foreach (var row in materialized)
            {
                width = Math.Max(width, row[i].Length);
            }

            widths[i] = width;
        }

        Out.WriteLine(Row(headers, widths));
        foreach (var row in materialized)
        {
            Out.WriteLine(Row(row, widths));
        }
    }

    private object CreateConsole() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_raw) });

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void DrawTable(IReadOnlyList<string> headers, List<IReadOnlyList<string>> materialized)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(new Text(header, new Style(decoration: Decoration.Bold))));
        }

        foreach (var row in materialized)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(EscapingWriter.Escape(cell))).ToArray());
        }

        Console.Write(table);
    }

    /// <summary>The cells two spaces apart, each but the last padded to its column's width, without trailing white space.</summary>
    private static string Row(IReadOnlyList<string> cells, int[] widths)
    {
        var line = new System.Text.StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                line.Append("  ");
            }

            line.Append(cells[i]);
            if (i < cells.Count - 1 && cells[i].Length < widths[i])
            {
                line.Append(' ', widths[i] - cells[i].Length);
            }
        }

        return line.ToString().TrimEnd();
    }
}
