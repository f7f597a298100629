using Lineage.Configuration;
using Lineage.Serialization;
using Lineage.Storage;
using Lineage.Telemetry;
using Lineage.Values;
using Lineage.Values.Local;

namespace Lineage;

/// <summary>The outcome of checking one stored value against its metadata.</summary>
public enum ValueCheckStatus
{
    /// <summary>The value has the recorded size and SHA-256.</summary>
    Ok,

    /// <summary>No value is stored at the recorded key.</summary>
    Missing,

    /// <summary>The value's size or SHA-256 differs from the recorded one.</summary>
    Corrupt,
}

/// <summary>The result of <see cref="ArtifactStore.VerifyAsync(ArtifactRecord, CancellationToken)"/> for one version.</summary>
/// <param name="Record">The version that was checked.</param>
/// <param name="Status">What was found.</param>
/// <param name="Problem">Why it is missing or corrupt, for people to read; null when <see cref="ValueCheckStatus.Ok"/>.</param>
public sealed record ValueCheck(ArtifactRecord Record, ValueCheckStatus Status, string? Problem);

/// <summary>Who writes a storage root, as its ownership marker says.</summary>
/// <param name="Root">The storage root.</param>
/// <param name="IsWritable">True when this store's instance writes it.</param>
/// <param name="OwnerInstanceUid">The instance named by the root's marker, when it has one.</param>
/// <param name="OwnerDatabase">The (password-masked) database URL the marker records for its owner, when known.</param>
/// <param name="Problem">Why nobody owns it (no marker, unreadable marker), when that is the case.</param>
public sealed record StorageRootStatus(string Root, bool IsWritable, string? OwnerInstanceUid, string? OwnerDatabase, string? Problem);

/// <summary>What an <see cref="UnreferencedValue"/> is.</summary>
public enum UnreferencedValueKind
{
    /// <summary>A file (an object on S3) that no metadata row points to.</summary>
    File,

    /// <summary>
    /// An S3 multipart upload begun and neither completed nor aborted, as a process killed mid-save leaves it: no object
    /// shows it, yet its parts take (billed) space until it is aborted.
    /// </summary>
    Upload,
}

/// <summary>Where removing unreferenced values is: values and bytes removed out of those found.</summary>
/// <param name="Removed">Files removed and uploads aborted so far.</param>
/// <param name="Total">Files and uploads found.</param>
/// <param name="BytesRemoved">Their bytes removed so far.</param>
/// <param name="BytesTotal">The bytes of all of them.</param>
/// <param name="Current">The one just removed.</param>
public sealed record RemovalProgress(int Removed, int Total, long BytesRemoved, long BytesTotal, UnreferencedValue Current);

/// <summary>A file under a storage root's <c>.lineage/</c> folder that no metadata row points to, or an unfinished upload there.</summary>
/// <param name="Root">The storage root.</param>
/// <param name="Key">Its key inside the root (<c>.lineage/...</c>).</param>
/// <param name="Size">Its size in bytes (for an upload, the bytes of the parts it holds).</param>
/// <param name="LastModified">When it was last written (for an upload, when its last part arrived).</param>
public sealed record UnreferencedValue(string Root, string Key, long Size, DateTimeOffset LastModified)
{
    /// <summary>A file, or an unfinished upload.</summary>
    public UnreferencedValueKind Kind { get; init; } = UnreferencedValueKind.File;

    /// <summary>The S3 upload id of an <see cref="UnreferencedValueKind.Upload"/>; null for a file.</summary>
    public string? UploadId { get; init; }
}

/// <summary>Inspection and maintenance: listings across names and branches, verification, and unreferenced values.</summary>
public sealed partial class ArtifactStore
{
    /// <summary>
    /// Resolves the settings a store would open with (explicit, environment, project config, user config file,
    /// defaults), without opening anything or connecting anywhere.
    /// </summary>
    /// <exception cref="LineageConfigurationException">A setting is invalid.</exception>
    public static ResolvedOptions ResolveOptions(LineageOptions? options = null) => OptionsResolver.Resolve(options);

    /// <summary>Every version on <paramref name="branch"/> (every branch when null), ordered by name, then version.</summary>
    public IReadOnlyList<ArtifactRecord> ListAllVersions(ArtifactBranch? branch = ArtifactBranch.Main) =>
        ListAllVersionsAsync(branch).GetAwaiter().GetResult();

    /// <inheritdoc cref="ListAllVersions"/>
    public Task<IReadOnlyList<ArtifactRecord>> ListAllVersionsAsync(ArtifactBranch? branch = ArtifactBranch.Main, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _metadata.ListAllAsync(branch, cancellationToken);
    }

    /// <summary>The versions in the trash, ordered by name, then version.</summary>
    public IReadOnlyList<ArtifactRecord> Trash() => ListAllVersions(ArtifactBranch.Trash);

