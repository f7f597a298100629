using System.Text.RegularExpressions;

namespace Lineage.Configuration;

internal enum DatabaseKind
{
    Sqlite,
    Postgres,
}

/// <summary>A parsed <c>database_url</c>: which engine, and for SQLite the absolute file path.</summary>
internal sealed record DatabaseLocation(DatabaseKind Kind, string Url, string? SqlitePath)
{
    private const string SqlitePrefix = "sqlite:///";

    /// <summary>The URL with any password replaced by <c>***</c>: the only form that may reach messages or logs.</summary>
    public string MaskedUrl => UrlMasking.Mask(Url);

    /// <summary>
    /// Parses <paramref name="url"/>. SQLite follows SQLAlchemy: <c>sqlite:///relative/path</c> is relative to
    /// <paramref name="baseDirectory"/>, <c>sqlite:////absolute/path</c> (or <c>sqlite:///C:/path</c>) is absolute.
    /// </summary>
    public static DatabaseLocation Parse(string url, string baseDirectory, string userHome)
    {
        var trimmed = url.Trim();
        if (trimmed.Length == 0)
        {
            throw new LineageConfigurationException("database_url is empty. Use sqlite:///path/to/db.sqlite or postgresql://user@host:port/database.");
        }

        if (trimmed.StartsWith(SqlitePrefix, StringComparison.OrdinalIgnoreCase))
        {
            var path = trimmed[SqlitePrefix.Length..];
            if (path.Length == 0 || path == ":memory:" || path == "/:memory:")
            {
                throw new LineageConfigurationException(
                    $"database_url '{trimmed}' names no database file. Metadata must outlive the process: use sqlite:///relative/path.sqlite or sqlite:////absolute/path.sqlite.");
            }

            var full = LocalPaths.Resolve(path, baseDirectory, userHome);
            return new DatabaseLocation(DatabaseKind.Sqlite, SqlitePrefix + LocalPaths.ToUrlPath(full), full);
        }

        if (trimmed.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            throw new LineageConfigurationException(
                $"database_url '{UrlMasking.Mask(trimmed)}' is not a SQLite URL Lineage understands: write sqlite:///relative/path.sqlite or sqlite:////absolute/path.sqlite (three slashes, then the path).");
        }

        if (trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseLocation(DatabaseKind.Postgres, trimmed, null);
        }

        var scheme = UrlMasking.SchemeOf(trimmed);
        throw new LineageConfigurationException(scheme is null
            ? $"database_url '{UrlMasking.Mask(trimmed)}' is not a URL. Use sqlite:///path/to/db.sqlite or postgresql://user@host:port/database."
            : $"database_url '{UrlMasking.Mask(trimmed)}' uses the unsupported scheme '{scheme}'. Supported: sqlite:///, postgresql://, postgres://.");
    }
}

/// <summary>Hides credentials in URLs before they are shown anywhere, including URLs too malformed to parse.</summary>
internal static partial class UrlMasking
{
    private const string Hidden = "***";

    public static string Mask(string url)
    {
        var masked = PasswordParameterPattern().Replace(url, "${name}" + Hidden);

        // user:password@host — the password runs to the last '@', so an unescaped '@' inside it is still hidden.
        var at = masked.LastIndexOf('@');
        if (at < 0)
        {
            return masked;
        }

        var schemeEnd = masked.IndexOf("://", StringComparison.Ordinal);
        var userInfoStart = schemeEnd >= 0 && schemeEnd < at ? schemeEnd + 3 : 0;
        var colon = masked.IndexOf(':', userInfoStart, at - userInfoStart);
        return colon < 0 ? masked : masked[..(colon + 1)] + Hidden + masked[at..];
    }

    public static string? SchemeOf(string value)
    {
        var match = SchemePattern().Match(value);
        return match.Success ? match.Groups["scheme"].Value : null;
    }

    [GeneratedRegex(@"(?<name>[?&;](password|pwd|passwd|sslpassword|secret)=)[^&;]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PasswordParameterPattern();

    [GeneratedRegex(@"^(?<scheme>[A-Za-z][A-Za-z0-9+.\-]+)://", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePattern();
}
