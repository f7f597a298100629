using System.Collections.Concurrent;
using Lineage.Telemetry;
using Lineage.Values;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lineage.Storage;

/// <summary>Who writes a root: this instance, another one, or nobody (no marker could be read or written).</summary>
internal sealed record StorageClaim(string Root, StorageMarker? Marker, string? Problem);

/// <summary>
/// Enforces "one writing instance per storage root": every write path asks this one place.
/// A root's marker names its owner; any other instance may only read the root.
/// </summary>
/// <param name="instanceUid">This instance.</param>
/// <param name="maskedDatabaseUrl">This instance's database, as error messages show it.</param>
/// <param name="claimMemoryMilliseconds">
/// How long what a marker said is trusted before it is read again: a root can be released (Storages.Delete in another process)
/// and claimed by another instance, and a long-running process must notice.
/// </param>
/// <param name="log">Where a claim is logged (<see cref="LineageTelemetry.StorageCategory"/>).</param>
internal sealed class WritingInstanceGuard(string instanceUid, string maskedDatabaseUrl, long claimMemoryMilliseconds = 30_000, ILogger? log = null)
{
    private readonly ILogger _log = log ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<string, (StorageClaim Claim, long At)> _claims = new(StringComparer.Ordinal);

    public string InstanceUid { get; } = instanceUid;

    /// <summary>
    /// Reads the root's marker; when it has none and <paramref name="claimIfUnmarked"/> is set, writes one naming
    /// this instance. A root whose marker cannot be read or written is recorded as unmanaged, not as an error here:
    /// reads still work, writes fail with the reason.
    /// </summary>
    public async Task<StorageClaim> ClaimAsync(IValueStore values, bool claimIfUnmarked, CancellationToken cancellationToken, string? storageUid = null)
    {
        if (_claims.TryGetValue(values.Root, out var known) && Environment.TickCount64 - known.At < claimMemoryMilliseconds)
        {
            return known.Claim;
        }

        StorageClaim claim;
        try
        {
            var content = await values.ReadSmallAsync(StorageMarker.Key, cancellationToken).ConfigureAwait(false);
            if (content is null && claimIfUnmarked)
            {
                var marker = new StorageMarker(storageUid ?? Uid.New(12), InstanceUid, maskedDatabaseUrl, DateTimeOffset.UtcNow);
                bool created;
                try
                {
                    created = await values.TryCreateSmallAsync(StorageMarker.Key, marker.ToJson(), cancellationToken).ConfigureAwait(false);
                }
                catch (StorageAccessException e)
                {
                    // A bucket we may read but not write (a shared, read-only dataset): registered as unmanaged.
                    return new StorageClaim(values.Root, null, $"its ownership marker ({StorageMarker.Key}) cannot be written: {e.Message}");
                }

                if (created)
                {
                    if (_log.IsEnabled(LogLevel.Information))
                    {
                        _log.RootClaimed(StoreLogs.Shown(values.Root), InstanceUid);
                    }

                    return Remember(new StorageClaim(values.Root, marker, null));
                }

                // Another process claimed it first: its marker stands.
                content = await values.ReadSmallAsync(StorageMarker.Key, cancellationToken).ConfigureAwait(false);
            }

            claim = content switch
            {
                null => new StorageClaim(values.Root, null, $"it has no ownership marker ({StorageMarker.Key})"),
                _ when StorageMarker.TryParse(content) is { } marker => new StorageClaim(values.Root, marker, null),
                _ => new StorageClaim(values.Root, null, $"its ownership marker ({StorageMarker.Key}) is not a Lineage marker"),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            claim = new StorageClaim(values.Root, null, $"its ownership marker ({StorageMarker.Key}) cannot be read or written: {e.Message}");
        }

        // A root without a readable marker may be fixed (or the failure was passing): ask again next time.
        if (claim.Marker is null)
        {
            _claims.TryRemove(values.Root, out _);
            return claim;
        }

        return Remember(claim);
    }

    private StorageClaim Remember(StorageClaim claim)
    {
        _claims[claim.Root] = (claim, Environment.TickCount64);
        return claim;
    }

    /// <summary>Forgets what is known about <paramref name="root"/>, after its marker was removed.</summary>
    public void Forget(string root) => _claims.TryRemove(root, out _);

    /// <summary>Throws <see cref="ReadOnlyStorageException"/> unless this instance writes <paramref name="claim"/>'s root.</summary>
    public void EnsureWritable(StorageClaim claim, string operation)
    {
        if (claim.Marker is { } marker && string.Equals(marker.InstanceUid, InstanceUid, StringComparison.Ordinal))
        {
            return;
        }

        if (claim.Marker is { } foreign)
        {
            var owner = string.IsNullOrEmpty(foreign.Database) ? $"instance '{foreign.InstanceUid}'" : $"instance '{foreign.InstanceUid}' ({foreign.Database})";
            throw new ReadOnlyStorageException(claim.Root, foreign.InstanceUid,
                $"Cannot {operation}: storage root '{claim.Root}' is written by {owner}, and this store's metadata database " +
                $"({maskedDatabaseUrl}, instance '{InstanceUid}') may only read it. database_url and artifact_storage_dir must " +
                "change hand in hand: point artifact_storage_dir at a folder of this database's own, or database_url back at the database that owns this root.");
        }

        throw new ReadOnlyStorageException(claim.Root, null,
            $"Cannot {operation}: storage root '{claim.Root}' is read-only for this instance ('{InstanceUid}') because {claim.Problem}.");
    }
}
