namespace Lineage;

/// <summary>Whether a store is closed, shared by the store and its registries so that each refuses work once it is.</summary>
internal sealed class StoreLifetime
{
    private int _closed;

    public bool IsClosed => Volatile.Read(ref _closed) == 1;

    /// <summary>Marks the store closed; true only for the first call.</summary>
    public bool Close() => Interlocked.Exchange(ref _closed, 1) == 0;

    public void ThrowIfClosed() => ObjectDisposedException.ThrowIf(IsClosed, typeof(ArtifactStore));
}
