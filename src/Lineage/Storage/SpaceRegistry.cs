using Lineage.Metadata;
using Lineage.Storage;

namespace Lineage;

/// <summary>
/// Spaces and their members (LaminDB's spaces). A storage location moved into a space (<see cref="StorageRegistry.SetSpace"/>)
/// may only be written, and its artifacts read, by the space's members. Users are named by <c>LINEAGE_USER</c> or the OS user.
/// Reached through <see cref="ArtifactStore.Spaces"/>.
/// </summary>
/// <remarks>
/// Lineage checks membership itself, in every process that uses the library: it keeps cooperating users from using locations
/// by mistake, and it is not a security boundary against someone with direct access to the database or the files.
/// See docs/storage.md for what each backend enforces.
/// </remarks>
public sealed class SpaceRegistry
{
    private readonly IMetadataStore _metadata;
    private readonly ResolvedOptions _options;
    private readonly StorageAccessRules _access;

    internal SpaceRegistry(IMetadataStore metadata, ResolvedOptions options, StorageAccessRules access)
    {
        _metadata = metadata;
        _options = options;
        _access = access;
    }

    /// <summary>Every space, <see cref="SpaceRecord.All"/> first.</summary>
    public IReadOnlyList<SpaceRecord> List() => ListAsync().GetAwaiter().GetResult();

    /// <inheritdoc cref="List"/>
    public Task<IReadOnlyList<SpaceRecord>> ListAsync(CancellationToken cancellationToken = default) => _metadata.ListSpacesAsync(cancellationToken);

    /// <summary>Creates a space, or returns the existing one with that name. The creator becomes its first member; asking again for an existing space changes no membership.</summary>
    public SpaceRecord Add(string name, string? description = null) => AddAsync(name, description).GetAwaiter().GetResult();

    /// <inheritdoc cref="Add"/>
    public async Task<SpaceRecord> AddAsync(string name, string? description = null, CancellationToken cancellationToken = default)
    {
        var (space, _) = await _metadata.AddSpaceAsync(ValidName(name), description, _options.User, cancellationToken).ConfigureAwait(false);
        return space;
    }

    /// <summary>The space named <paramref name="name"/>.</summary>
    /// <exception cref="LineageException">There is no such space.</exception>
    public SpaceRecord Get(string name) => GetAsync(name).GetAwaiter().GetResult();

    /// <inheritdoc cref="Get"/>
    public async Task<SpaceRecord> GetAsync(string name, CancellationToken cancellationToken = default) =>
        await _metadata.FindSpaceAsync(ValidName(name), cancellationToken).ConfigureAwait(false)
            ?? throw new LineageException($"There is no space named '{name}' in {_options.MaskedDatabaseUrl}. Create it with store.Spaces.Add(\"{name}\").");

    /// <summary>Adds <paramref name="user"/> to the space; nothing changes when they are a member already. Only members may add members.</summary>
    /// <exception cref="SpaceAccessDeniedException">The current user is not a member of the space.</exception>
    public void AddMember(string space, string user) => AddMemberAsync(space, user).GetAwaiter().GetResult();

    /// <inheritdoc cref="AddMember"/>
    public async Task AddMemberAsync(string space, string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var record = await GetMemberOfAsync(space, $"add '{user}' to space '{space}'", cancellationToken).ConfigureAwait(false);
        await _metadata.AddMemberAsync(record.Id, user.Trim(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes <paramref name="user"/> from the space. Only members may remove members.</summary>
    /// <exception cref="SpaceAccessDeniedException">The current user is not a member of the space.</exception>
    public void RemoveMember(string space, string user) => RemoveMemberAsync(space, user).GetAwaiter().GetResult();

    /// <inheritdoc cref="RemoveMember"/>
    public async Task RemoveMemberAsync(string space, string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        var record = await GetMemberOfAsync(space, $"remove '{user}' from space '{space}'", cancellationToken).ConfigureAwait(false);
        await _metadata.RemoveMemberAsync(record.Id, user.Trim(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The members of the space, sorted. <see cref="SpaceRecord.All"/> has everyone and lists nobody.</summary>
    public IReadOnlyList<string> Members(string space) => MembersAsync(space).GetAwaiter().GetResult();

    /// <inheritdoc cref="Members"/>
    public async Task<IReadOnlyList<string>> MembersAsync(string space, CancellationToken cancellationToken = default)
    {
        var record = await GetAsync(space, cancellationToken).ConfigureAwait(false);
        return await _metadata.MembersAsync(record.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<SpaceRecord> GetMemberOfAsync(string space, string operation, CancellationToken cancellationToken)
    {
        var record = await GetAsync(space, cancellationToken).ConfigureAwait(false);
        await _access.EnsureMemberOfSpaceAsync(record, string.Empty, operation, "ask a member", cancellationToken).ConfigureAwait(false);
        return record;
    }

    private static string ValidName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return name.Trim();
    }
}
