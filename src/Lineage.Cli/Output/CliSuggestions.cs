using System.Text.RegularExpressions;

namespace Lineage.Cli.Output;

/// <summary>
/// Runtime errors advise the C# call that fixes them; on the command line the advice is the command that does the same.
/// Advice with no command (spaces have none) stays as it is.
/// </summary>
internal static partial class CliSuggestions
{
    /// <summary><paramref name="message"/> with each C# call that has a <c>lineage</c> command replaced by that command.</summary>
    public static string ForCommandLine(string message)
    {
        message = StoragesAdd().Replace(message, m => $"'lineage storage add {Quoted(m.Groups["root"].Value)}'");
        message = StoragesMigrate().Replace(message, "'lineage storage migrate FROM TO'");
        return message;
    }

    private static string Quoted(string value) =>
        value.Any(char.IsWhiteSpace) || value.Contains('\'', StringComparison.Ordinal) ? $"\"{value}\"" : value;

    [GeneratedRegex("""store\.Storages\.Add\("(?<root>[^"]*)"\)""")]
    private static partial Regex StoragesAdd();

    // The bare method name, as in "(store.Storages.Migrate)" or "Move them with store.Storages.Migrate, or ...".
    [GeneratedRegex("""store\.Storages\.Migrate\b(?!\()""")]
    private static partial Regex StoragesMigrate();
}
