using Lineage.Configuration;
using Lineage.Metadata;
using Lineage.Storage;
using Lineage.Telemetry;
using Microsoft.Extensions.Logging;

namespace Lineage;

/// <summary>
/// The storage locations of an instance (LaminDB's <c>Storage</c> registry): local folders (each on a host) and S3 buckets or
/// prefixes. Each root is written by at most one instance, the one its marker <c>.lineage/storage.json</c> names; every other
/// instance may only read it. Reached through <see cref="ArtifactStore.Storages"/>.
/// </summary>
public sealed class StorageRegistry
{
    private readonly IMetadataStore _metadata;
    private readonly ResolvedOptions _options;
    private readonly StorageAccessRules _access;
    private readonly ValueStoreResolver _values;
    private readonly StorageTargets _targets;
    private readonly SpaceRegistry _spaces;
    private readonly VersionResolver _versions;
    private readonly MigrationServices _migration;
    private readonly ILogger _log;

    internal StorageRegistry(
        IMetadataStore metadata,
        ResolvedOptions options,
        StorageAccessRules access,
        ValueStoreResolver values,
        StorageTargets targets,
        SpaceRegistry spaces,
        VersionResolver versions,
        MigrationServices migration,
        ILogger log)
    {
        _metadata = metadata;
        _options = options;
        _access = access;
        _values = values;
        _targets = targets;
        _spaces = spaces;
        _versions = versions;
        _migration = migration;
        _log = log;
    }

    /// <summary>The location new artifacts are written to (unless <see cref="Local"/> is set): <c>artifact_storage_dir</c> until <see cref="SetDefault"/> switches it.</summary>
    public StorageRecord Default => _targets.Default.Storage;

    /// <summary>In keep-artifacts-local mode, the local location new artifacts are written to until they are uploaded; otherwise null.</summary>
    public StorageRecord? Local => _targets.Local?.Storage;

    /// <summary>Every registered location, by root, then host.</summary>
    public IReadOnlyList<StorageRecord> List() => ListAsync().GetAwaiter().GetResult();

    /// <inheritdoc cref="List"/>
    public Task<IReadOnlyList<StorageRecord>> ListAsync(CancellationToken cancellationToken = default) => _metadata.ListStoragesAsync(cancellationToken);

    /// <summary>
    /// Registers a storage location, or returns the existing record when the root is already registered (on that host).
    /// A root without a marker is claimed for this instance (the marker is written); a root whose marker names another instance
    /// is registered read-only; a root where no marker can be written is registered as unmanaged, read-only.
    /// </summary>
    /// <param name="root">A local folder (relative paths resolve against the working directory), <c>s3://bucket[/prefix]</c> or <c>az://container[/prefix]</c>.</param>
    /// <param name="description">What the location is for.</param>
    /// <param name="host">For local roots, the machine the folder is on (default: this one, see <see cref="ResolvedOptions.Host"/>). A root on another host is registered without being touched.</param>
    /// <exception cref="LineageConfigurationException">The root is invalid, or nested inside (or around) a registered root.</exception>
    public StorageRecord Add(string root, string? description = null, string? host = null) => AddAsync(root, description, host).GetAwaiter().GetResult();

    /// <inheritdoc cref="Add"/>
    public Task<StorageRecord> AddAsync(string root, string? description = null, string? host = null, CancellationToken cancellationToken = default) =>
        RegisterAsync(Parse(root, "storage root"), description, host, cancellationToken);

    /// <summary>The location registered for <paramref name="root"/> (on <paramref name="host"/>, default this machine, for local roots).</summary>
    /// <exception cref="StorageNotFoundException">No such location is registered.</exception>
    public StorageRecord Get(string root, string? host = null) => GetAsync(root, host).GetAwaiter().GetResult();

    /// <inheritdoc cref="Get"/>
    public Task<StorageRecord> GetAsync(string root, string? host = null, CancellationToken cancellationToken = default) =>
        GetAsync(root, host, "storage root", cancellationToken);

