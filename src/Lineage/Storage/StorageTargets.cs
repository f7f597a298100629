using Lineage.Storage;
using Lineage.Values;

namespace Lineage;

/// <summary>A registered storage location new artifacts can be written to, with its value store.</summary>
internal sealed record StorageTarget(StorageRecord Storage, IValueStore Values);

/// <summary>
/// Where this store writes new artifacts: the default location, and in keep-artifacts-local mode the local one. Saves read
/// them; <see cref="StorageRegistry"/> switches them.
/// </summary>
/// <remarks>
/// A store opened for reading only (<see cref="ArtifactStore.OpenForReadingAsync"/>) defers registering its configured roots:
/// the first read or switch of either target registers them, once, and a registration that failed throws again on every later
/// use, so whatever needs the targets sees exactly what an eager open would have set up (or refused).
/// </remarks>
internal sealed class StorageTargets
{
    private readonly object _gate = new();
    private StorageTarget _default = null!;
    private StorageTarget? _local;
    private Func<StorageTargets, Task>? _deferred;
    private Task? _registration;

    public StorageTarget Default
    {
        get
        {
            EnsureRegistered();
            return Volatile.Read(ref _default);
        }

        set
        {
            EnsureRegistered();
            Volatile.Write(ref _default, value);
        }
    }

    public StorageTarget? Local
    {
        get
        {
            EnsureRegistered();
            return Volatile.Read(ref _local);
        }

        set
        {
            EnsureRegistered();
            Volatile.Write(ref _local, value);
        }
    }

    /// <summary>Registers the configured roots on first use instead of now; <paramref name="register"/> sets the targets with <see cref="Set"/>.</summary>
    public void Defer(Func<StorageTargets, Task> register) => _deferred = register;

    /// <summary>Sets both targets as registration found them (without waiting for a deferred registration, which this is part of).</summary>
    public void Set(StorageTarget @default, StorageTarget? local)
    {
        Volatile.Write(ref _default, @default);
        Volatile.Write(ref _local, local);
    }

    private void EnsureRegistered()
    {
        if (Volatile.Read(ref _deferred) is null)
        {
            return;
        }

        Task registration;
        lock (_gate)
        {
            registration = _registration ??= Task.Run(() => _deferred!(this));
        }

        // Synchronous: the targets are properties. The registration runs on the thread pool, so no caller's context is captured.
        registration.GetAwaiter().GetResult();
        Volatile.Write(ref _deferred, null);
    }
}
