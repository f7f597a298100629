namespace Lineage;

/// <summary>Which old versions <see cref="ArtifactStore.Prune(RetentionPolicy, string?, bool)"/> moves to the trash.</summary>
/// <remarks>
/// A live version goes when it matches every rule given: it is not among the <see cref="KeepLast"/> newest live versions of its
/// name, and it was saved longer than <see cref="OlderThan"/> ago. At least one rule must be given. Whatever the rules say, a version
/// an alias points at stays, and so does every version that a version which stays was computed from, transitively
/// (<see cref="ArtifactStore.Lineage"/>): pruning never breaks the provenance of what is kept.
/// </remarks>
public sealed record RetentionPolicy
{
    /// <summary>How many of the newest live versions of each name to keep (1 or more); null: no count rule.</summary>
    public int? KeepLast { get; init; }

    /// <summary>Only versions saved longer ago than this go (more than zero); null: no age rule.</summary>
    public TimeSpan? OlderThan { get; init; }
}

/// <summary>What a prune moved (or, in a dry run, would move) to the trash.</summary>
/// <param name="DryRun">True when nothing was changed.</param>
/// <param name="Removed">The versions moved to the trash, by name, then version.</param>
/// <param name="Protected">Versions the rules selected but that stay: aliased, or inputs (transitively) of versions that stay.</param>
/// <param name="BytesFreed">The bytes that emptying the trash would then free: each stored value counted once, and only when no version outside the trash points at it.</param>
/// <param name="EmptiedNames">Names left without a live version: the policy removes everything they had.</param>
public sealed record PruneResult(bool DryRun, IReadOnlyList<ArtifactRecord> Removed, IReadOnlyList<ArtifactRecord> Protected, long BytesFreed, IReadOnlyList<string> EmptiedNames);

/// <summary>What emptying the trash deleted (or, in a dry run, would delete) permanently.</summary>
/// <param name="DryRun">True when nothing was changed.</param>
/// <param name="Deleted">The versions deleted, by name, then version.</param>
/// <param name="BytesFreed">The bytes of the stored values removed with them, each counted once (values other versions still point at stay).</param>
public sealed record TrashEmptyResult(bool DryRun, IReadOnlyList<ArtifactRecord> Deleted, long BytesFreed);

/// <summary>Retention: pruning old versions into the trash, and emptying it.</summary>
public sealed partial class ArtifactStore
{
    /// <summary>
    /// Moves the versions that <paramref name="policy"/> selects to the trash: of <paramref name="name"/>, or of every name when null.
    /// Aliased versions and the inputs (transitively) of every version that stays are never moved.
    /// </summary>
    /// <param name="policy">Which versions go.</param>
    /// <param name="name">The artifact to prune; null for all.</param>
    /// <param name="dryRun">Only say what would go.</param>
    /// <exception cref="ArgumentException">The policy gives no rule, or a rule out of range (keep-last under 1, an age of zero or less).</exception>
    /// <exception cref="ArtifactNotFoundException"><paramref name="name"/> has no live version.</exception>
    public PruneResult Prune(RetentionPolicy policy, string? name = null, bool dryRun = false) => PruneAsync(policy, name, dryRun).GetAwaiter().GetResult();

    /// <inheritdoc cref="Prune"/>
    public async Task<PruneResult> PruneAsync(RetentionPolicy policy, string? name = null, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.KeepLast is null && policy.OlderThan is null)
        {
            throw new ArgumentException("A retention policy needs KeepLast, OlderThan, or both: without a rule it would select every version.", nameof(policy));
        }

