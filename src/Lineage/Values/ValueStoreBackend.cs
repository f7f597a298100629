using Lineage.Backends;

namespace Lineage.Values;

/// <summary>
/// The runtime's part of a value storage backend: normalising a location on this machine, and the factory for its
/// <see cref="IValueStore"/>. The rules part (<c>src/Shared/Backends</c>) is shared with the analyzers.
/// </summary>
internal abstract partial class ValueStoreBackend
{
    /// <summary>
    /// The root <paramref name="location"/> names, normalised as it is recorded in metadata (absolute for a folder).
    /// Called only for a trimmed location this backend answers and whose <see cref="Problems"/> are empty.
    /// </summary>
    public abstract string Normalize(string location, string baseDirectory, string userHome, string settingName);

    /// <summary>The store of values under the normalised <paramref name="root"/>.</summary>
    public abstract IValueStore Create(string root, IReadOnlyDictionary<string, string> storageOptions);

    /// <summary>The region recorded with a root, when the backend has regions.</summary>
    public virtual string? RegionOf(IReadOnlyDictionary<string, string> storageOptions) => null;

    /// <summary>
    /// The backend for a recorded or configured root. An unknown scheme is an error, never another backend's business.
    /// </summary>
    /// <exception cref="LineageConfigurationException">No backend answers the root's scheme.</exception>
    public static ValueStoreBackend For(string root, string settingName = "storage root") =>
        BackendCatalog.ValueStoreFor(root.Trim())
        ?? throw new LineageConfigurationException(BackendCatalog.StorageLocationProblems(root, settingName).First().Message + ".");
}
