using Lineage.Configuration;
using Lineage.Metadata;
using Lineage.Serialization;
using Lineage.Storage;
using Lineage.Values;
using Lineage.Values.Local;

namespace Lineage;

/// <summary>In-place registration and copying values between roots; who may touch which root is <see cref="StorageAccessRules"/>'s to say.</summary>
public sealed partial class ArtifactStore
{
    /// <summary>The host, writing-instance and space checks, which the store and its registries all ask.</summary>
    internal StorageAccessRules Access { get; }

    internal StorageTarget DefaultTarget => _targets.Default;

    internal StorageTarget? LocalTarget => _targets.Local;

    /// <summary>
    /// Records an existing file as the next version of <paramref name="name"/>. A file under a registered storage location is
    /// recorded in place: its path relative to the root becomes the key, its size and SHA-256 are recorded, and nothing is copied.
    /// A local file outside every registered location is copied into the store's storage like <see cref="Save{T}(string, T)"/>.
    /// </summary>
    /// <param name="path">A local file path, or <c>s3://bucket/key</c> / <c>az://container/blob</c> under a registered S3 or Azure location.</param>
    /// <param name="name">The artifact name.</param>
    /// <returns>The new version's metadata; <see cref="ArtifactRecord.IsManaged"/> is false when it was registered in place.</returns>
    /// <exception cref="ReadOnlyStorageException">The file's storage location is written by another instance (or by none).</exception>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="StorageLinkException">A link on the path leads outside its local storage location, or the folder holds a link.</exception>
    /// <remarks>
    /// Loading it verifies the recorded hash: a file changed since registration is reported, not served. Links on a local path are
    /// resolved: one that stays inside the location is recorded as the file it points to; loads never read through a link.
    /// </remarks>
    public ArtifactRecord Register(string path, string name) => RegisterAsync(path, name).GetAwaiter().GetResult();

