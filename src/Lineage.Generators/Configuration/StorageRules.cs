using System;
using System.Collections.Generic;
using System.Linq;

namespace Lineage.Generators.Configuration;

/// <summary>One finding about a storage setting: the diagnostic id and its message.</summary>
internal sealed record StorageProblem(string Id, string Message);

/// <summary>
/// The compile-time rules for storage settings, mirroring what the runtime accepts (see the runtime's
/// Configuration folder): URL schemes, SQLite paths, S3 bucket names, storage option keys, credentials.
/// </summary>
internal static class StorageRules
{
    public static readonly string[] KnownOptions = ["profile", "region", "endpoint_url", "force_path_style", "key", "secret", "session_token"];
    public static readonly string[] SecretOptions = ["key", "secret", "session_token"];

    public static IEnumerable<StorageProblem> DatabaseUrl(string url)
    {
        var trimmed = url.Trim();
        if (trimmed.Length == 0)
        {
            yield return new("LIN0001", "database_url is empty: use sqlite:///path/to/db.sqlite or postgresql://user@host:port/database");
            yield break;
        }

        if (trimmed.StartsWith("sqlite:///", StringComparison.OrdinalIgnoreCase))
        {
            var path = trimmed.Substring("sqlite:///".Length);
            if (path.Length == 0 || path is ":memory:" or "/:memory:")
            {
                yield return new("LIN0001", $"database_url '{trimmed}' names no database file: metadata must outlive the process");
            }
            else if (path.Contains("://") || path.StartsWith("//", StringComparison.Ordinal) || path.StartsWith("\\\\", StringComparison.Ordinal))
            {
                yield return new("LIN0006", $"database_url '{Mask(trimmed)}' puts a SQLite database on a non-local location: SQLite needs a local file (its locking does not work on object stores or network shares); use PostgreSQL for shared metadata");
            }
        }
        else if (trimmed.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            yield return new("LIN0001", $"database_url '{Mask(trimmed)}' is not a SQLite URL Lineage understands: write sqlite:///relative/path.sqlite or sqlite:////absolute/path.sqlite");
        }
        else if (trimmed.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                yield return new("LIN0001", $"database_url '{Mask(trimmed)}' is not a PostgreSQL URL: write postgresql://user:password@host:port/database");
            }
        }
        else
        {
            var scheme = SchemeOf(trimmed);
            yield return new("LIN0001", scheme is null
                ? $"database_url '{Mask(trimmed)}' is not a URL: use sqlite:///path/to/db.sqlite or postgresql://user@host:port/database"
                : $"database_url '{Mask(trimmed)}' uses the unsupported scheme '{scheme}': supported are sqlite:///, postgresql://, postgres://");
        }

        if (HasPassword(trimmed))
        {
            yield return new("LIN0004", $"database_url holds a password in plain text ('{Mask(trimmed)}'): it ends up in source control and in the compiled program; set LINEAGE_DATABASE_URL in the environment instead");
        }
    }

    public static IEnumerable<StorageProblem> ArtifactStorageDir(string value)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            yield return new("LIN0002", "artifact_storage_dir is empty: use a folder path or s3://bucket/prefix");
            yield break;
        }

        var scheme = SchemeOf(trimmed)?.ToLowerInvariant();
        switch (scheme)
        {
            case null:
                break;
            case "file":
                if (!trimmed.Substring("file://".Length).StartsWith("/", StringComparison.Ordinal))
                {
                    yield return new("LIN0002", $"artifact_storage_dir '{trimmed}' is not an absolute file URL: write file:///absolute/path");
                }

                break;
            case "s3":
                if (Lineage.Rules.LineageRules.S3LocationProblem(trimmed) is { } problem)
                {
                    yield return new("LIN0002", problem);
                }

                break;
            case "gs":
                yield return new("LIN0002", $"artifact_storage_dir '{trimmed}' uses gs://: reach Google Cloud Storage through its S3-compatible endpoint instead: s3://bucket/prefix with storage_options endpoint_url=https://storage.googleapis.com and HMAC keys");
                break;
            default:
                yield return new("LIN0002", $"artifact_storage_dir '{Mask(trimmed)}' uses the unsupported scheme '{scheme}': supported are a folder path, file:///path and s3://bucket/prefix");
                break;
        }
    }

    /// <summary>The nearest known option for an unknown key, or null when the key is known.</summary>
    public static string? NearestOption(string key) =>
        KnownOptions.Contains(key) ? null : KnownOptions.OrderBy(known => Lineage.Rules.LineageRules.EditDistance(known, key)).First();

    public static bool IsSecretOption(string key) => SecretOptions.Contains(key);

    public static bool HasPassword(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.LastIndexOf('@');
        if (schemeEnd >= 0 && at > schemeEnd && url.IndexOf(':', schemeEnd + 3, at - schemeEnd - 3) >= 0)
        {
            return true;
        }

        return PasswordParameter.IsMatch(url);
    }

    /// <summary>The URL with any password (in user info or a query parameter) replaced by ***, as the runtime masks it.</summary>
    public static string Mask(string url)
    {
        var masked = PasswordParameter.Replace(url, "${name}***");
        var schemeEnd = masked.IndexOf("://", StringComparison.Ordinal);
        var at = masked.LastIndexOf('@');
        if (schemeEnd < 0 || at <= schemeEnd)
        {
            return masked;
        }

        var colon = masked.IndexOf(':', schemeEnd + 3, at - schemeEnd - 3);
        return colon < 0 ? masked : masked.Substring(0, colon + 1) + "***" + masked.Substring(at);
    }

    private static readonly System.Text.RegularExpressions.Regex PasswordParameter = new(
        "(?<name>[?&;](password|pwd|passwd|sslpassword|secret)=)[^&;]*",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    private static string? SchemeOf(string value)
    {
        var end = value.IndexOf("://", StringComparison.Ordinal);
        return end > 1 && value.Take(end).All(c => char.IsLetterOrDigit(c) || c is '+' or '.' or '-') ? value.Substring(0, end) : null;
    }
}