    /// <summary>
    /// Writes the stored bytes of <paramref name="record"/> to <paramref name="path"/>, replacing any file there. The file
    /// appears only once the whole value has been read and its size and SHA-256 matched the metadata.
    /// </summary>
    /// <param name="record">The version to export.</param>
    /// <param name="path">The file to write; for a folder registered in place, the folder to copy its files into.</param>
    /// <param name="progress">Told the number of bytes copied, chunk by chunk.</param>
    /// <param name="cancellationToken">Cancels the copy; nothing is left behind.</param>
    /// <exception cref="CorruptArtifactException">The stored value is missing or does not match its metadata.</exception>
    public async Task ExportAsync(ArtifactRecord record, string path, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        await ValueShape.Of(record).ExportAsync(this, record, Path.GetFullPath(path), progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task ExportObjectAsync(ArtifactRecord record, string path, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var value = await OpenVerifiedAsync(record, cancellationToken).ConfigureAwait(false);
        await using (value.ConfigureAwait(false))
        {
            // The verifying stream throws at its end when size or hash differ, before anything is renamed.
            await AtomicFile.WriteAsync(path, (destination, ct) => CopyReportingAsync(value, destination, progress, ct),
                FilePlacement.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the stored value of <paramref name="record"/> to its end and compares its size and SHA-256 with the metadata.</summary>
    public Task<ValueCheck> VerifyAsync(ArtifactRecord record, CancellationToken cancellationToken = default) =>
        VerifyAsync(record, progress: null, cancellationToken);

    /// <summary>
    /// Reads the stored value of <paramref name="record"/> to its end and compares its size and SHA-256 with the metadata,
    /// telling <paramref name="progress"/> the bytes read as they are read (for a folder, the size of each file once it is hashed).
    /// </summary>
    /// <param name="record">The version to check.</param>
    /// <param name="progress">Told the number of bytes read, chunk by chunk.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public Task<ValueCheck> VerifyAsync(ArtifactRecord record, IProgress<long>? progress, CancellationToken cancellationToken = default) =>
        ValueShape.Of(record).VerifyAsync(this, record, progress, cancellationToken);

    private async Task<ValueCheck> VerifyObjectAsync(ArtifactRecord record, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        VerifyingReadStream stream;
        try
        {
            stream = await OpenVerifiedAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (CorruptArtifactException e)
        {
            return new ValueCheck(record, e.InnerException is FileNotFoundException ? ValueCheckStatus.Missing : ValueCheckStatus.Corrupt, e.Message);
        }
        catch (StorageLinkException e)
        {
            return new ValueCheck(record, ValueCheckStatus.Corrupt, e.Message);
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                await stream.VerifyToEndAsync(progress, cancellationToken).ConfigureAwait(false);
                return new ValueCheck(record, ValueCheckStatus.Ok, null);
            }
            catch (CorruptArtifactException e)
            {
                return new ValueCheck(record, ValueCheckStatus.Corrupt, e.Message);
            }
        }
    }

    /// <summary>Who writes the default storage root (see <see cref="StorageRegistry.Default"/>): this instance, another one (named), or nobody (and why).</summary>
    public async Task<StorageRootStatus> GetStorageStatusAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var claim = await Access.ReadClaimAsync(DefaultTarget.Storage.Root, fresh: false, cancellationToken).ConfigureAwait(false);
        return new StorageRootStatus(claim.Root, claim.Marker?.InstanceUid == InstanceUid, claim.Marker?.InstanceUid,
            string.IsNullOrEmpty(claim.Marker?.Database) ? null : claim.Marker.Database, claim.Problem);
    }

    /// <summary>
    /// Finds the files under the <c>.lineage/</c> folder of every storage location this instance writes (the default one, and
    /// every other registered one on this host or in S3) that no metadata row (on any branch) points to, such as <c>*.partial</c>
    /// files, values left by a crash between writing a value and recording it, or source values a migration was interrupted before
    /// deleting. A root's ownership marker is never one of them. On S3 it also finds the multipart uploads under <c>.lineage/</c>
    /// that were begun and never completed or aborted (a process killed mid-save leaves one, whose parts S3 keeps and bills
    /// until it is aborted), as <see cref="UnreferencedValueKind.Upload"/>. With <paramref name="delete"/>, removes the files
    /// and aborts the uploads.
    /// </summary>
    /// <param name="minimumAge">
    /// Files and uploads written more recently are skipped: a save in flight writes its value before its row, and an upload in flight
    /// keeps adding parts. The value of a save that failed in the database is found at once when its note (<c>.lineage/pending/</c>)
    /// shows that its row is absent for good.
    /// </param>
    /// <param name="delete">Remove what is found.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    /// <returns>The files found, by root, then key.</returns>
    /// <exception cref="ReadOnlyStorageException">Another instance owns the default root: its files belong to rows in another database.</exception>
    public Task<IReadOnlyList<UnreferencedValue>> FindUnreferencedValuesAsync(TimeSpan minimumAge, bool delete = false, CancellationToken cancellationToken = default) =>
        FindUnreferencedValuesAsync(minimumAge, delete, progress: null, cancellationToken);

    /// <inheritdoc cref="FindUnreferencedValuesAsync(TimeSpan, bool, CancellationToken)"/>
    /// <param name="minimumAge">Files and uploads written more recently are skipped.</param>
    /// <param name="delete">Remove what is found.</param>
    /// <param name="progress">With <paramref name="delete"/>, told after each file removed or upload aborted.</param>
    /// <param name="cancellationToken">Cancels the scan.</param>
    public async Task<IReadOnlyList<UnreferencedValue>> FindUnreferencedValuesAsync(TimeSpan minimumAge, bool delete, IProgress<RemovalProgress>? progress, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var defaultStorage = DefaultTarget.Storage;
        var claim = await Access.ReadClaimAsync(DefaultTarget.Storage.Root, fresh: false, cancellationToken).ConfigureAwait(false);
        Access.EnsureWritable(claim, "look for unreferenced values");

        var found = new List<UnreferencedValue>();
        var locations = (await _metadata.ListStoragesAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.Id == defaultStorage.Id || (s.IsWritable && Access.IsOnThisHost(s.Host)));
        foreach (var storage in locations)
        {
            var values = ValuesAt(storage.Root);
            if (storage.Id != defaultStorage.Id
                && (await Access.ReadClaimAsync(storage.Root, fresh: false, cancellationToken).ConfigureAwait(false)).Marker?.InstanceUid != InstanceUid)
            {
                continue;
            }

            found.AddRange(await FindUnreferencedAsync(storage, values, minimumAge, cancellationToken).ConfigureAwait(false));
            found.AddRange(await FindAbandonedUploadsAsync(storage, values, minimumAge, cancellationToken).ConfigureAwait(false));
        }

        found.Sort((a, b) => string.CompareOrdinal(a.Root, b.Root) is var byRoot and not 0 ? byRoot : string.CompareOrdinal(a.Key, b.Key));
        var bytesTotal = found.Sum(f => f.Size);
        Logs.Storage.GcFound(found.Count, bytesTotal, minimumAge);
        if (delete)
        {
            long bytesRemoved = 0;
            for (var i = 0; i < found.Count; i++)
            {
                await RemoveUnreferencedAsync(found[i], cancellationToken).ConfigureAwait(false);
                bytesRemoved += found[i].Size;
                progress?.Report(new RemovalProgress(i + 1, found.Count, bytesRemoved, bytesTotal, found[i]));
            }

            Logs.Storage.GcRemoved(found.Count, bytesRemoved);
        }

        return found;
    }

    private async Task<IEnumerable<UnreferencedValue>> FindUnreferencedAsync(StorageRecord storage, IValueStore values, TimeSpan minimumAge, CancellationToken cancellationToken)
    {
        // Files first, rows second: a value saved meanwhile has its row by the time the rows are read.
        var cutoff = DateTimeOffset.UtcNow - minimumAge;
        // Failed saves the database has settled need no age window: their rows are known to be absent for good.
        var settled = await SettledPendingKeysAsync(values, cancellationToken).ConfigureAwait(false);
        var candidates = new List<StoredObject>();
        await foreach (var stored in values.ListAsync(".lineage/", cancellationToken).ConfigureAwait(false))
        {
            if (stored.Key != StorageMarker.Key && (stored.LastModified <= cutoff || settled.Contains(stored.Key)))
            {
                candidates.Add(stored);
            }
        }

        var referenced = (await Storages.ArtifactsAsync(storage.Root, storage.Host, cancellationToken).ConfigureAwait(false))
            .Select(r => r.Key)
            .ToHashSet(StringComparer.Ordinal);
        return candidates
            .Where(c => !referenced.Contains(c.Key))
            .Select(c => new UnreferencedValue(storage.Root, c.Key, c.Size, c.LastModified));
    }

    private static async Task<IEnumerable<UnreferencedValue>> FindAbandonedUploadsAsync(StorageRecord storage, IValueStore values, TimeSpan minimumAge, CancellationToken cancellationToken)
    {
        // No row ever points at an upload (rows are written after it completes): age alone tells abandoned from in flight.
        var cutoff = DateTimeOffset.UtcNow - minimumAge;
        var abandoned = new List<UnreferencedValue>();
        await foreach (var upload in values.ListPendingUploadsAsync(".lineage/", cancellationToken).ConfigureAwait(false))
        {
            if (upload.LastWritten <= cutoff)
            {
                abandoned.Add(new UnreferencedValue(storage.Root, upload.Key, upload.Size, upload.LastWritten)
                {
                    Kind = UnreferencedValueKind.Upload,
                    UploadId = upload.UploadId,
                });
            }
        }

        return abandoned;
    }

    private Task RemoveUnreferencedAsync(UnreferencedValue value, CancellationToken cancellationToken) => value.Kind == UnreferencedValueKind.Upload
        ? ValuesAt(value.Root).AbortUploadAsync(value.Key, value.UploadId!, cancellationToken)
        : ValuesAt(value.Root).DeleteAsync(value.Key, cancellationToken);

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, telling <paramref name="progress"/> the bytes of each chunk.</summary>
    private static async Task CopyReportingAsync(Stream source, Stream destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            progress?.Report(read);
        }
    }
}
