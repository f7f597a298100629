using Lineage.Metadata;
using Lineage.Storage;

namespace Lineage;

/// <summary>
/// Aliases: names like <c>production</c> that point at one version of an artifact, move when set again, and keep their
/// history. <c>NAME@ALIAS</c> works wherever a reference is taken. Reached through <see cref="ArtifactStore.Aliases"/>.
/// </summary>
public sealed class AliasRegistry
{
    private readonly IMetadataStore _metadata;
    private readonly ResolvedOptions _options;
    private readonly StorageAccessRules _access;
    private readonly VersionResolver _versions;
    private readonly StoreLifetime _lifetime;

    internal AliasRegistry(IMetadataStore metadata, ResolvedOptions options, StorageAccessRules access, VersionResolver versions, StoreLifetime lifetime)
    {
        _metadata = metadata;
        _options = options;
        _access = access;
        _versions = versions;
        _lifetime = lifetime;
    }

    /// <summary>Points <paramref name="alias"/> of <paramref name="name"/> at <paramref name="version"/>, creating or moving it; the move is recorded in its history.</summary>
    /// <exception cref="ArgumentException">Not a valid alias: all digits, <c>latest</c>, or characters artifact names do not allow.</exception>
    /// <exception cref="ArtifactNotFoundException">No such version.</exception>
    public AliasRecord Set(string name, string alias, int version) => SetAsync(name, alias, version).GetAwaiter().GetResult();

    /// <inheritdoc cref="Set"/>
    public async Task<AliasRecord> SetAsync(string name, string alias, int version, CancellationToken cancellationToken = default)
    {
        alias = ValidAlias(alias);
        var record = await _versions.FindAsync(name, version, cancellationToken).ConfigureAwait(false);
        if (record.Branch == ArtifactBranch.Trash)
        {
            throw new ArgumentException($"'{record.Name}' version {record.Version} is in the trash; restore it before pointing '{alias}' at it.", nameof(version));
        }

        _lifetime.ThrowIfClosed();
        await _access.EnsureCanAnnotateAsync(record, $"set alias '{alias}' of '{record.Name}'", cancellationToken).ConfigureAwait(false);
        await _metadata.SetAliasAsync(record.Name, alias, record.Uid, _options.User, cancellationToken).ConfigureAwait(false);
        return (await _metadata.ListAliasesAsync(record.Name, cancellationToken).ConfigureAwait(false)).Single(a => a.Alias == alias);
    }

    /// <summary>Removes <paramref name="alias"/> of <paramref name="name"/>; its history keeps the removal.</summary>
    /// <exception cref="ArtifactNotFoundException">The name has no such alias.</exception>
    public void Remove(string name, string alias) => RemoveAsync(name, alias).GetAwaiter().GetResult();

    /// <inheritdoc cref="Remove"/>
    public async Task RemoveAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        name = ValidName(name);
        alias = ValidAlias(alias);
        var record = await _versions.FindByAliasAsync(name, alias, cancellationToken).ConfigureAwait(false);
        _lifetime.ThrowIfClosed();
        await _access.EnsureCanAnnotateAsync(record, $"remove alias '{alias}' of '{name}'", cancellationToken).ConfigureAwait(false);
        await _metadata.RemoveAliasAsync(name, alias, _options.User, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The aliases of <paramref name="name"/> as they stand, by alias.</summary>
    public IReadOnlyList<AliasRecord> List(string name) => ListAsync(name).GetAwaiter().GetResult();

    /// <inheritdoc cref="List"/>
    public Task<IReadOnlyList<AliasRecord>> ListAsync(string name, CancellationToken cancellationToken = default)
    {
        _lifetime.ThrowIfClosed();
        return _metadata.ListAliasesAsync(ValidName(name), cancellationToken);
    }

    /// <summary>Every move of <paramref name="alias"/> of <paramref name="name"/>, oldest first: who, when, from which version to which.</summary>
    public IReadOnlyList<AliasMove> History(string name, string alias) => HistoryAsync(name, alias).GetAwaiter().GetResult();

    /// <inheritdoc cref="History"/>
    public Task<IReadOnlyList<AliasMove>> HistoryAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        _lifetime.ThrowIfClosed();
        return _metadata.AliasHistoryAsync(ValidName(name), ValidAlias(alias), cancellationToken);
    }

    private static string ValidName(string name) => ArtifactName.Validate(name);

    private static string ValidAlias(string alias)
    {
        ArgumentNullException.ThrowIfNull(alias);
        return ArtifactReference.IsValidAlias(alias)
            ? ArtifactName.Normalize(alias)
            : throw new ArgumentException(
                $"'{alias}' is not a valid alias: aliases use the characters of artifact names (letters, digits, '-', '_', '.', '/'), are not all digits (those are versions), and are not '{ArtifactReference.Latest}' (the newest version).",
                nameof(alias));
    }
}
