using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Lineage.Values;

namespace Lineage.Tests.Backends.Memory;

/// <summary>Objects in a dictionary; one instance per root for the life of the process, as a bucket outlives its clients.</summary>
internal sealed class MemoryValueStore(string root) : IValueStore
{
    private static readonly ConcurrentDictionary<string, MemoryValueStore> Roots = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, (byte[] Bytes, DateTimeOffset Written)> _objects = new(StringComparer.Ordinal);

    public string Root { get; } = root;

    /// <summary>The keys held now, for tests to look at.</summary>
    public IReadOnlyCollection<string> Keys => [.. _objects.Keys];

    public static MemoryValueStore At(string root) => Roots.GetOrAdd(root, r => new MemoryValueStore(r));

    public async Task WriteAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await write(buffer, cancellationToken).ConfigureAwait(false);
        _objects[key] = (buffer.ToArray(), DateTimeOffset.UtcNow);
    }

    public Task<(Stream Stream, long Length)> OpenReadAsync(string key, CancellationToken cancellationToken) =>
        _objects.TryGetValue(key, out var stored)
            ? Task.FromResult<(Stream, long)>((new MemoryStream(stored.Bytes, writable: false), stored.Bytes.LongLength))
            : throw new FileNotFoundException($"No value at {Root}/{key}.");

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        _objects.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var (key, stored) in _objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList())
        {
            yield return new StoredObject(key, stored.Bytes.LongLength, stored.Written);
        }
    }

    public async IAsyncEnumerable<PendingUpload> ListPendingUploadsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        yield break;
    }

    public Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<byte[]?> ReadSmallAsync(string key, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.TryGetValue(key, out var stored) ? stored.Bytes : null);

    public Task<bool> TryCreateSmallAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        Task.FromResult(_objects.TryAdd(key, (content.ToArray(), DateTimeOffset.UtcNow)));
}
