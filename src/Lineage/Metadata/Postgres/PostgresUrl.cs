using Lineage.Configuration;
using Npgsql;

namespace Lineage.Metadata.Postgres;

/// <summary>
/// Turns <c>postgresql://user:password@host:port/database?param=value</c> (or <c>postgres://</c>) into Npgsql settings.
/// Query parameters use libpq's names (<c>sslmode</c>, <c>application_name</c>, <c>connect_timeout</c>, …);
/// Npgsql's own keywords are accepted too. Anything else is an error rather than silently ignored.
/// </summary>
internal static class PostgresUrl
{
    private static readonly Dictionary<string, string> LibpqToNpgsql = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["command_timeout"] = "Command Timeout",
        ["options"] = "Options",
        ["target_session_attrs"] = "Target Session Attributes",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["search_path"] = "Search Path",
        ["user"] = "Username",
        ["password"] = "Password",
        ["dbname"] = "Database",
        ["host"] = "Host",
        ["port"] = "Port",
    };

    public static NpgsqlConnectionStringBuilder ToConnectionString(DatabaseLocation location)
    {
        if (!Uri.TryCreate(location.Url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new LineageConfigurationException(PostgresBackend.NotAUrl(location.Url).Message + ".");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            // The store runs a handful of statements over and over: let Npgsql prepare them (a URL parameter can override).
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
            // The store leaves no session state behind (no SET, no temporary table, only transaction-scoped advisory locks), so
            // resetting a pooled connection before its next use would be server work on every checkout for nothing.
            NoResetOnClose = true,
        };

        var userInfo = uri.UserInfo;
        if (userInfo.Length > 0)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        builder.Database = database.Length > 0 ? database : builder.Username;

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            var keyword = LibpqToNpgsql.GetValueOrDefault(name, name);
            try
            {
                builder[keyword] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new LineageConfigurationException(
                    $"database_url {location.MaskedUrl} has the query parameter '{name}', which PostgreSQL connections do not accept{(e is ArgumentException ? string.Empty : " with that value")}. " +
                    $"Known: {string.Join(", ", LibpqToNpgsql.Keys.Take(11))}.", e);
            }
        }

        return builder;
    }
}
