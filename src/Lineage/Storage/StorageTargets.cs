using Lineage.Storage;
using Lineage.Values;

namespace Lineage;

/// <summary>A registered storage location new artifacts can be written to, with its value store.</summary>
internal sealed record StorageTarget(StorageRecord Storage, IValueStore Values);

/// <summary>
/// Where this store writes new artifacts: the default location, and in keep-artifacts-local mode the local one. Saves read
/// them; <see cref="StorageRegistry"/> switches them.
/// </summary>
internal sealed class StorageTargets
{
    private StorageTarget _default = null!;
    private StorageTarget? _local;

    public StorageTarget Default
    {
        get => Volatile.Read(ref _default);
        set => Volatile.Write(ref _default, value);
    }

    public StorageTarget? Local
    {
        get => Volatile.Read(ref _local);
        set => Volatile.Write(ref _local, value);
    }
}
