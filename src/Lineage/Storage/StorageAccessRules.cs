using Lineage.Metadata;
using Lineage.Values;

namespace Lineage.Storage;

/// <summary>
/// Who may touch a storage root, decided in one place: the root must be on this host (for a folder), written by this
/// instance (its marker), and in a space the user is a member of. The store and the registries ask this component; none of
/// them repeats a check.
/// </summary>
internal sealed class StorageAccessRules(IMetadataStore metadata, WritingInstanceGuard guard, Func<string, IValueStore> valuesAt, string host, string user)
{
    // For saves, whose insert checks the space again in the same statement, a membership confirmed in the last few seconds is
    // not asked for again (a denial is never remembered); that saves PostgreSQL a round trip per save.
    private const long MembershipMemoryMilliseconds = 5_000;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _membershipConfirmedAt = new();

    /// <summary>This instance's uid, as roots' markers name their writer.</summary>
    public string InstanceUid => guard.InstanceUid;

    /// <summary>This machine, as folders' records name theirs.</summary>
    public string Host => host;

    /// <summary>True for a root this machine can reach: one in the cloud (no host), or a folder on this host.</summary>
    public bool IsOnThisHost(string? rootHost) => rootHost is null || string.Equals(rootHost, host, StringComparison.Ordinal);

    /// <summary>Every write path's check: the root is on this host, its marker names this instance, and the user is in its space.</summary>
    public Task EnsureCanWriteAsync(StorageRecord storage, string operation, CancellationToken cancellationToken) =>
        EnsureCanWriteAsync(storage.Id, storage.Root, storage.Host, operation, cancellationToken);

    /// <inheritdoc cref="EnsureCanWriteAsync(StorageRecord, string, CancellationToken)"/>
    public Task EnsureCanWriteAsync(ArtifactRecord record, string operation, CancellationToken cancellationToken) =>
        EnsureCanWriteAsync(record.StorageId, record.StorageRoot, record.StorageHost, operation, cancellationToken);

    /// <summary>
    /// Every write path's check for the root <paramref name="root"/> (stored as <paramref name="storageId"/>, on <paramref name="rootHost"/>);
    /// <paramref name="operation"/> completes "Cannot ..." in errors. With <paramref name="membershipMayBeRemembered"/> (saves), a
    /// membership confirmed a few seconds ago is not asked for again.
    /// </summary>
    public async Task EnsureCanWriteAsync(long storageId, string root, string? rootHost, string operation, CancellationToken cancellationToken, bool membershipMayBeRemembered = false)
    {
        EnsureOnThisHost(root, rootHost, operation);
        var claim = await guard.ClaimAsync(valuesAt(root), claimIfUnmarked: false, cancellationToken).ConfigureAwait(false);
        guard.EnsureWritable(claim, operation);
        if (membershipMayBeRemembered && _membershipConfirmedAt.TryGetValue(storageId, out var at) && Environment.TickCount64 - at < MembershipMemoryMilliseconds)
        {
            return;
        }

        await EnsureSpaceMemberAsync(storageId, root, operation, cancellationToken).ConfigureAwait(false);
        _membershipConfirmedAt[storageId] = Environment.TickCount64;
    }

