#nullable enable
using System.Collections.Generic;
using Lineage.Backends;

namespace Lineage.Metadata;

/// <summary>
/// One kind of metadata database (SQLite, PostgreSQL), keyed by the URL schemes it answers. This part holds the rules
/// that need nothing but the URL, and is compiled into the analyzers too; the runtime's part
/// (<c>src/Lineage/Metadata/MetadataBackend.cs</c>) adds parsing against a machine and opening the store.
/// </summary>
internal abstract partial class MetadataBackend
{
    /// <summary>The URL schemes it answers, lower case.</summary>
    public abstract IReadOnlyList<string> Schemes { get; }

    /// <summary>An example URL, for messages.</summary>
    public abstract string Example { get; }

    /// <summary>True when <paramref name="url"/> (trimmed) is meant for this backend, even when malformed.</summary>
    public virtual bool Answers(string url, string? scheme) => scheme is not null && Contains(Schemes, scheme.ToLowerInvariant());

    /// <summary>Why <paramref name="url"/> (trimmed, answered by this backend) cannot be used; empty when it can. Passwords are checked by the catalog.</summary>
    public abstract IEnumerable<StorageProblem> Problems(string url);

    private static bool Contains(IReadOnlyList<string> items, string item)
    {
        foreach (var candidate in items)
        {
            if (candidate == item)
            {
                return true;
            }
        }

        return false;
    }
}
