using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Lineage.Cli.Output;

namespace Lineage.Cli.Ui;

/// <summary>
/// HTML built as text, where every piece of store data goes through <see cref="Text"/> (element content and attribute values)
/// or <see cref="Url"/> (query parameters): names, metadata, code and messages never reach a page unescaped.
/// </summary>
internal static class Html
{
    // Every script-significant character is encoded; letters of any language stay readable.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Text escaped for element content or a double-quoted attribute value.</summary>
    public static string Text(string? text) => text is null ? string.Empty : Encoder.Encode(text);

    /// <summary>A relative URL to <paramref name="path"/> with the given query parameters (escaped for the URL, then for HTML).</summary>
    public static string Url(string path, params (string Key, string? Value)[] query)
    {
        var builder = new StringBuilder(path);
        var separator = '?';
        foreach (var (key, value) in query)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            builder.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return Text(builder.ToString());
    }

    /// <summary>A link.</summary>
    public static string Link(string href, string text) => $"<a href=\"{href}\">{Text(text)}</a>";

    /// <summary>The page of one version.</summary>
    public static string VersionUrl(string name, int version) => Url("/version", ("name", name), ("v", Number(version)));

    /// <summary>A link to the page of one version, labelled NAME@VERSION.</summary>
    public static string VersionLink(string name, int version) => Link(VersionUrl(name, version), $"{name}@{Number(version)}");

    /// <summary>A link to an artifact's page.</summary>
    public static string ArtifactLink(string name) => Link(Url("/artifact", ("name", name)), name);

    /// <summary>A link to a run's page, labelled with its name.</summary>
    public static string RunLink(string uid, string label) => Link(Url("/run", ("uid", uid)), label);

    /// <summary>An integer as invariant text.</summary>
    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Tags and aliases as chips.</summary>
    public static string Chips(IEnumerable<string> items, string css) => string.Concat(items.Select(i => $"<span class=\"{css}\">{Text(i)}</span>"));

    /// <summary>Metadata as <c>key=value</c> lines.</summary>
    public static string Metadata(IReadOnlyDictionary<string, object> metadata) =>
        string.Join("<br>", metadata.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => Text(Formats.MetadataEntry(m.Key, m.Value))));

    /// <summary>A table of <c>key: value</c> rows; values are HTML already.</summary>
    public static string Fields(IEnumerable<(string Key, string ValueHtml)> rows)
    {
        var builder = new StringBuilder("<table class=\"fields\">");
        foreach (var (key, value) in rows)
        {
            builder.Append("<tr><th>").Append(Text(key)).Append("</th><td>").Append(value).Append("</td></tr>");
        }

        return builder.Append("</table>").ToString();
    }

    /// <summary>A whole page: the header with the navigation, the title, and <paramref name="body"/> (HTML).</summary>
    public static string Page(string title, string storeLabel, string body) =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{Text(title)} · lineage</title>
        <link rel="stylesheet" href="/assets/ui.css">
        </head>
        <body>
        <header><a class="brand" href="/">lineage</a><a href="/">Artifacts</a><a href="/runs">Runs</a><a href="/storage">Storage</a><span class="store">{Text(storeLabel)} · read-only</span></header>
        <main>
        <h1>{Text(title)}</h1>
        {body}
        </main>
        </body>
        </html>
        """;
}