        if (policy.KeepLast is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy.KeepLast, $"KeepLast must be 1 or more (was {policy.KeepLast}): it is how many of the newest versions of each name stay.");
        }

        if (policy.OlderThan is { } age && age <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(policy), age, $"OlderThan must be more than zero (was {age}).");
        }

        if (name is not null)
        {
            name = ArtifactName.Validate(name);
        }

        var all = await _metadata.ListAllAsync(null, cancellationToken).ConfigureAwait(false);
        var live = all.Where(r => r.Branch == ArtifactBranch.Main).ToList();
        if (name is not null && !live.Any(r => r.Name == name))
        {
            throw await NotFoundAsync(name, null, cancellationToken).ConfigureAwait(false);
        }

        var cutoff = policy.OlderThan is { } olderThan ? DateTimeOffset.UtcNow - olderThan : (DateTimeOffset?)null;
        var selected = new List<ArtifactRecord>();
        foreach (var versions in live.Where(r => name is null || r.Name == name).GroupBy(r => r.Name, StringComparer.Ordinal))
        {
            var newestFirst = versions.OrderByDescending(r => r.Version).ToList();
            selected.AddRange(newestFirst.Skip(policy.KeepLast ?? 0).Where(r => cutoff is not { } c || r.CreatedAt < c));
        }

        var protectedVersions = selected.Where(r => r.Aliases.Count > 0).ToList();
        var going = selected.Where(r => r.Aliases.Count == 0).ToDictionary(r => r.Uid, StringComparer.Ordinal);

        // A version stays when anything downstream of it stays (outside the trash); what it protects is then protected in turn.
        var downstream = new Dictionary<string, IReadOnlyList<LineageVersion>>(StringComparer.Ordinal);
        foreach (var record in going.Values)
        {
            var walk = await _metadata.WalkAsync(record.Name, record.Version, LineageDirection.Downstream, LineageQueries.MaxDepth, cancellationToken).ConfigureAwait(false);
            downstream[record.Uid] = walk is null ? [] : [.. walk.Versions.Values.Where(v => v.Uid != record.Uid)];
        }

        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var record in going.Values.ToList())
            {
                if (downstream[record.Uid].Any(v => v.Branch != ArtifactBranch.Trash && !going.ContainsKey(v.Uid)))
                {
                    going.Remove(record.Uid);
                    protectedVersions.Add(record);
                    changed = true;
                }
            }
        }

        var removed = going.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Version).ToList();
        var inTrashAfter = all.Where(r => r.Branch == ArtifactBranch.Trash || going.ContainsKey(r.Uid)).Select(r => r.Uid).ToHashSet(StringComparer.Ordinal);
        var bytes = BytesFreed(all, removed, inTrashAfter);
        var emptied = removed.Select(r => r.Name).Distinct(StringComparer.Ordinal)
            .Where(n => live.Where(r => r.Name == n).All(r => going.ContainsKey(r.Uid))).ToList();
        if (!dryRun)
        {
            foreach (var record in removed)
            {
                await EnsureCanWriteAsync(record, $"prune '{record.Name}' version {record.Version}", cancellationToken).ConfigureAwait(false);
                await _metadata.SetBranchAsync(record.Uid, ArtifactBranch.Trash, cancellationToken).ConfigureAwait(false);
            }
        }

        return new PruneResult(dryRun, removed, [.. protectedVersions.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Version)], bytes, emptied);
    }

    /// <summary>
    /// Deletes permanently the versions that went to the trash longer than <paramref name="olderThan"/> ago (all of them when null), with
    /// their stored values where no other version points at them. Versions trashed before Lineage recorded when count as trashed when saved.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="olderThan"/> is negative.</exception>
    public TrashEmptyResult EmptyTrash(TimeSpan? olderThan = null, bool dryRun = false) => EmptyTrashAsync(olderThan, dryRun).GetAwaiter().GetResult();

    /// <inheritdoc cref="EmptyTrash"/>
    public async Task<TrashEmptyResult> EmptyTrashAsync(TimeSpan? olderThan = null, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (olderThan is { } age && age < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(olderThan), age, $"The age must not be negative (was {age}).");
        }

        var cutoff = DateTimeOffset.UtcNow - (olderThan ?? TimeSpan.Zero);
        var all = await _metadata.ListAllAsync(null, cancellationToken).ConfigureAwait(false);
        var deleted = all.Where(r => r.Branch == ArtifactBranch.Trash && (r.TrashedAt ?? r.CreatedAt) <= cutoff).ToList();
        var bytes = BytesFreed(all, deleted, deleted.Select(r => r.Uid).ToHashSet(StringComparer.Ordinal));
        if (!dryRun)
        {
            foreach (var record in deleted)
            {
                await DeleteAsync(record.Name, record.Version, permanent: true, cancellationToken).ConfigureAwait(false);
            }
        }

        return new TrashEmptyResult(dryRun, deleted, bytes);
    }

    /// <summary>
    /// The bytes of the values Lineage wrote that <paramref name="going"/> point at and that no version outside <paramref name="gone"/>
    /// does: each value once, however many versions share it.
    /// </summary>
    private static long BytesFreed(IReadOnlyList<ArtifactRecord> all, IEnumerable<ArtifactRecord> going, HashSet<string> gone)
    {
        var stillUsed = all.Where(r => !gone.Contains(r.Uid)).Select(r => (r.StorageId, r.Key)).ToHashSet();
        return going.Where(r => r.IsManaged && !stillUsed.Contains((r.StorageId, r.Key)))
            .DistinctBy(r => (r.StorageId, r.Key))
            .Sum(r => r.Size);
    }
}

