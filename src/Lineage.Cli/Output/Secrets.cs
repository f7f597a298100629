using System.Text.RegularExpressions;

namespace Lineage.Cli.Output;

/// <summary>Masks what must never be printed: secret storage options and passwords inside URLs.</summary>
public static partial class Secrets
{
    /// <summary>The storage options that hold credentials (the runtime's list; it keeps its own internal).</summary>
    private static readonly HashSet<string> SecretKeys = new(["key", "secret", "session_token"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The storage options with secret values as <c>***</c> and URL passwords masked.</summary>
    public static SortedDictionary<string, string> MaskStorageOptions(IReadOnlyDictionary<string, string> options) =>
        new(options.ToDictionary(o => o.Key, o => SecretKeys.Contains(o.Key) ? "***" : MaskUrl(o.Value)), StringComparer.Ordinal);

    /// <summary><c>scheme://user:password@host</c> becomes <c>scheme://user:***@host</c>.</summary>
    public static string MaskUrl(string value) => UrlPassword().Replace(value, "$1***$2");

    [GeneratedRegex("^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*:)[^@]*(@)")]
    private static partial Regex UrlPassword();
}