    /// <inheritdoc cref="Register"/>
    public async Task<ArtifactRecord> RegisterAsync(string path, string name, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        name = ArtifactName.Validate(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var location = StorageLocation.Parse(path, Directory.GetCurrentDirectory(), UserProfile);
        var (storage, key) = await Storages.FindContainingAsync(location, cancellationToken).ConfigureAwait(false);
        if (storage is null)
        {
            if (location.IsLocal && File.Exists(location.Root))
            {
                return await SaveAsync(name, new FileInfo(location.Root), cancellationToken).ConfigureAwait(false);
            }

            throw location.IsLocal && Directory.Exists(location.Root)
                ? new StorageNotFoundException(location.Root,
                    $"'{location.Root}' is a folder outside every registered storage location: folders are registered in place. Register a location that contains it first, e.g. store.Storages.Add(\"{Path.GetDirectoryName(location.Root)}\").")
                : location.IsLocal
                    ? new FileNotFoundException($"There is no file or folder at '{location.Root}' to register.", location.Root)
                    : new StorageNotFoundException(location.Root,
                        $"'{location.Root}' is not under any registered storage location: add its bucket or prefix first, e.g. store.Storages.Add(\"{ParentOf(location.Root)}\").");
        }

        if (location.IsLocal)
        {
            key = RealKeyInside(storage, key, location.Root);
        }

        if (key.StartsWith(".lineage/", StringComparison.Ordinal) || key == ".lineage")
        {
            throw new LineageException($"'{location.Root}' is inside the .lineage/ folder, where Lineage keeps the values it manages: load the artifact it belongs to instead.");
        }

        await EnsureCanWriteAsync(storage, $"register '{location.Root}' as '{name}'", cancellationToken).ConfigureAwait(false);
        var values = ValuesAt(storage.Root);
        var isFolder = location.IsLocal && Directory.Exists(location.Root);
        var digest = isFolder ? null : await StoredDigests.OfObjectAsync(values, key, cancellationToken).ConfigureAwait(false);
        if (digest is null)
        {
            // Not a file: a folder (on S3, a prefix with objects under it) is registered with the digest of its manifest.
            digest = await StoredDigests.OfFolderAsync(values, key, cancellationToken).ConfigureAwait(false)
                ?? throw new FileNotFoundException(isFolder
                    ? $"The folder '{location.Root}' holds no file to register."
                    : $"There is no file or folder at '{location.Root}' to register.", location.Root);
            isFolder = true;
        }

        var (run, loaded, explicitRun) = await SavingRunAsync(cancellationToken).ConfigureAwait(false);
        var registered = await _metadata.InsertArtifactAsync(
            new NewArtifact(Uid.New(), name, UtcNowToMicroseconds(), Options.User, Options.Host, digest.Value.Size, digest.Value.Hash,
                TypeNames.Of(isFolder ? typeof(DirectoryInfo) : typeof(FileInfo)), isFolder ? ValueFormats.Folder : ValueFormats.Raw,
                storage.Id, storage.Root, key, StorageHost: storage.Host, IsManaged: false, AccessUser: Options.User, Run: run, LoadedInputUids: loaded,
                Checksum: digest.Value.Checksum),
            cancellationToken).ConfigureAwait(false)
            ?? throw new SpaceAccessDeniedException(storage.Root, storage.Space, Options.User,
                $"Cannot register '{location.Root}' as '{name}': user '{Options.User}' lost access to storage root '{storage.Root}' meanwhile.");
        // The same file registered before shares it: say so, as Get would.
        registered = await _metadata.FindAsync(registered.Name, registered.Version, cancellationToken).ConfigureAwait(false) ?? registered;
        explicitRun?.AddOutput(registered);
        return registered;
    }

    /// <summary>
    /// The key of what <paramref name="path"/> (at <paramref name="writtenKey"/> under a local root) really is: a link that stays inside
    /// the root is resolved, so the key names the file itself and loads never go through the link.
    /// </summary>
    /// <exception cref="StorageLinkException">A link on the path leads outside the root.</exception>
    private static string RealKeyInside(StorageRecord storage, string writtenKey, string path)
    {
        var resolved = RealPaths.ResolveUnder(storage.Root, writtenKey);
        if (resolved.Key is { } key)
        {
            return key;
        }

        var link = resolved.Link ?? path;
        var root = string.Equals(resolved.RealRoot, storage.Root, StringComparison.Ordinal) ? $"'{storage.Root}'" : $"'{storage.Root}' (really '{resolved.RealRoot}')";
        var where = (link == path, resolved.RealPath) switch
        {
            (_, null) => $"'{link}' is a link to '{resolved.LinkTarget}', and the links from there form a loop",
            (true, var real) when real == resolved.LinkTarget => $"it is a link to '{real}', outside the storage root {root}",
            (true, var real) => $"it is a link to '{resolved.LinkTarget}', which leads to '{real}', outside the storage root {root}",
            (false, var real) => $"'{link}' on its path is a link to '{resolved.LinkTarget}', so it leads to '{real}', outside the storage root {root}",
        };
        throw new StorageLinkException(storage.Root, path, link,
            $"Cannot register '{path}': {where}. Lineage registers in place only what really lies inside a registered root, and never follows a link out of one. " +
            (resolved.RealPath is { } target
                ? $"Register '{target}' itself: under a registered root it is registered in place, outside every one it is copied into the store."
                : "Remove the loop."));
    }

    private Task EnsureCanWriteAsync(StorageRecord storage, string operation, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return Access.EnsureCanWriteAsync(storage, operation, cancellationToken);
    }

    private Task EnsureCanWriteAsync(ArtifactRecord record, string operation, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return Access.EnsureCanWriteAsync(record, operation, cancellationToken);
    }

    /// <summary>
    /// The read check of <paramref name="record"/>: its root is on this host and the user is in its space. For a record the load's
    /// lookup found (<see cref="GetToLoadAsync"/>), the space access that lookup read in the same statement is used, once.
    /// </summary>
    private Task EnsureCanReadAsync(ArtifactRecord record, CancellationToken cancellationToken)
    {
        if (!_readChecked.TryGetValue(record, out var access) || !_readChecked.Remove(record))
        {
            return Access.EnsureCanReadAsync(record.StorageId, record.StorageRoot, record.StorageHost, ReadOperation(record), cancellationToken);
        }

        Access.EnsureOnThisHost(record.StorageRoot, record.StorageHost, ReadOperation(record));
        Access.EnsureMember(access, record.StorageRoot, ReadOperation(record));
        return Task.CompletedTask;
    }

    private static string ReadOperation(ArtifactRecord record) => $"read '{record.Name}' version {record.Version}";

    /// <summary>
    /// Copies <paramref name="record"/>'s value to the same key under <paramref name="destination"/>, verifying the source while
    /// reading and the copy by reading it back. A verified copy already there (left by an interrupted run) is kept.
    /// </summary>
    /// <param name="record">The version whose value is copied.</param>
    /// <param name="destination">The root to copy it to.</param>
    /// <param name="progress">Told the bytes of each chunk as it is copied.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The bytes copied; 0 when a verified copy was already there.</returns>
    internal Task<long> CopyValueAsync(ArtifactRecord record, IValueStore destination, IProgress<long>? progress, CancellationToken cancellationToken) =>
        ValueShape.Of(record).CopyAsync(this, record, destination, progress, cancellationToken);

    private async Task<long> CopyObjectAsync(ArtifactRecord record, IValueStore destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var existing = await StoredDigests.OfObjectAsync(destination, record.Key, cancellationToken).ConfigureAwait(false);
        if (existing is { } found && found.Size == record.Size && string.Equals(found.Hash, record.Hash, StringComparison.Ordinal))
        {
            return 0;
        }

        if (existing is not null && !record.IsManaged)
        {
            throw new LineageException(
                $"'{destination.Root}' already holds a different file at '{record.Key}', where '{record.Name}' version {record.Version} (registered in place) would go; Lineage does not overwrite files it did not write.");
        }

        var source = await OpenVerifiedAsync(record, cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            // The verifying stream throws at its end if the source differs from its metadata, which abandons the write.
            await destination.WriteAsync(record.Key, (stream, ct) => CopyReportingAsync(source, stream, progress, ct), cancellationToken).ConfigureAwait(false);
        }

        var copied = await StoredDigests.OfObjectAsync(destination, record.Key, cancellationToken).ConfigureAwait(false);
        EnsureCopyMatches(record, destination, copied);
        return record.Size;
    }

    /// <summary>Removes a version's stored value: its object, or every file of a folder (links planted in it are left, never followed).</summary>
    internal static Task DeleteValueAsync(IValueStore values, ArtifactRecord record, CancellationToken cancellationToken) =>
        ValueShape.Of(record).DeleteAsync(values, record, cancellationToken);

    private static async Task DeleteFolderAsync(IValueStore values, ArtifactRecord record, CancellationToken cancellationToken)
    {
        var files = new List<StoredObject>();
        await foreach (var file in values.ListAsync(record.Key + "/", cancellationToken).ConfigureAwait(false))
        {
            files.Add(file);
        }

        foreach (var file in files)
        {
            await values.DeleteAsync(file.Key, cancellationToken).ConfigureAwait(false);
        }
    }

    private static void EnsureCopyMatches(ArtifactRecord record, IValueStore destination, ValueDigest? copied)
    {
        if (copied is not { } digest || digest.Size != record.Size || !string.Equals(digest.Hash, record.Hash, StringComparison.Ordinal))
        {
            throw new CorruptArtifactException(
                $"The copy of '{record.Name}' version {record.Version} at {destination.Root}/{record.Key} does not match the recorded size and SHA-256; the artifact still points at {record.StorageRoot}.");
        }
    }

    private static string UserProfile =>
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify);

    private static string ParentOf(string objectPath) =>
        objectPath[..Math.Max(objectPath.LastIndexOf('/'), objectPath.IndexOf("://", StringComparison.Ordinal) + "://".Length)];
}