/// <summary>The space one artifact's versions take.</summary>
/// <param name="Name">The artifact name.</param>
/// <param name="Versions">Its versions on every branch (the trash and the archive included).</param>
/// <param name="Bytes">The sum of their sizes, as if each were stored alone.</param>
/// <param name="TrashBytes">The part of <paramref name="Bytes"/> in the trash.</param>
public sealed record NameUsage(string Name, int Versions, long Bytes, long TrashBytes);

/// <summary>The space one storage root holds.</summary>
/// <param name="Root">The storage root.</param>
/// <param name="Versions">The versions whose values it holds, on every branch.</param>
/// <param name="StoredBytes">The bytes of the values Lineage wrote there, each stored value once.</param>
/// <param name="LogicalBytes">The sizes of those versions summed: what they would take without deduplication.</param>
/// <param name="RegisteredBytes">The bytes of files registered there in place (each file once), which Lineage did not write.</param>
public sealed record RootUsage(string Root, int Versions, long StoredBytes, long LogicalBytes, long RegisteredBytes)
{
    /// <summary>What deduplication saved in this root: <see cref="LogicalBytes"/> minus <see cref="StoredBytes"/>.</summary>
    public long SavedBytes => LogicalBytes - StoredBytes;
}

/// <summary>What the store's versions take, by name and by root.</summary>
/// <param name="Names">By name.</param>
/// <param name="Roots">By root.</param>
public sealed record StorageUsage(IReadOnlyList<NameUsage> Names, IReadOnlyList<RootUsage> Roots);

public sealed partial class ArtifactStore
{
    /// <summary>Bytes per artifact name and per storage root, and what deduplication saved (read from the metadata; nothing is listed in the roots).</summary>
    public StorageUsage Usage() => UsageAsync().GetAwaiter().GetResult();

    /// <inheritdoc cref="Usage"/>
    public async Task<StorageUsage> UsageAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var all = await _metadata.ListAllAsync(null, cancellationToken).ConfigureAwait(false);
        var names = all.GroupBy(r => r.Name, StringComparer.Ordinal)
            .Select(g => new NameUsage(g.Key, g.Count(), g.Sum(r => r.Size), g.Where(r => r.Branch == ArtifactBranch.Trash).Sum(r => r.Size)))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .ToList();
        var roots = all.GroupBy(r => r.StorageRoot, StringComparer.Ordinal)
            .Select(g => new RootUsage(g.Key, g.Count(),
                g.Where(r => r.IsManaged).DistinctBy(r => r.Key).Sum(r => r.Size),
                g.Where(r => r.IsManaged).Sum(r => r.Size),
                g.Where(r => !r.IsManaged).DistinctBy(r => r.Key).Sum(r => r.Size)))
            .OrderBy(r => r.Root, StringComparer.Ordinal)
            .ToList();
        return new StorageUsage(names, roots);
    }
}
