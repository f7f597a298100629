using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Lineage.Cli.Output;

/// <summary>
/// Everything the CLI writes as text passes through here (<see cref="LineageCli.RunAsync"/> wraps standard output and
/// error), because names, paths, descriptions, type names and error messages come from arguments and stored data, and a
/// terminal obeys control characters in them (ESC starts sequences that clear the screen, retitle the window, hide text).
/// Control characters other than tab and line breaks are shown as <c>\u001B</c>; JSON output already escapes them.
/// </summary>
public sealed class EscapingWriter : TextWriter
{
    /// <summary>The control characters that may need escaping: all but tab and line feed (a carriage return is kept before a line feed).</summary>
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(UnsafeCharacters());

    public EscapingWriter(TextWriter inner)
    {
        Inner = inner;
        CoreNewLine = inner.NewLine.ToCharArray();
    }

    /// <summary>The writer escaped into; Spectre.Console writes its own escape sequences to it directly.</summary>
    public TextWriter Inner { get; }

    public override Encoding Encoding => Inner.Encoding;

    public override IFormatProvider FormatProvider => Inner.FormatProvider;

    /// <summary><paramref name="text"/> with every control character except tab, line feed and a carriage return before a line feed written as <c>\uXXXX</c>.</summary>
    [return: NotNullIfNotNull(nameof(text))]
    public static string? Escape(string? text)
    {
        // One vectorized pass over text with only tabs and line feeds among its control characters (indented JSON, tables).
        var first = text is null ? -1 : text.AsSpan().IndexOfAny(Unsafe);
        if (first < 0)
        {
            return text;
        }

        var escaped = new StringBuilder(text!.Length + 8);
        escaped.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (IsKept(c, next: i + 1 < text.Length ? text[i + 1] : '\0'))
            {
                escaped.Append(c);
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
        }

        return escaped.ToString();
    }

    public override void Write(char value)
    {
        if (IsKept(value, next: '\0'))
        {
            Inner.Write(value);
        }
        else
        {
            Inner.Write(Escape(value.ToString()));
        }
    }

    public override void Write(string? value) => Inner.Write(Escape(value));

    public override void Write(char[] buffer, int index, int count) => Inner.Write(Escape(new string(buffer, index, count)));

    public override void Write(ReadOnlySpan<char> buffer) => Inner.Write(Escape(buffer.ToString()));

    public override void WriteLine() => Inner.WriteLine();

    public override void WriteLine(string? value) => Inner.WriteLine(Escape(value));

    public override Task WriteAsync(char value) => WriteAsync(value.ToString());

    public override Task WriteAsync(string? value) => Inner.WriteAsync(Escape(value));

    public override Task WriteLineAsync() => Inner.WriteLineAsync();

    public override Task WriteLineAsync(string? value) => Inner.WriteLineAsync(Escape(value));

    public override void Flush() => Inner.Flush();

    public override Task FlushAsync() => Inner.FlushAsync();

    private static string UnsafeCharacters()
    {
        var characters = new StringBuilder();
        for (var c = '\0'; c <= '\u009f'; c++)
        {
            if (char.IsControl(c) && c is not '\t' and not '\n')
            {
                characters.Append(c);
            }
        }

        return characters.ToString();
    }

    private static bool IsKept(char c, char next) => !char.IsControl(c) || c is '\t' or '\n' || (c == '\r' && next == '\n');
}