    /// <summary>Reading a value (or reading from a root): the root must be on this host and the user in its space.</summary>
    public async Task EnsureCanReadAsync(long storageId, string root, string? rootHost, string operation, CancellationToken cancellationToken)
    {
        EnsureOnThisHost(root, rootHost, operation);
        await EnsureSpaceMemberAsync(storageId, root, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A folder on another machine is never used from here: the same path here may hold other files.</summary>
    public void EnsureOnThisHost(string root, string? rootHost, string operation)
    {
        if (!IsOnThisHost(rootHost))
        {
            throw new StorageAccessException(root,
                $"Cannot {operation}: its storage root '{root}' is a folder on host '{rootHost}', and this machine is host '{host}'. " +
                $"The same path here may hold other files, so Lineage does not use it. Run on '{rootHost}', or migrate the artifacts to a location both " +
                $"machines reach (store.Storages.Migrate). If this machine is '{rootHost}', set LINEAGE_HOST (or the host setting) to '{rootHost}'.");
        }
    }

    /// <summary>The user must be a member of the root's space.</summary>
    public async Task EnsureSpaceMemberAsync(long storageId, string root, string operation, CancellationToken cancellationToken) =>
        EnsureMember(await metadata.StorageAccessAsync(storageId, user, cancellationToken).ConfigureAwait(false), root, operation);

    /// <summary>Throws unless <paramref name="access"/> (read for this user) says the user is a member of the root's space.</summary>
    public void EnsureMember(StorageAccess access, string root, string operation)
    {
        if (!access.IsMember)
        {
            throw new SpaceAccessDeniedException(root, access.Space, user,
                $"Cannot {operation}: storage root '{root}' is in space '{access.Space}', and user '{user}' is not a member of it. " +
                $"A member can add them: store.Spaces.AddMember(\"{access.Space}\", \"{user}\").");
        }
    }

    /// <summary>Annotations and aliases are metadata: they need the location's space, not its host or writing instance.</summary>
    public Task EnsureCanAnnotateAsync(ArtifactRecord record, string operation, CancellationToken cancellationToken) =>
        EnsureSpaceMemberAsync(record.StorageId, record.StorageRoot, operation, cancellationToken);

    /// <summary>
    /// Throws unless the user is a member of <paramref name="space"/> (everyone is in <see cref="SpaceRecord.All"/>), for managing the
    /// space itself or moving <paramref name="root"/> into it; <paramref name="advice"/> ends the message.
    /// </summary>
    public async Task EnsureMemberOfSpaceAsync(SpaceRecord space, string root, string operation, string advice, CancellationToken cancellationToken)
    {
        if (space.Name != SpaceRecord.All && !(await metadata.MembersAsync(space.Id, cancellationToken).ConfigureAwait(false)).Contains(user))
        {
            throw new SpaceAccessDeniedException(root, space.Name, user, $"Cannot {operation}: user '{user}' is not a member of space '{space.Name}'; {advice}.");
        }
    }

    /// <summary>Forgets a remembered membership, after the database refused a write the memory allowed.</summary>
    public void ForgetMembership(long storageId) => _membershipConfirmedAt.TryRemove(storageId, out _);

    /// <summary>
    /// What the root's marker says: with <paramref name="fresh"/>, read now rather than remembered (the root may have been
    /// released and claimed since).
    /// </summary>
    public Task<StorageClaim> ReadClaimAsync(string root, bool fresh, CancellationToken cancellationToken)
    {
        if (fresh)
        {
            guard.Forget(root);
        }

        return guard.ClaimAsync(valuesAt(root), claimIfUnmarked: false, cancellationToken);
    }

    /// <summary>Claims the root for this instance when it has no marker yet (writing one), else reports what its marker says now.</summary>
    public Task<StorageClaim> ClaimAsync(string root, string? storageUid, CancellationToken cancellationToken)
    {
        guard.Forget(root);
        return guard.ClaimAsync(valuesAt(root), claimIfUnmarked: true, cancellationToken, storageUid);
    }

    /// <summary>Throws unless the claim lets this instance write (see <see cref="WritingInstanceGuard.EnsureWritable"/>).</summary>
    public void EnsureWritable(StorageClaim claim, string operation) => guard.EnsureWritable(claim, operation);

    /// <summary>Removes the root's marker when it names this instance: the root is free again.</summary>
    public async Task ReleaseAsync(string root, CancellationToken cancellationToken)
    {
        var claim = await ReadClaimAsync(root, fresh: true, cancellationToken).ConfigureAwait(false);
        if (claim.Marker?.InstanceUid == InstanceUid)
        {
            await valuesAt(root).DeleteAsync(StorageMarker.Key, cancellationToken).ConfigureAwait(false);
        }

        guard.Forget(root);
    }

    /// <summary>A migration target whose marker names another instance is refused, with advice that fits a target.</summary>
    public void EnsureNotForeignTarget(StorageClaim claim, string operation)
    {
        if (claim.Marker is { } marker && !string.Equals(marker.InstanceUid, InstanceUid, StringComparison.Ordinal))
        {
            throw ForeignTarget(claim.Root, marker, operation);
        }
    }

    /// <summary>The error for a migration target whose marker names another instance.</summary>
    public ReadOnlyStorageException ForeignTarget(string root, StorageMarker marker, string operation)
    {
        var owner = string.IsNullOrEmpty(marker.Database) ? $"instance '{marker.InstanceUid}'" : $"instance '{marker.InstanceUid}' ({marker.Database})";
        return new ReadOnlyStorageException(root, marker.InstanceUid,
            $"Cannot {operation}: the migration target '{root}' is written by {owner}, and this instance ('{InstanceUid}') may only read it. " +
            "Migrate into a location this instance writes, or a new folder or prefix of its own.");
    }
}
