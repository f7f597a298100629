using Lineage.Metadata;

namespace Lineage;

/// <summary>
/// Turns a reference (<c>NAME</c>, <c>NAME@VERSION</c>, <c>NAME@ALIAS</c>) into a version's record, or a not-found that says
/// what there is instead. The store and its registries resolve through it, so every API taking a reference checks it alike.
/// </summary>
internal sealed class VersionResolver(IMetadataStore metadata, ResolvedOptions options, StoreLifetime lifetime)
{
    /// <summary>The version <paramref name="reference"/> names, or <paramref name="version"/> of it (null: the latest); on any branch.</summary>
    public async Task<ArtifactRecord> FindAsync(string reference, int? version, CancellationToken cancellationToken)
    {
        lifetime.ThrowIfClosed();
        var (name, resolvedVersion, alias) = Parse(reference, version);
        if (alias is not null)
        {
            return await FindByAliasAsync(name, alias, cancellationToken).ConfigureAwait(false);
        }

        var record = await metadata.FindAsync(name, resolvedVersion, cancellationToken).ConfigureAwait(false);
        return record ?? throw await NotFoundAsync(name, resolvedVersion, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The parts of a reference, checked as every API taking one checks it.</summary>
    public (string Name, int? Version, string? Alias) Parse(string reference)
    {
        lifetime.ThrowIfClosed();
        return Parse(reference, null);
    }

    /// <summary>Resolves a reference and an explicit version into a name and version (null: the latest), or an alias.</summary>
    public static (string Name, int? Version, string? Alias) Parse(string reference, int? version)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var parsed = ArtifactReference.TryParse(reference, out var r, out var error) ? r : throw new ArgumentException(error, nameof(reference));
        if (version is { } v)
        {
            if (v < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(version), v, "Versions are whole numbers from 1.");
            }

            if (parsed.Version is { } named && named != v || parsed.Alias is not null)
            {
                throw new ArgumentException($"'{reference}' already names {(parsed.Alias is null ? "version " + parsed.Version : "alias '" + parsed.Alias + "'")}; it cannot also be version {v}. Pass the name alone, or no version.", nameof(version));
            }
        }

        return (parsed.Name, parsed.Version ?? version, parsed.Alias);
    }

    /// <summary>The version <paramref name="alias"/> of <paramref name="name"/> points at, or a not-found naming the alias.</summary>
    public async Task<ArtifactRecord> FindByAliasAsync(string name, string alias, CancellationToken cancellationToken) =>
        await metadata.FindByAliasAsync(name, alias, cancellationToken).ConfigureAwait(false)
        ?? throw new ArtifactNotFoundException(name, null, $"Artifact '{name}' has no alias '{alias}' in {options.MaskedDatabaseUrl}.") { Alias = alias };

    /// <summary>Why <paramref name="name"/> (at <paramref name="version"/>) was not found: no such version, only trashed ones, or no such name.</summary>
    public async Task<ArtifactNotFoundException> NotFoundAsync(string name, int? version, CancellationToken cancellationToken)
    {
        var where = $"in {options.MaskedDatabaseUrl}";
        if (version is { } v)
        {
            return new ArtifactNotFoundException(name, version, $"Artifact '{name}' has no version {v} {where}.");
        }

        var trashed = await metadata.CountAsync(name, ArtifactBranch.Trash, cancellationToken).ConfigureAwait(false);
        return new ArtifactNotFoundException(name, null, trashed > 0
            ? $"Artifact '{name}' has no live version {where}; {trashed} version(s) are in the trash and can be restored."
            : $"No artifact named '{name}' {where}.");
    }
}
