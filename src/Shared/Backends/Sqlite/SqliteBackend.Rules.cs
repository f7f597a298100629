#nullable enable
using System;
using System.Collections.Generic;
using Lineage.Backends;

namespace Lineage.Metadata.Sqlite;

/// <summary>
/// A SQLite file on this machine. URLs follow SQLAlchemy: <c>sqlite:///relative/path</c> is relative,
/// <c>sqlite:////absolute/path</c> (or <c>sqlite:///C:/path</c>) is absolute.
/// </summary>
internal sealed partial class SqliteBackend : MetadataBackend
{
    public const string Prefix = "sqlite:///";

    public override IReadOnlyList<string> Schemes { get; } = ["sqlite"];

    public override string Example => "sqlite:///path/to/db.sqlite";

    // "sqlite:relative.db" has no "://" yet is plainly meant for SQLite: it gets SQLite's advice, not "not a URL".
    public override bool Answers(string url, string? scheme) => url.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase);

    public override IEnumerable<StorageProblem> Problems(string url)
    {
        if (!url.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            yield return new(StorageProblemCode.InvalidDatabaseUrl,
                $"database_url '{UrlText.Mask(url)}' is not a SQLite URL Lineage understands: write sqlite:///relative/path.sqlite or sqlite:////absolute/path.sqlite (three slashes, then the path)");
            yield break;
        }

        var path = url.Substring(Prefix.Length);
        if (path.Length == 0 || path is ":memory:" or "/:memory:")
        {
            yield return new(StorageProblemCode.InvalidDatabaseUrl,
                $"database_url '{UrlText.Mask(url)}' names no database file: metadata must outlive the process; use sqlite:///relative/path.sqlite or sqlite:////absolute/path.sqlite");
        }
        else if (path.Contains("://") || path.StartsWith("//", StringComparison.Ordinal) || path.StartsWith("\\\\", StringComparison.Ordinal))
        {
            yield return new(StorageProblemCode.NonLocalSqlite,
                $"database_url '{UrlText.Mask(url)}' puts a SQLite database on a non-local location: SQLite needs a local file (its locking does not work on object stores or network shares); use PostgreSQL for shared metadata");
        }
    }
}