    private async Task<StorageRecord> GetAsync(string root, string? host, string role, CancellationToken cancellationToken)
    {
        var location = Parse(root, role);
        var onHost = HostFor(location, host);
        return await _metadata.FindStorageAsync(location.Root, onHost ?? string.Empty, cancellationToken).ConfigureAwait(false)
            ?? throw new StorageNotFoundException(location.Root,
                $"No storage location '{location.Root}'{(onHost is null ? string.Empty : $" on host '{onHost}'")} is registered in {_options.MaskedDatabaseUrl}. Register it with store.Storages.Add(\"{location.Root}\").");
    }

    /// <summary>The location registered for <paramref name="location"/> on this machine, or null.</summary>
    private Task<StorageRecord?> FindAsync(StorageLocation location, CancellationToken cancellationToken) =>
        _metadata.FindStorageAsync(location.Root, HostFor(location, null) ?? string.Empty, cancellationToken);

    /// <summary>The artifact versions (every branch) that live in a location, by uid.</summary>
    public IReadOnlyList<ArtifactRecord> Artifacts(string root, string? host = null) => ArtifactsAsync(root, host).GetAwaiter().GetResult();

    /// <inheritdoc cref="Artifacts"/>
    public async Task<IReadOnlyList<ArtifactRecord>> ArtifactsAsync(string root, string? host = null, CancellationToken cancellationToken = default)
    {
        var storage = await GetAsync(root, host, cancellationToken).ConfigureAwait(false);
        return await ArtifactsInAsync(_metadata, storage, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The artifact versions (every branch) that live in <paramref name="storage"/>, by uid, read a page at a time.</summary>
    internal static async Task<IReadOnlyList<ArtifactRecord>> ArtifactsInAsync(IMetadataStore metadata, StorageRecord storage, CancellationToken cancellationToken)
    {
        var all = new List<ArtifactRecord>();
        string? after = null;
        IReadOnlyList<ArtifactRecord> page;
        do
        {
            page = await metadata.ListInStorageAsync(storage.Id, after, 1000, cancellationToken).ConfigureAwait(false);
            all.AddRange(page);
            after = page.Count > 0 ? page[^1].Uid : after;
        }
        while (page.Count == 1000);

        return all;
    }

    /// <summary>
    /// Makes a registered, writable location the one new artifacts go to, for this store (LaminDB's <c>ln.settings.storage = root</c>).
    /// To change it for every run, set <c>artifact_storage_dir</c> (e.g. with <c>lineage storage default</c>).
    /// </summary>
    /// <exception cref="ReadOnlyStorageException">Another instance (or none) writes the location.</exception>
    public void SetDefault(string root) => SetDefaultAsync(root).GetAwaiter().GetResult();

    /// <inheritdoc cref="SetDefault"/>
    public async Task SetDefaultAsync(string root, CancellationToken cancellationToken = default)
    {
        var storage = await GetAsync(root, null, cancellationToken).ConfigureAwait(false);
        await _access.EnsureCanWriteAsync(storage, $"make '{storage}' the default storage location", cancellationToken).ConfigureAwait(false);
        _targets.Default = new StorageTarget(storage, _values.At(storage.Root));
    }

    /// <summary>
    /// Keep-artifacts-local mode: new artifacts are written to this registered local folder instead of <see cref="Default"/>, until
    /// <see cref="Upload"/> or <see cref="UploadAll"/> moves them (LaminDB's <c>ln.settings.local_storage</c>). Null turns the mode off.
    /// Set it for every run with the <c>local_storage</c> setting.
    /// </summary>
    public void SetLocal(string? root) => SetLocalAsync(root).GetAwaiter().GetResult();

    /// <inheritdoc cref="SetLocal"/>
    public async Task SetLocalAsync(string? root, CancellationToken cancellationToken = default)
    {
        if (root is null)
        {
            _targets.Local = null;
            return;
        }

        var storage = await GetAsync(root, null, cancellationToken).ConfigureAwait(false);
        if (!storage.IsLocal)
        {
            throw new LineageConfigurationException($"'{storage.Root}' is not a local folder: the local storage location keeps artifacts on this machine until they are uploaded to the default location.");
        }

        await _access.EnsureCanWriteAsync(storage, $"make '{storage}' the local storage location", cancellationToken).ConfigureAwait(false);
        _targets.Local = new StorageTarget(storage, _values.At(storage.Root));
    }

    /// <summary>
    /// Removes a location from the registry, and its marker when this instance wrote it. Refused while any artifact (trashed and
    /// archived ones included) lives there. There is no soft delete for locations: <paramref name="permanent"/> = false throws.
    /// </summary>
    /// <exception cref="LineageException">Artifacts still live there, or it is this store's default or local location.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="permanent"/> is false.</exception>
    /// <param name="root">The location's root.</param>
    /// <param name="permanent">Null or true; false throws.</param>
    /// <param name="host">For a folder: the machine it is on (default: this one).</param>
    public void Delete(string root, bool? permanent = null, string? host = null) => DeleteAsync(root, permanent, host).GetAwaiter().GetResult();

    /// <inheritdoc cref="Delete"/>
    public async Task DeleteAsync(string root, bool? permanent = null, string? host = null, CancellationToken cancellationToken = default)
    {
        if (permanent == false)
        {
            throw new InvalidOperationException("A storage location cannot be soft-deleted: there is no trash for locations. Delete(root) removes its record once no artifact lives there.");
        }

        var storage = await GetAsync(root, host, cancellationToken).ConfigureAwait(false);
        if (storage.Id == Default.Id || storage.Id == Local?.Id)
        {
            throw new LineageException(
                $"'{storage}' is this store's {(storage.Id == Default.Id ? "default" : "local")} storage location: switch to another location first (store.Storages.SetDefault / SetLocal, or 'lineage storage default ROOT').");
        }

        await _access.EnsureSpaceMemberAsync(storage.Id, storage.Root, $"delete storage location '{storage}'", cancellationToken).ConfigureAwait(false);
        var counts = await _metadata.CountInStorageAsync(storage.Id, cancellationToken).ConfigureAwait(false);
        var total = counts.Values.Sum();
        if (total > 0)
        {
            throw new LineageException(
                $"Cannot delete storage location '{storage}': {total} artifact version(s) live there ({counts[ArtifactBranch.Main]} live, " +
                $"{counts[ArtifactBranch.Trash]} in the trash, {counts[ArtifactBranch.Archive]} archived). Move them with store.Storages.Migrate, or delete them permanently, first.");
        }

        await _metadata.DeleteStorageAsync(storage.Id, cancellationToken).ConfigureAwait(false);
        await ReleaseMarkerAsync(storage, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReleaseMarkerAsync(StorageRecord storage, CancellationToken cancellationToken)
    {
        if (_access.IsOnThisHost(storage.Host))
        {
            // The root is free again for another instance (or this one, later) — but only a marker naming this instance is ours to remove.
            await _access.ReleaseAsync(storage.Root, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Moves a location into a space: from then on only the space's members may write to it or read its artifacts.
    /// <see cref="SpaceRecord.All"/> opens it to everyone again. The caller must be a member of both spaces.
    /// </summary>
    /// <exception cref="SpaceAccessDeniedException">The current user is not a member of the location's space or of <paramref name="space"/>.</exception>
    /// <param name="root">The location's root.</param>
    /// <param name="space">The space's name.</param>
    /// <param name="host">For a folder: the machine it is on (default: this one).</param>
    public StorageRecord SetSpace(string root, string space, string? host = null) => SetSpaceAsync(root, space, host).GetAwaiter().GetResult();

    /// <inheritdoc cref="SetSpace"/>
    public async Task<StorageRecord> SetSpaceAsync(string root, string space, string? host = null, CancellationToken cancellationToken = default)
    {
        var storage = await GetAsync(root, host, cancellationToken).ConfigureAwait(false);
        var target = await _spaces.GetAsync(space, cancellationToken).ConfigureAwait(false);
        var operation = $"move storage location '{storage}' into space '{target.Name}'";
        await _access.EnsureSpaceMemberAsync(storage.Id, storage.Root, operation, cancellationToken).ConfigureAwait(false);
        await _access.EnsureMemberOfSpaceAsync(target, storage.Root, operation,
            $"they would lose access. Add them first: store.Spaces.AddMember(\"{target.Name}\", \"{_options.User}\")", cancellationToken).ConfigureAwait(false);

        await _metadata.SetStorageSpaceAsync(storage.Id, target.Id, cancellationToken).ConfigureAwait(false);
        return await GetAsync(storage.Root, storage.Host, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Copies every value (all branches) from <paramref name="from"/> to <paramref name="to"/>, verifies each copy's SHA-256, and points
    /// the artifacts at the new root in one transaction per batch. Resumable: run it again after an interruption and it finishes
    /// without duplicating or losing anything. See <see cref="MigrationOptions"/> for a dry run and deleting the source values.
    /// </summary>
    /// <param name="from">The registered root to move away from.</param>
    /// <param name="to">The root to move to; this instance must write it. It must be registered unless <see cref="MigrationOptions.RegisterDestination"/> is set.</param>
    /// <param name="options">Dry run, batch size, deleting sources.</param>
    /// <param name="progress">Told as bytes are copied, after every artifact, and after every committed batch.</param>
    /// <exception cref="ReadOnlyStorageException"><paramref name="to"/> is written by another instance (or none).</exception>
    /// <exception cref="StorageNotFoundException"><paramref name="from"/> is not registered, or <paramref name="to"/> is not and <see cref="MigrationOptions.RegisterDestination"/> is off.</exception>
    public MigrationResult Migrate(string from, string to, MigrationOptions? options = null, IProgress<MigrationProgress>? progress = null) =>
        MigrateAsync(from, to, options, progress).GetAwaiter().GetResult();

    /// <inheritdoc cref="Migrate"/>
    public async Task<MigrationResult> MigrateAsync(string from, string to, MigrationOptions? options = null, IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (options is { BatchSize: < 1 })
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "MigrationOptions.BatchSize must be at least 1.");
        }

        options ??= new MigrationOptions();
        var source = await GetAsync(from, null, "migration source", cancellationToken).ConfigureAwait(false);
        var target = Parse(to, "migration target");
        var destination = options.RegisterDestination
            ? await FindAsync(target, cancellationToken).ConfigureAwait(false)
            : await GetAsync(to, null, "migration target", cancellationToken).ConfigureAwait(false);
        if (destination is not null)
        {
            return await new StorageMigration(_migration, source, destination, options, progress).RunAsync(cancellationToken).ConfigureAwait(false);
        }

        // Every rule the real run checks, without registering the target or writing its marker.
        var preview = await PreviewRegistrationAsync(target, $"migrate artifacts into '{target.Root}'", cancellationToken).ConfigureAwait(false);
        var plan = await new StorageMigration(_migration, source, preview, options with { DryRun = true }, progress: null, destinationChecked: true)
            .RunAsync(cancellationToken).ConfigureAwait(false);
        if (options.DryRun)
        {
            return plan with { DestinationIsNew = true };
        }

        destination = await RegisterAsync(target, null, null, cancellationToken).ConfigureAwait(false);
        MigrationResult result;
        try
        {
            if (!destination.IsWritable)
            {
                // Claimed by another process meanwhile, or its marker could not be written after all.
                var claim = await _access.ReadClaimAsync(destination.Root, fresh: false, cancellationToken).ConfigureAwait(false);
                throw claim.Marker is { } marker
                    ? _access.ForeignTarget(destination.Root, marker, $"migrate artifacts into '{destination}'")
                    : new ReadOnlyStorageException(destination.Root, null,
                        $"Cannot migrate artifacts into '{destination}': the migration target cannot be written by this instance because {claim.Problem ?? "it has no ownership marker"}. " +
                        "It was registered for this migration only, and is not left registered.");
            }

            result = await new StorageMigration(_migration, source, destination, options, progress).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RemoveIfEmptyAsync(destination, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return result with { DestinationIsNew = true, DestinationUnregistered = result.Moved == 0 && await RemoveIfEmptyAsync(destination, cancellationToken).ConfigureAwait(false) };
    }

    /// <summary>
    /// Moves one version to the <see cref="Default"/> location (verified, then its row re-pointed), deleting the value it leaves behind
    /// unless it was registered in place. Does nothing when it is there already.
    /// </summary>
    /// <returns>The version's metadata, now pointing at the default location.</returns>
    public ArtifactRecord Upload(string name, int version) => UploadAsync(name, version).GetAwaiter().GetResult();

    /// <inheritdoc cref="Upload"/>
    public Task<ArtifactRecord> UploadAsync(string name, int version, CancellationToken cancellationToken = default) =>
        UploadAsync(name, version, progress: null, cancellationToken);

    /// <inheritdoc cref="Upload"/>
    /// <param name="name">The artifact name.</param>
    /// <param name="version">The version.</param>
    /// <param name="progress">Told the bytes copied as they are copied.</param>
    /// <param name="cancellationToken">Cancels the upload; the version keeps pointing at its source until its copy is verified.</param>
    public async Task<ArtifactRecord> UploadAsync(string name, int version, IProgress<MigrationProgress>? progress, CancellationToken cancellationToken = default)
    {
        var record = await _versions.FindAsync(name, version, cancellationToken).ConfigureAwait(false);
        var destination = Default;
        if (record.StorageId == destination.Id)
        {
            return record;
        }

        var source = (await ListAsync(cancellationToken).ConfigureAwait(false)).First(s => s.Id == record.StorageId);
        var migration = new StorageMigration(_migration, source, destination, new MigrationOptions { DeleteSource = true }, progress);
        var result = await migration.RunAsync([record], cancellationToken).ConfigureAwait(false);
        if (result.Failures.Count > 0)
        {
            throw new LineageException($"Uploading '{name}' version {version} to '{destination}' failed: {result.Failures[0].Problem}");
        }

        return await _versions.FindAsync(name, version, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves every artifact in the <see cref="Local"/> location to the <see cref="Default"/> one (see <see cref="Upload"/>).</summary>
    /// <exception cref="InvalidOperationException">No local location is set.</exception>
    public MigrationResult UploadAll(IProgress<MigrationProgress>? progress = null) => UploadAllAsync(progress).GetAwaiter().GetResult();

    /// <inheritdoc cref="UploadAll"/>
    public Task<MigrationResult> UploadAllAsync(IProgress<MigrationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var local = Local ?? throw new InvalidOperationException("No local storage location is set: there is nothing to upload. See SetLocal and the local_storage setting.");
        return new StorageMigration(_migration, local, Default, new MigrationOptions { DeleteSource = true }, progress).RunAsync(cancellationToken);
    }

    /// <summary>Registers a root: checks nesting, claims it when it is on this machine and unmarked, records what its marker says.</summary>
    internal async Task<StorageRecord> RegisterAsync(StorageLocation location, string? description, string? host, CancellationToken cancellationToken)
    {
        var onHost = HostFor(location, host);
        var all = await _metadata.ListStoragesAsync(cancellationToken).ConfigureAwait(false);
        EnsureNotNested(location, onHost, all);

        var type = location.Backend.StorageType;
        var region = location.Backend.RegionOf(_options.StorageOptions);
        var existing = all.FirstOrDefault(s => s.Root == location.Root && s.Host == onHost);
        if (onHost is not null && !_access.IsOnThisHost(onHost))
        {
            // A folder on another machine cannot be looked at from here: it is recorded as it is, without a writing instance.
            return existing ?? await _metadata.RegisterStorageAsync(
                new NewStorage(Uid.New(12), location.Root, type, onHost, null, description, region, _options.User), syncOwner: false, cancellationToken).ConfigureAwait(false);
        }

        // What the marker says now, not what this process remembers: the root may have been released and claimed since.
        var uid = existing?.Uid ?? Uid.New(12);
        var claim = await _access.ClaimAsync(location.Root, uid, cancellationToken).ConfigureAwait(false);
        if (claim.Problem is { } problem && _log.IsEnabled(LogLevel.Warning))
        {
            _log.RootReadOnly(StoreLogs.Shown(location.Root), problem);
        }

        return await _metadata.RegisterStorageAsync(
            new NewStorage(uid, location.Root, type, onHost, claim.Marker?.InstanceUid, description, region, _options.User), syncOwner: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What registering <paramref name="location"/> on this machine would give, checked without registering it or writing its marker:
    /// it must not nest with a registered root, and its marker (if any) must name this instance. Whether a marker can be written is
    /// only known by writing one; the real run finds out, and then unregisters it again.
    /// </summary>
    private async Task<StorageRecord> PreviewRegistrationAsync(StorageLocation location, string operation, CancellationToken cancellationToken)
    {
        var onHost = HostFor(location, null);
        EnsureNotNested(location, onHost, await _metadata.ListStoragesAsync(cancellationToken).ConfigureAwait(false));
        var values = _values.At(location.Root);
        var claim = await _access.ReadClaimAsync(location.Root, fresh: true, cancellationToken).ConfigureAwait(false);
        _access.EnsureNotForeignTarget(claim, operation);

        if (claim.Marker is null && !await HasNoMarkerAsync(values, cancellationToken).ConfigureAwait(false))
        {
            throw new ReadOnlyStorageException(location.Root, null, $"Cannot {operation}: it could not be claimed for this instance because {claim.Problem}.");
        }

        return new StorageRecord(string.Empty, location.Root, location.Backend.StorageType, null,
            location.Backend.RegionOf(_options.StorageOptions), onHost, _access.InstanceUid,
            SpaceRecord.All, DateTimeOffset.UtcNow, _options.User, IsWritable: true);
    }

    private static async Task<bool> HasNoMarkerAsync(Values.IValueStore values, CancellationToken cancellationToken)
    {
        try
        {
            return await values.ReadSmallAsync(StorageMarker.Key, cancellationToken).ConfigureAwait(false) is null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Removes a registration this process just made when no artifact lives there; true when it did.</summary>
    private async Task<bool> RemoveIfEmptyAsync(StorageRecord storage, CancellationToken cancellationToken)
    {
        var counts = await _metadata.CountInStorageAsync(storage.Id, cancellationToken).ConfigureAwait(false);
        if (counts.Values.Sum() > 0)
        {
            return false;
        }

        await _metadata.DeleteStorageAsync(storage.Id, cancellationToken).ConfigureAwait(false);
        await ReleaseMarkerAsync(storage, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static void EnsureNotNested(StorageLocation location, string? onHost, IReadOnlyList<StorageRecord> all)
    {
        var nesting = all.FirstOrDefault(s => s.IsLocal == location.IsLocal && s.Host == onHost
            && (IsInside(location.Root, s.Root) || IsInside(s.Root, location.Root)));
        if (nesting is not null)
        {
            throw new LineageConfigurationException(
                $"Storage location '{location.Root}' would be nested {(IsInside(location.Root, nesting.Root) ? "inside" : "around")} the registered location '{nesting}': " +
                "each value must belong to exactly one location. Use the registered root (or a folder beside it), or delete that location first.");
        }
    }

    /// <summary>The registered location a path lies under (local: on this host), and the path's key inside it; null when there is none.</summary>
    internal async Task<(StorageRecord? Storage, string Key)> FindContainingAsync(StorageLocation path, CancellationToken cancellationToken)
    {
        var all = await _metadata.ListStoragesAsync(cancellationToken).ConfigureAwait(false);
        var isLocal = path.IsLocal;
        var storage = all
            .Where(s => s.IsLocal == isLocal && (!isLocal || s.Host == _access.Host) && IsInside(path.Root, s.Root))
            .MaxBy(s => s.Root.Length);
        if (storage is null)
        {
            return (null, string.Empty);
        }

        var key = isLocal
            ? Path.GetRelativePath(storage.Root, path.Root).Replace(Path.DirectorySeparatorChar, '/')
            : path.Root[(storage.Root.Length + 1)..];
        return (storage, key);
    }

    /// <summary>Parses a root; <paramref name="role"/> names it in errors (e.g. "migration target").</summary>
    private static StorageLocation Parse(string root, string role)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        return StorageLocation.Parse(root, Directory.GetCurrentDirectory(),
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify), role);
    }

    private string? HostFor(StorageLocation location, string? host)
    {
        if (!location.IsLocal)
        {
            return string.IsNullOrWhiteSpace(host)
                ? null
                : throw new ArgumentException($"A host identifies the machine of a local folder; '{location.Root}' is the same everywhere and takes none.", nameof(host));
        }

        return string.IsNullOrWhiteSpace(host) ? _access.Host : host.Trim();
    }

    /// <summary>True when <paramref name="path"/> lies strictly below <paramref name="root"/>.</summary>
    private static bool IsInside(string path, string root)
    {
        var separator = Backends.UrlText.SchemeOf(root) is null ? Path.DirectorySeparatorChar : '/';
        var comparison = separator == '/' || !OperatingSystem.IsWindows() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var prefix = root.EndsWith(separator) ? root : root + separator;
        return path.Length > prefix.Length && path.StartsWith(prefix, comparison);
    }
}
