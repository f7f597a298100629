#nullable enable
using System;
using System.Text.RegularExpressions;

namespace Lineage.Backends;

/// <summary>Reading the scheme of a URL and hiding its credentials, the same way at run time and at compile time.</summary>
internal static class UrlText
{
    private const string Hidden = "***";

    // A password-like parameter starts after one of these: a URL without any (a SQLite path, a bucket) skips the pattern, which
    // costs a short-lived process (the lineage tool masks the database URL at every start) more than the rest of the open.
    private static readonly char[] ParameterStarts = ['?', '&', ';'];

    /// <summary>
    /// The scheme before <c>://</c> as written (a letter, then letters, digits, '+', '.' or '-'; at least two characters, so
    /// a Windows drive letter is none), or null when <paramref name="value"/> does not start with one.
    /// </summary>
    public static string? SchemeOf(string value)
    {
        var end = value.IndexOf("://", StringComparison.Ordinal);
        if (end < 2 || !IsAsciiLetter(value[0]))
        {
            return null;
        }

        for (var i = 1; i < end; i++)
        {
            var c = value[i];
            if (!IsAsciiLetter(c) && !(c >= '0' && c <= '9') && c != '+' && c != '.' && c != '-')
            {
                return null;
            }
        }

        return value.Substring(0, end);
    }

    /// <summary>
    /// The URL with any password (in user info, or a password-like query parameter) replaced by <c>***</c>: the only form
    /// that may reach messages, logs or diagnostics. Works on text too malformed to parse, with or without a scheme.
    /// </summary>
    public static string Mask(string url)
    {
        var masked = url.IndexOfAny(ParameterStarts) < 0 ? url : Patterns.PasswordParameter.Replace(url, "${name}" + Hidden);

        // user:password@host — the password runs to the last '@', so an unescaped '@' inside it is still hidden.
        var at = masked.LastIndexOf('@');
        if (at < 0)
        {
            return masked;
        }

        var schemeEnd = masked.IndexOf("://", StringComparison.Ordinal);
        var userInfoStart = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
        var colon = masked.IndexOf(':', userInfoStart, at - userInfoStart);
        return colon < 0 ? masked : masked.Remove(colon + 1, at - colon - 1).Insert(colon + 1, Hidden);
    }

    /// <summary>True when <see cref="Mask"/> would hide something: the URL carries a password.</summary>
    public static bool HasPassword(string url) => !string.Equals(Mask(url), url, StringComparison.Ordinal);

    /// <summary>"a, b and c", for the lists of supported forms in messages.</summary>
    public static string JoinWithAnd(System.Collections.Generic.IReadOnlyList<string> items) =>
        items.Count <= 1 ? string.Join(string.Empty, items) : string.Join(", ", Take(items, items.Count - 1)) + " and " + items[items.Count - 1];

    private static System.Collections.Generic.IEnumerable<string> Take(System.Collections.Generic.IReadOnlyList<string> items, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return items[i];
        }
    }

    /// <summary>Built on first use only (a static class of its own, so reading <see cref="ParameterStarts"/> does not build it).</summary>
    private static class Patterns
    {
        public static readonly Regex PasswordParameter = new(
            "(?<name>[?&;](password|pwd|passwd|sslpassword|secret|sig)=)[^&;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    private static bool IsAsciiLetter(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
