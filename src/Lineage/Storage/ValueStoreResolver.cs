using System.Collections.Concurrent;
using Lineage.Values;

namespace Lineage.Storage;

/// <summary>
/// The value store of each storage root, created on first use by the backend its scheme names and kept for the store's
/// lifetime. A root whose scheme no backend answers is an error here, never a local folder by default.
/// </summary>
internal sealed class ValueStoreResolver(IReadOnlyDictionary<string, string> storageOptions)
{
    private readonly ConcurrentDictionary<string, Lazy<IValueStore>> _byRoot = new(StringComparer.Ordinal);

    public IValueStore At(string root) =>
        _byRoot.GetOrAdd(root, r => new Lazy<IValueStore>(() => ValueStoreBackend.For(r).Create(r, storageOptions))).Value;

    /// <summary>Disposes the value stores created so far (their clients and pooled connections).</summary>
    public void Release()
    {
        foreach (var values in _byRoot.Values.Where(v => v.IsValueCreated).Select(v => v.Value).OfType<IDisposable>())
        {
            values.Dispose();
        }
    }
}
