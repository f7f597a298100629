using System.IO.Hashing;
using System.Security.Cryptography;
using Lineage.Configuration;
using Lineage.Metadata;
using Lineage.Metadata.Postgres;
using Lineage.Metadata.Sqlite;
using Lineage.Serialization;
using Lineage.Storage;
using Lineage.Telemetry;
using Lineage.Values;
using Lineage.Values.Local;
using Lineage.Values.S3;

namespace Lineage;

/// <summary>
/// Saves values under a name and gets them back by name and version. Values go to a storage root
/// (<c>&lt;root&gt;/.lineage/&lt;uid&gt;&lt;suffix&gt;</c>); metadata goes to the metadata database.
/// </summary>
/// <remarks>
/// A store is safe to use from many threads, and many processes may share one database and root.
/// The synchronous methods wrap the asynchronous ones for scripts.
/// </remarks>
public sealed partial class ArtifactStore : IDisposable, IAsyncDisposable
{
    private static readonly object DefaultGate = new();
    private static LineageOptions? _defaultOptions;
    private static ArtifactStore? _default;

    private readonly IMetadataStore _metadata;
    private readonly ValueStoreResolver _values;
    private readonly StorageTargets _targets = new();
    private readonly VersionResolver _versions;
    private readonly StoreLifetime _lifetime = new();
    private readonly bool _isShared;

    // Records found for a load, with the space access read in the lookup's own statement; by instance, so only that load uses it.
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<ArtifactRecord, StorageAccess> _readChecked = [];

    // The composition root: each registry gets the collaborators it works with, never the store itself.
    private ArtifactStore(ResolvedOptions options, IMetadataStore metadata, WritingInstanceGuard guard, bool isShared, StoreLogs logs)
    {
        Options = options;
        Logs = logs;
        _metadata = metadata;
        _isShared = isShared;
        _values = new ValueStoreResolver(options.StorageOptions);
        _versions = new VersionResolver(metadata, options, _lifetime);
        Access = new StorageAccessRules(metadata, guard, _values.At, options.Host, options.User);
        Spaces = new SpaceRegistry(metadata, options, Access);
        Storages = new StorageRegistry(metadata, options, Access, _values, _targets, Spaces, _versions,
            new MigrationServices(metadata, Access, _values, CopyValueAsync, logs.Storage), logs.Storage);
        Runs = new RunRegistry(metadata, options, _lifetime);
        Lineage = new LineageQueries(metadata, _versions);
        Aliases = new AliasRegistry(metadata, options, Access, _versions, _lifetime);
    }

    /// <summary>The settings this store runs with; fixed for its lifetime.</summary>
    public ResolvedOptions Options { get; }

    /// <summary>The uid of the metadata database: the instance that owns the roots it created.</summary>
    public string InstanceUid => _metadata.InstanceUid;

    /// <summary>The registry of storage locations: list, add, switch the default, migrate.</summary>
    public StorageRegistry Storages { get; }

    /// <summary>Spaces and their members, which restrict who may use a storage location.</summary>
    public SpaceRegistry Spaces { get; }

    /// <summary>True when this instance may write new artifacts to <see cref="ResolvedOptions.ArtifactStorageDir"/>.</summary>
    public bool IsStorageWritable => GetStorageStatusAsync().GetAwaiter().GetResult().IsWritable;

    /// <summary>
    /// The process-wide store, opened on first use from the options given to <see cref="ConfigureDefault"/>
    /// or else from the environment, the user config file and the defaults. Disposing it does nothing.
    /// </summary>
    public static ArtifactStore Default
    {
        get
        {
            lock (DefaultGate)
            {
                return _default ??= OpenAsync(_defaultOptions, isShared: true, CancellationToken.None).GetAwaiter().GetResult();
            }
        }
    }

    /// <summary>
    /// Sets the options <see cref="Default"/> opens with. Call it before the first use of <see cref="Default"/>:
    /// once the default store is open its location is fixed, and this throws.
    /// </summary>
    public static void ConfigureDefault(LineageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (DefaultGate)
        {
            if (_default is not null)
            {
                throw new InvalidOperationException(
                    "ArtifactStore.Default is already open; its storage can no longer change. Configure it before its first use, or open a separate store with ArtifactStore.Open(options).");
            }

            _defaultOptions = options;
        }
    }

    /// <summary>Opens a store. Settings not given in <paramref name="options"/> are resolved from the environment, config files and defaults.</summary>
    /// <exception cref="LineageConfigurationException">A setting is invalid or the database cannot be opened.</exception>
    public static ArtifactStore Open(LineageOptions? options = null) => OpenAsync(options).GetAwaiter().GetResult();

