#nullable enable
using System;
using System.Collections.Generic;
using Lineage.Backends;

namespace Lineage.Metadata.Postgres;

/// <summary>A PostgreSQL server: <c>postgresql://user:password@host:port/database?parameters</c> (or <c>postgres://</c>).</summary>
internal sealed partial class PostgresBackend : MetadataBackend
{
    public override IReadOnlyList<string> Schemes { get; } = ["postgresql", "postgres"];

    public override string Example => "postgresql://user@host:port/database";

    public override IEnumerable<StorageProblem> Problems(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            yield return NotAUrl(url);
        }
    }

    /// <summary>The problem of a URL that does not parse as a PostgreSQL URL.</summary>
    public static StorageProblem NotAUrl(string url) => new(StorageProblemCode.InvalidDatabaseUrl,
        $"database_url '{UrlText.Mask(url)}' is not a PostgreSQL URL: write postgresql://user:password@host:port/database");
}