    /// <inheritdoc cref="Open"/>
    public static Task<ArtifactStore> OpenAsync(LineageOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenAsync(options, isShared: false, cancellationToken);

    /// <summary>
    /// Opens a store for commands that read metadata only (<c>lineage ls</c>, <c>versions</c>, <c>find</c>, <c>show</c>): the
    /// configured storage roots are registered (their markers read, claimed when unmarked) on the first use of a write target,
    /// not at open, so a listing neither touches the roots nor waits for them. A bad or unreachable root is reported by the first
    /// operation that needs it, with the error <see cref="OpenAsync(LineageOptions?, CancellationToken)"/> would have thrown.
    /// </summary>
    internal static Task<ArtifactStore> OpenForReadingAsync(LineageOptions? options, CancellationToken cancellationToken) =>
        OpenAsync(options, isShared: false, cancellationToken, deferStorages: true);

    private static async Task<ArtifactStore> OpenAsync(LineageOptions? options, bool isShared, CancellationToken cancellationToken, bool deferStorages = false)
    {
        var resolved = OptionsResolver.Resolve(options);

        var metadata = await resolved.Database.Backend.OpenAsync(resolved.Database, cancellationToken).ConfigureAwait(false);

        var logs = StoreLogs.For(options?.LoggerFactory);
        var store = new ArtifactStore(resolved, metadata, new WritingInstanceGuard(metadata.InstanceUid, resolved.MaskedDatabaseUrl, log: logs.Storage), isShared, logs);
        try
        {
            if (deferStorages)
            {
                store._targets.Defer(targets => store.RegisterConfiguredRootsAsync(targets, CancellationToken.None));
            }
            else
            {
                await store.RegisterConfiguredRootsAsync(store._targets, cancellationToken).ConfigureAwait(false);
            }

            options?.Freeze();
            store.LogOpened();
            return store;
        }
        catch
        {
            store._values.Release();
            await metadata.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The configured roots are registered (and claimed when unmarked) like Storages.Add would, and become the write targets.</summary>
    private async Task RegisterConfiguredRootsAsync(StorageTargets targets, CancellationToken cancellationToken)
    {
        var defaultStorage = await Storages.RegisterAsync(Options.Storage, description: null, host: null, cancellationToken).ConfigureAwait(false);
        var defaultTarget = new StorageTarget(defaultStorage, ValuesAt(defaultStorage.Root));
        StorageTarget? localTarget = null;
        if (Options.LocalStorage is { } local)
        {
            var localStorage = await Storages.RegisterAsync(local, description: null, host: null, cancellationToken).ConfigureAwait(false);
            localTarget = new StorageTarget(localStorage, ValuesAt(localStorage.Root));
        }

        targets.Set(defaultTarget, localTarget);
    }

    /// <summary>Saves <paramref name="value"/> as the next version of <paramref name="name"/>.</summary>
    /// <returns>The new version's metadata.</returns>
    /// <exception cref="ReadOnlyStorageException">Another instance owns the storage root.</exception>
    /// <exception cref="ArtifactSerializationException">The value's type cannot be serialized.</exception>
    public ArtifactRecord Save<T>(string name, T value) => SaveAsync(name, value).GetAwaiter().GetResult();

    /// <inheritdoc cref="Save{T}(string, T)"/>
    public Task<ArtifactRecord> SaveAsync<T>(string name, T value, CancellationToken cancellationToken = default) =>
        SaveAsync(name, value, code: null, cancellationToken);

    /// <summary>Saves <paramref name="value"/> as the next version of <paramref name="name"/>, recording the code that produced it.</summary>
    /// <remarks>Generated accessors (<c>Artifacts.X.Save</c>) call this with the code captured at compile time.</remarks>
    public ArtifactRecord Save<T>(string name, T value, ArtifactCode? code) => SaveAsync(name, value, code).GetAwaiter().GetResult();

    /// <inheritdoc cref="Save{T}(string, T, ArtifactCode?)"/>
    public Task<ArtifactRecord> SaveAsync<T>(string name, T value, ArtifactCode? code, CancellationToken cancellationToken = default) =>
        SaveAsync(name, value, code, inputsHash: null, exactInputs: null, options: null, cancellationToken);

    /// <summary>
    /// Returns the value of the latest version of <paramref name="name"/> that <paramref name="code"/> computed from
    /// inputs hashing to <paramref name="inputsHash"/>; when there is none, runs <paramref name="compute"/>, saves its
    /// result with the code and inputs, and returns it.
    /// </summary>
    /// <remarks>Generated accessors (<c>Artifacts.X.GetOrCompute(...)</c>) call this; see <see cref="InputHasher"/>.</remarks>
    public T GetOrCompute<T>(string name, ArtifactCode code, string inputsHash, Func<T> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        return GetOrComputeAsync(name, code, inputsHash, _ => Task.FromResult(compute())).GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="GetOrCompute{T}(string, ArtifactCode, string, Func{T})"/>
    public Task<T> GetOrComputeAsync<T>(string name, ArtifactCode code, string inputsHash, Func<CancellationToken, Task<T>> compute, CancellationToken cancellationToken = default) =>
        GetOrComputeAsync(name, code, inputsHash, exactInputs: null, compute, cancellationToken);

    private async Task<T> GetOrComputeCoreAsync<T>(string name, ArtifactCode code, string inputsHash, IReadOnlyList<InputDigest>? exactInputs, Func<CancellationToken, Task<T>> compute, CacheLookup? lookup, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        name = ArtifactName.Validate(name);
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(inputsHash);
        ArgumentNullException.ThrowIfNull(compute);
        if (await _metadata.FindComputedAsync(name, code.CodeVersion, inputsHash, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            lookup?.Hit(stored);
            return await LoadAsync<T>(stored, cancellationToken).ConfigureAwait(false);
        }

        lookup?.Miss();
        var value = await compute(cancellationToken).ConfigureAwait(false);
        var saved = await SaveAsync(name, value, code, inputsHash, exactInputs ?? [], options: null, cancellationToken).ConfigureAwait(false);
        lookup?.Saved(saved);
        return value;
    }

    /// <summary>
    /// Returns the value of the latest version of <paramref name="name"/> that <paramref name="code"/> computed from these
    /// <paramref name="inputs"/>; when there is none, runs <paramref name="compute"/>, saves its result with the code and the
    /// inputs, and returns it. An input whose content hash equals a stored version's is recorded as that version: the new
    /// version's exact inputs (see <c>store.Lineage</c>).
    /// </summary>
    /// <remarks>Generated accessors (<c>Artifacts.X.GetOrCompute(...)</c>) call this.</remarks>
    public T GetOrCompute<T>(string name, ArtifactCode code, InputHasher inputs, Func<T> compute)
    {
        ArgumentNullException.ThrowIfNull(compute);
        return GetOrComputeAsync(name, code, inputs, _ => Task.FromResult(compute())).GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="GetOrCompute{T}(string, ArtifactCode, InputHasher, Func{T})"/>
    public Task<T> GetOrComputeAsync<T>(string name, ArtifactCode code, InputHasher inputs, Func<CancellationToken, Task<T>> compute, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return GetOrComputeAsync(name, code, inputs.Finish(), inputs.Inputs, compute, cancellationToken);
    }

    private async Task<ArtifactRecord> SaveCoreAsync<T>(string name, T value, ArtifactCode? code, string? inputsHash, IReadOnlyList<InputDigest>? exactInputs, SaveOptions? options, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        name = ArtifactName.Validate(name);
        var tags = Annotations.Tags((options?.Tags ?? []).Concat(code?.Tags ?? []));
        var metadata = Annotations.Metadata(options?.Metadata);
        var plan = ValueSerializer.Plan(value);
        var target = LocalTarget ?? DefaultTarget;
        try
        {
            await Access.EnsureCanWriteAsync(target.Storage.Id, target.Storage.Root, target.Storage.Host, $"save '{name}'", cancellationToken, membershipMayBeRemembered: true).ConfigureAwait(false);
        }
        catch (MetadataDatabaseException e)
        {
            throw new MetadataDatabaseException(e.DatabaseUrl, $"Saving '{name}' failed; nothing was stored. {e.Message}", e);
        }

        var (run, loaded, explicitRun) = await SavingRunAsync(cancellationToken).ConfigureAwait(false);
        var uid = Uid.New();
        NewArtifact Row(string valueKey, ValueDigest valueDigest, bool sharesValue) =>
            new(uid, name, UtcNowToMicroseconds(), Options.User, Options.Host,
                valueDigest.Size, valueDigest.Hash, plan.TypeName, plan.Format, target.Storage.Id, target.Storage.Root, valueKey, code, inputsHash, plan.TypeSchema,
                target.Storage.Host, AccessUser: Options.User, Run: run, ExactInputs: exactInputs, LoadedInputUids: loaded,
                Description: options?.Description ?? code?.Description, Tags: tags, Metadata: metadata, SharesValue: sharesValue,
                Checksum: valueDigest.Checksum);

        // The same bytes already in the root: the new version points at them, and nothing is written.
        var (sameKey, hashed) = await FindSameValueAsync(target, plan, cancellationToken).ConfigureAwait(false);
        if (sameKey is not null && hashed is { } same
            && await SaveSharedAsync(name, target, Row(sameKey, same, sharesValue: true), cancellationToken).ConfigureAwait(false) is { } sharing)
        {
            explicitRun?.AddOutput(sharing);
            await SettlePendingSavesAsync().ConfigureAwait(false);
            return sharing;
        }

        var key = $".lineage/{uid}{plan.Suffix}";
        ValueDigest digest;
        try
        {
            digest = await WriteValueAsync(target.Values, key, plan, hashed?.Hash, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // The key is this save's own: whatever reached it before the failure (a rename whose directory sync failed) goes too.
            await TryDeleteValueAsync(target.Values, key).ConfigureAwait(false);
            if (AtomicFile.IsDiskFull(e))
            {
                throw new StorageFullException(target.Storage.Root,
                    $"Saving '{name}' failed: storage root '{target.Storage.Root}' has no space left ({e.Message}); nothing was stored. Free space there, or save to another root.", e);
            }

            throw;
        }

        ArtifactRecord? inserted;
        try
        {
            // The space check runs again inside the insert: a membership revoked since it was last confirmed stops the row here.
            inserted = await _metadata.InsertArtifactAsync(Row(key, digest, sharesValue: false), cancellationToken).ConfigureAwait(false);
        }
        catch (MetadataDatabaseException e)
        {
            // The value goes only when its row provably does not exist and never will: a commit whose answer was lost may have stored it.
            var failed = new PendingSave(uid, name, key, e.WriterSession, DateTimeOffset.UtcNow);
            var lost = e.ConnectionOpened ? await LearnLostInsertAsync(failed).ConfigureAwait(false) : new LostInsert(LostInsertState.Absent, null);
            if (lost is { State: LostInsertState.Recorded, Row: { } row })
            {
                Logs.Artifacts.LostAnswerRecovered(row.Name, row.Version);
                return row;
            }

            throw await FailedSaveAsync(target, failed, lost.State, e).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Cancelled (or failed other than by the database): the value goes when no row points to it; with a row or no answer, gc decides.
            if ((await LearnLostInsertAsync(new PendingSave(uid, name, key, null, DateTimeOffset.UtcNow)).ConfigureAwait(false)).State == LostInsertState.Absent)
            {
                await TryDeleteValueAsync(target.Values, key).ConfigureAwait(false);
            }

            throw;
        }

        if (inserted is null)
        {
            await target.Values.DeleteAsync(key, CancellationToken.None).ConfigureAwait(false);
            Access.ForgetMembership(target.Storage.Id);
            await Access.EnsureSpaceMemberAsync(target.Storage.Id, target.Storage.Root, $"save '{name}'", cancellationToken).ConfigureAwait(false);
            throw new LineageException($"Saving '{name}' was refused by the metadata database's space check for '{target.Storage}'; nothing was stored. Try again.");
        }

        explicitRun?.AddOutput(inserted);
        await SettlePendingSavesAsync().ConfigureAwait(false);
        return inserted;
    }

    /// <summary>
    /// Writes <paramref name="plan"/>'s bytes at <paramref name="key"/> and returns their digest, hashed on other cores while they are
    /// written (and, on a local root, while they are flushed to disk): a large save costs about the slower of hashing and writing.
    /// <paramref name="sha256"/> is the SHA-256 of bytes in memory when the lookup for the same value computed it already.
    /// </summary>
    private static async Task<ValueDigest> WriteValueAsync(IValueStore values, string key, SavePlan plan, string? sha256, CancellationToken cancellationToken)
    {
        if (plan.Bytes is { } bytes)
        {
            // In memory and unchanging: hashed in place, no copy, and the hashing may go on past the write, through the fsync.
            // A SHA-256 the lookup computed is not computed again: only the load checksum is left.
            var hashing = sha256 is null ? ValueHasher.OfAsync(bytes) : ChecksumAsync(bytes, sha256);
            try
            {
                // The key is this save's own, and its row is written only after this returns: the write may take the shorter way.
                await values.WriteNewAsync(key, (destination, ct) => plan.WriteTo(destination, ct), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await ((Task)hashing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }

            return await hashing.ConfigureAwait(false);
        }

        // Streamed: hashed on another core as it is written (a small write copied for the hasher, a large one hashed in place while
        // it is written); the last attempt's hasher holds the digest.
        PipelinedHasher? hasher = null;
        try
        {
            await values.WriteAsync(key, async (destination, ct) =>
            {
                if (hasher is not null)
                {
                    await hasher.DisposeAsync().ConfigureAwait(false);
                }

                hasher = new PipelinedHasher();
                await plan.WriteTo(new HashingWriteStream(destination, hasher), ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
            return hasher is null
                ? throw new InvalidOperationException($"The value store for '{values.Root}' did not write '{key}'.")
                : await hasher.FinishAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (hasher is not null)
            {
                await hasher.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Up to this size (64 KiB) a value in memory is hashed before the root is asked whether it holds a value of its size.</summary>
    private const int HashBeforeAskingUpTo = 1 << 16;

    /// <summary>From this size (256 KiB, as <see cref="ValueHasher.OfAsync"/>) the load checksum is computed on another thread, alongside the write.</summary>
    private const int ChecksumOffThreadFrom = 1 << 18;

    /// <summary>The digest of bytes in memory whose SHA-256 is known: only their load checksum is computed.</summary>
    private static Task<ValueDigest> ChecksumAsync(ReadOnlyMemory<byte> bytes, string sha256)
    {
        static string Checksum(ReadOnlyMemory<byte> bytes) => ValueChecksum.Prefix + Convert.ToHexString(XxHash128.Hash(bytes.Span)).ToLowerInvariant();
        return bytes.Length < ChecksumOffThreadFrom
            ? Task.FromResult(new ValueDigest(bytes.Length, sha256, Checksum(bytes)))
            : Task.Run(() => new ValueDigest(bytes.Length, sha256, Checksum(bytes)));
    }

    /// <summary>
    /// The key and digest of a value Lineage wrote in the target root with the same bytes as <paramref name="plan"/>; when there is none,
    /// no key, and the digest the lookup computed (SHA-256 only) for bytes in memory, which the write then does not compute again. Only a plan
    /// whose size is known before writing, and only when the root holds a value of that size, is hashed first (a first save costs one
    /// indexed query more, no second pass over its bytes); a value registered in place is never shared (its owner may change it).
    /// </summary>
    private async Task<(string? Key, ValueDigest? Digest)> FindSameValueAsync(StorageTarget target, SavePlan plan, CancellationToken cancellationToken)
    {
        ValueDigest? hashed = null;
        try
        {
            // A small value in memory is hashed at once and looked up by its hash: hashing it costs less than asking for its size first.
            var hashAtOnce = plan.Bytes is { Length: <= HashBeforeAskingUpTo };
            if (plan.Size is not { } size || (!hashAtOnce && !await _metadata.HasValueOfSizeAsync(target.Storage.Id, size, cancellationToken).ConfigureAwait(false)))
            {
                return (null, null);
            }

            ValueDigest digest;
            if (plan.Bytes is { } bytes)
            {
                // The SHA-256 alone finds the value; its load checksum is the stored value's own (computed only when it has none).
                digest = new ValueDigest(bytes.Length, Convert.ToHexString(SHA256.HashData(bytes.Span)).ToLowerInvariant());
                hashed = digest;
            }
            else
            {
                var hasher = new PipelinedHasher();
                await using (hasher.ConfigureAwait(false))
                {
                    await plan.WriteTo(new HashingWriteStream(Stream.Null, hasher), cancellationToken).ConfigureAwait(false);
                    digest = await hasher.FinishAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            if (await _metadata.FindValueAsync(target.Storage.Id, digest.Size, digest.Hash, cancellationToken).ConfigureAwait(false) is not { } found)
            {
                return (null, hashed);
            }

            var (key, checksum) = found;
            if (digest.Checksum is null)
            {
                digest = digest with
                {
                    Checksum = ValueChecksum.IsKnown(checksum) ? checksum : ValueChecksum.Prefix + Convert.ToHexString(XxHash128.Hash(plan.Bytes!.Value.Span)).ToLowerInvariant(),
                };
            }

            // Still there with its size (a file removed behind Lineage's back is not shared); its bytes are verified when loaded, as always.
            try
            {
                var (stream, length) = await target.Values.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
                await stream.DisposeAsync().ConfigureAwait(false);
                return length == digest.Size ? (key, digest) : (null, hashed);
            }
            catch (FileNotFoundException)
            {
                return (null, hashed);
            }
        }
        catch (MetadataDatabaseException)
        {
            // Sharing saves space, nothing more: without an answer the save writes its value, and its insert says what the database does.
            return (null, hashed);
        }
    }

    /// <summary>
    /// Records a version that points at a value already stored; null when no version points at that value any more (a permanent
    /// delete got there first), and the caller writes the value itself. Nothing is ever written or removed here.
    /// </summary>
    private async Task<ArtifactRecord?> SaveSharedAsync(string name, StorageTarget target, NewArtifact row, CancellationToken cancellationToken)
    {
        ArtifactRecord? inserted;
        try
        {
            inserted = await _metadata.InsertArtifactAsync(row, cancellationToken).ConfigureAwait(false);
        }
        catch (SharedValueGoneException)
        {
            return null;
        }
        catch (MetadataDatabaseException e)
        {
            var lost = e.ConnectionOpened
                ? await LearnLostInsertAsync(new PendingSave(row.Uid, name, row.Key, e.WriterSession, DateTimeOffset.UtcNow)).ConfigureAwait(false)
                : new LostInsert(LostInsertState.Absent, null);
            return lost switch
            {
                { State: LostInsertState.Recorded, Row: { } recorded } => recorded,
                { State: LostInsertState.Absent } => throw new MetadataDatabaseException(e.DatabaseUrl, $"Saving '{name}' failed; nothing was stored. {e.Message}", e),
                _ => throw new MetadataDatabaseException(e.DatabaseUrl,
                    $"Saving '{name}' failed, and whether its version was recorded is unknown: the database cannot tell yet. No value was written (the root already held the same bytes), so nothing needs cleaning up; " +
                    $"if the version was recorded, it is listed by Versions(\"{name}\") like any other. {e.Message}", e),
            };
        }

        if (inserted is null)
        {
            Access.ForgetMembership(target.Storage.Id);
            await Access.EnsureSpaceMemberAsync(target.Storage.Id, target.Storage.Root, $"save '{name}'", cancellationToken).ConfigureAwait(false);
            throw new LineageException($"Saving '{name}' was refused by the metadata database's space check for '{target.Storage}'; nothing was stored. Try again.");
        }

        return inserted;
    }

    /// <summary>Loads a version of <paramref name="name"/> (the latest when <paramref name="version"/> is null), verifying its size and hash.</summary>
    /// <remarks>
    /// Values saved as bytes, streams or files load as <c>byte[]</c> or <see cref="Stream"/>. A returned stream is the
    /// caller's to dispose; its <see cref="Stream.Length"/> is the recorded size, and the read that delivers the last
    /// recorded byte (or meets an early end) checks size and hash before it returns, throwing
    /// <see cref="CorruptArtifactException"/> instead. A stream disposed before its last byte was read has verified nothing.
    /// The hash a load checks is the fast checksum recorded beside the SHA-256 (XxHash128, versions saved since schema 8), which
    /// catches accidental corruption; versions without one are checked by their SHA-256. <see cref="VerifyAsync(ArtifactRecord, CancellationToken)"/>
    /// always checks the SHA-256.
    /// </remarks>
    /// <exception cref="ArtifactNotFoundException">No such artifact or version.</exception>
    /// <exception cref="ArtifactTypeMismatchException">It was saved as another type.</exception>
    /// <exception cref="CorruptArtifactException">The stored value is missing or does not match its metadata.</exception>
    /// <exception cref="StorageLinkException">A link was planted on its path in a local storage location: Lineage does not read through it.</exception>
    public T Load<T>(string name, int? version = null) => LoadAsync<T>(name, version).GetAwaiter().GetResult();

    /// <inheritdoc cref="Load{T}"/>
    public Task<T> LoadAsync<T>(string name, int? version = null, CancellationToken cancellationToken = default) =>
        IsLoadObserved ? LoadObservedAsync<T>(name, version, record: null, cancellationToken) : LoadByNameAsync<T>(name, version, cancellationToken);

    private async Task<T> LoadByNameAsync<T>(string name, int? version, CancellationToken cancellationToken) =>
        await LoadCoreAsync<T>(await GetToLoadAsync(name, version, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// <see cref="GetAsync(string, int?, CancellationToken)"/> for a load, with the user's membership of the storage's space read by the same statement as the row (one
    /// round trip); the load's read check then uses that answer instead of asking again. The record is complete only when an explicit run will show it
    /// among its inputs; otherwise it lacks source code, aliases and the shared flag, which nobody sees.
    /// </summary>
    private async Task<ArtifactRecord> GetToLoadAsync(string reference, int? version, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        var (name, resolvedVersion, alias) = Resolve(reference, version);
        if (alias is not null)
        {
            return await GetAsync(reference, version, cancellationToken).ConfigureAwait(false);
        }

        var found = await _metadata.FindToLoadAsync(name, resolvedVersion, Options.User, complete: AmbientRun is not null, cancellationToken).ConfigureAwait(false)
            ?? throw await NotFoundAsync(name, resolvedVersion, cancellationToken).ConfigureAwait(false);
        var record = found.Record;
        if (record.Branch == ArtifactBranch.Trash)
        {
            throw InTrash(record);
        }

        _readChecked.AddOrUpdate(record, found.Access);
        return record;
    }

    private async Task<T> LoadCoreAsync<T>(ArtifactRecord record, CancellationToken cancellationToken)
    {
        ValueSerializer.EnsureLoadableAs<T>(record);
        var value = await ValueShape.Of(record).LoadAsync<T>(this, record, cancellationToken).ConfigureAwait(false);
        RecordLoad(record);
        return value;
    }

    private async Task<T> LoadObjectAsync<T>(ArtifactRecord record, CancellationToken cancellationToken)
    {
        var verifying = await OpenVerifiedAsync(record, cancellationToken, useChecksum: true).ConfigureAwait(false);
        return await ValueSerializer.ReadAsync<T>(record, verifying, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Opens a stored value after checking it exists with the recorded size; reading it to the end checks the SHA-256, or with
    /// <paramref name="useChecksum"/> (loads) the version's fast checksum when it has one (see <see cref="ValueChecksum"/>).
    /// </summary>
    private async Task<VerifyingReadStream> OpenVerifiedAsync(ArtifactRecord record, CancellationToken cancellationToken, bool useChecksum = false)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(record);
        await EnsureCanReadAsync(record, cancellationToken).ConfigureAwait(false);
        var description = record.IsManaged
            ? $"The stored value of '{record.Name}' version {record.Version} ({record.StorageRoot}/{record.Key})"
            : $"The file '{record.Key}' registered in place as '{record.Name}' version {record.Version} (in {record.StorageRoot})";
        Stream stream;
        long length;
        try
        {
            (stream, length) = await ValuesAt(record.StorageRoot).OpenReadAsync(record.Key, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException e)
        {
            throw new CorruptArtifactException($"{description} is missing.", e);
        }

        if (length != record.Size)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new CorruptArtifactException(record.IsManaged
                ? $"{description} is corrupt: it has {length} bytes, the metadata records {record.Size}."
                : $"{description} has changed since it was registered: it has {length} bytes, {record.Size} were registered. Register it again to record the new content.");
        }

        return new VerifyingReadStream(stream, new ValueDigest(record.Size, record.Hash, record.Checksum), description,
            changedWord: record.IsManaged ? "corrupt" : "changed since it was registered", useChecksum: useChecksum);
    }

    /// <summary>The metadata of a version of <paramref name="name"/> (the latest when <paramref name="version"/> is null).</summary>
    /// <exception cref="ArtifactNotFoundException">No such artifact or version, or it is in the trash.</exception>
    public ArtifactRecord Get(string name, int? version = null) => GetAsync(name, version).GetAwaiter().GetResult();

    /// <inheritdoc cref="Get(string, int?)"/>
    public async Task<ArtifactRecord> GetAsync(string name, int? version = null, CancellationToken cancellationToken = default)
    {
        var record = await FindAsync(name, version, cancellationToken).ConfigureAwait(false);
        return record.Branch == ArtifactBranch.Trash ? throw InTrash(record) : record;
    }

    private static ArtifactNotFoundException InTrash(ArtifactRecord record) => new(record.Name, record.Version,
        $"Artifact '{record.Name}' version {record.Version} is in the trash; Restore(\"{record.Name}\", {record.Version}) brings it back.");

    /// <summary>The latest version of every artifact, ordered by name.</summary>
    public IReadOnlyList<ArtifactRecord> List() => ListAsync().GetAwaiter().GetResult();

    /// <inheritdoc cref="List"/>
    public Task<IReadOnlyList<ArtifactRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _metadata.ListLatestAsync(cancellationToken);
    }

    /// <summary>
    /// One page of <see cref="List"/>: the latest version of up to <paramref name="limit"/> names, by name, starting after
    /// <paramref name="cursor"/> (the <see cref="ArtifactPage.NextCursor"/> of the previous page; null for the first). A page reads
    /// only its own names, however many the store holds.
    /// </summary>
    /// <param name="limit">At most this many records, 1 to <see cref="ArtifactPage.MaxLimit"/>.</param>
    /// <param name="cursor">Where the page starts: null, or the previous page's <see cref="ArtifactPage.NextCursor"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="cursor"/> is not a cursor a page returned.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is out of range.</exception>
    public ArtifactPage ListPage(int limit = 50, string? cursor = null) => ListPageAsync(limit, cursor).GetAwaiter().GetResult();

    /// <inheritdoc cref="ListPage"/>
    public async Task<ArtifactPage> ListPageAsync(int limit = 50, string? cursor = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, ArtifactPage.MaxLimit);
        var after = ArtifactPage.NameAfter(cursor);
        // One more than asked tells whether another page follows, without a count.
        var records = await _metadata.ListLatestAsync(after, limit + 1, cancellationToken).ConfigureAwait(false);
        return records.Count > limit
            ? new ArtifactPage([.. records.Take(limit)], ArtifactPage.CursorAfter(records[limit - 1].Name))
            : new ArtifactPage(records, null);
    }

    /// <summary>How many names <see cref="List"/> lists after <paramref name="cursor"/> (all of them when null): what the pages from there hold.</summary>
    /// <exception cref="ArgumentException"><paramref name="cursor"/> is not a cursor a page returned.</exception>
    public int CountListed(string? cursor = null) => CountListedAsync(cursor).GetAwaiter().GetResult();

    /// <inheritdoc cref="CountListed"/>
    public Task<int> CountListedAsync(string? cursor = null, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return _metadata.CountLatestAsync(ArtifactPage.NameAfter(cursor), cancellationToken);
    }

    /// <summary>The latest version of every artifact, ordered by name, read a page of <paramref name="pageSize"/> at a time.</summary>
    public async IAsyncEnumerable<ArtifactRecord> ListEachAsync(int pageSize = 1_000, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? cursor = null;
        do
        {
            var page = await ListPageAsync(pageSize, cursor, cancellationToken).ConfigureAwait(false);
            foreach (var record in page.Items)
            {
                yield return record;
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>The live versions of <paramref name="name"/>, oldest first.</summary>
    /// <exception cref="ArtifactNotFoundException">The name has no live version.</exception>
    public IReadOnlyList<ArtifactRecord> Versions(string name) => VersionsAsync(name).GetAwaiter().GetResult();

    /// <inheritdoc cref="Versions"/>
    public async Task<IReadOnlyList<ArtifactRecord>> VersionsAsync(string name, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var (resolved, version, alias) = Resolve(name, null);
        if (version is not null || alias is not null)
        {
            throw new ArgumentException($"Versions takes an artifact name; '{name}' names one version. Pass '{resolved}'.", nameof(name));
        }

        name = resolved;
        var versions = await _metadata.VersionsAsync(name, cancellationToken).ConfigureAwait(false);
        return versions.Count > 0 ? versions : throw await NotFoundAsync(name, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes one version. By default it moves to the trash (hidden, restorable with <see cref="Restore"/>);
    /// with <paramref name="permanent"/> its metadata and value are removed. Its version number is never reused.
    /// A file registered in place is never removed this way: see <see cref="Delete(string, int, bool, bool)"/>.
    /// </summary>
    public void Delete(string name, int version, bool permanent = false) => DeleteAsync(name, version, permanent).GetAwaiter().GetResult();

    /// <summary>
    /// Deletes one version; with <paramref name="permanent"/> and <paramref name="deleteInPlaceFile"/>, a file that was
    /// registered in place (which Lineage did not write) is removed along with its row.
    /// </summary>
    public void Delete(string name, int version, bool permanent, bool deleteInPlaceFile) =>
        DeleteAsync(name, version, permanent, deleteInPlaceFile).GetAwaiter().GetResult();

    /// <inheritdoc cref="Delete(string, int, bool)"/>
    public Task DeleteAsync(string name, int version, bool permanent = false, CancellationToken cancellationToken = default) =>
        DeleteAsync(name, version, permanent, deleteInPlaceFile: false, cancellationToken);

    /// <inheritdoc cref="Delete(string, int, bool, bool)"/>
    public Task DeleteAsync(string name, int version, bool permanent, bool deleteInPlaceFile, CancellationToken cancellationToken = default) =>
        DeleteAsync(name, version, permanent, deleteInPlaceFile, removeAliases: false, cancellationToken);

    /// <summary>
    /// Deletes one version as <see cref="Delete(string, int, bool, bool)"/> does. A version an alias points at is refused
    /// (<see cref="AliasedVersionException"/>) unless <paramref name="removeAliases"/> is set: then its aliases are removed first,
    /// each removal kept in the alias's history.
    /// </summary>
    public void Delete(string name, int version, bool permanent, bool deleteInPlaceFile, bool removeAliases) =>
        DeleteAsync(name, version, permanent, deleteInPlaceFile, removeAliases).GetAwaiter().GetResult();

    /// <inheritdoc cref="Delete(string, int, bool, bool, bool)"/>
    public async Task DeleteAsync(string name, int version, bool permanent, bool deleteInPlaceFile, bool removeAliases, CancellationToken cancellationToken = default)
    {
        var record = await FindAsync(name, version, cancellationToken).ConfigureAwait(false);
        var operation = permanent ? $"permanently delete '{record.Name}' version {record.Version}" : $"delete '{record.Name}' version {record.Version}";
        await EnsureCanWriteAsync(record, operation, cancellationToken).ConfigureAwait(false);
        await ReleaseAliasesAsync(record, removeAliases, operation, cancellationToken).ConfigureAwait(false);
        if (!permanent)
        {
            await _metadata.SetBranchAsync(record.Uid, ArtifactBranch.Trash, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Row first, value second: a crash in between leaves an unreferenced file, never a row without its value. The value goes only
        // when no other version (any name, any branch) points at it, decided with the row's delete.
        var unreferenced = await _metadata.DeleteAsync(record.Uid, cancellationToken).ConfigureAwait(false);
        if (unreferenced && (record.IsManaged || deleteInPlaceFile))
        {
            await DeleteValueAsync(ValuesAt(record.StorageRoot), record, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Moves a version to the archive: hidden from listings and from "latest", still loadable by its version number.</summary>
    public void Archive(string name, int version) => ArchiveAsync(name, version).GetAwaiter().GetResult();

    /// <inheritdoc cref="Archive"/>
    public async Task ArchiveAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        var record = await FindAsync(name, version, cancellationToken).ConfigureAwait(false);
        if (record.Branch == ArtifactBranch.Archive)
        {
            return;
        }

        await EnsureCanWriteAsync(record, $"archive '{name}' version {version}", cancellationToken).ConfigureAwait(false);
        await _metadata.SetBranchAsync(record.Uid, ArtifactBranch.Archive, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Brings a version back from the trash (or the archive) to the live artifacts.</summary>
    public void Restore(string name, int version) => RestoreAsync(name, version).GetAwaiter().GetResult();

    /// <inheritdoc cref="Restore"/>
    public async Task RestoreAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        var record = await FindAsync(name, version, cancellationToken).ConfigureAwait(false);
        if (record.Branch == ArtifactBranch.Main)
        {
            return;
        }

        await EnsureCanWriteAsync(record, $"restore '{name}' version {version}", cancellationToken).ConfigureAwait(false);
        await _metadata.SetBranchAsync(record.Uid, ArtifactBranch.Main, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the store. Disposing <see cref="Default"/> does nothing.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="Dispose"/>
    public async ValueTask DisposeAsync()
    {
        if (_isShared || !_lifetime.Close())
        {
            return;
        }

        await FinishImplicitRunAsync().ConfigureAwait(false);
        await _metadata.DisposeAsync().ConfigureAwait(false);
        _values.Release();
    }

    private Task<ArtifactRecord> FindAsync(string reference, int? version, CancellationToken cancellationToken) =>
        _versions.FindAsync(reference, version, cancellationToken);

    private Task<ArtifactNotFoundException> NotFoundAsync(string name, int? version, CancellationToken cancellationToken) =>
        _versions.NotFoundAsync(name, version, cancellationToken);

    internal IValueStore ValuesAt(string root) => _values.At(root);

    // Every database keeps microseconds: the record Save returns must equal the one Get reads back.
    internal static DateTimeOffset UtcNowToMicroseconds()
    {
        var now = DateTimeOffset.UtcNow;
        return now.AddTicks(-(now.Ticks % 10));
    }

    private void ThrowIfDisposed() => _lifetime.ThrowIfClosed();
}
