using Lineage.Values.Local;

namespace Lineage.Tests.Backends;

/// <summary>
/// A write at a key nothing refers to yet (a save's own): renamed into place first, then the file and its folder flushed at once.
/// What shows at the key is the whole value, and a failed write leaves nothing, as a write that may replace a file does.
/// </summary>
public sealed class LocalNewKeyWriteTests
{
    [Fact]
    public async Task A_write_at_a_new_key_leaves_the_whole_value_at_the_key_and_no_temporary_file()
    {
        using var home = new TestHome();
        var store = new LocalValueStore(home.Sub("root"));
        var small = new byte[1024];
        var large = new byte[3 << 20];
        new Random(1).NextBytes(small);
        new Random(2).NextBytes(large);

        await store.WriteNewAsync(".lineage/small", (stream, ct) => stream.WriteAsync(small, ct).AsTask(), TestContext.Current.CancellationToken);
        await store.WriteNewAsync(".lineage/large", async (stream, ct) =>
        {
            // In pieces, as a serializer writes: all of them reach the file before it is renamed and flushed.
            for (var offset = 0; offset < large.Length; offset += 100_000)
            {
                await stream.WriteAsync(large.AsMemory(offset, Math.Min(100_000, large.Length - offset)), ct);
            }
        }, TestContext.Current.CancellationToken);

        Assert.Equal(small, await File.ReadAllBytesAsync(home.Sub("root", ".lineage", "small"), TestContext.Current.CancellationToken));
        Assert.Equal(large, await File.ReadAllBytesAsync(home.Sub("root", ".lineage", "large"), TestContext.Current.CancellationToken));
        Assert.Equal(["large", "small"], Directory.GetFiles(home.Sub("root", ".lineage")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_write_at_a_new_key_whose_writer_fails_leaves_nothing_behind()
    {
        using var home = new TestHome();
        var store = new LocalValueStore(home.Sub("root"));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteNewAsync(".lineage/value", async (stream, ct) =>
        {
            await stream.WriteAsync(new byte[512], ct);
            throw new InvalidOperationException("the serializer failed");
        }, TestContext.Current.CancellationToken));

        Assert.Equal("the serializer failed", error.Message);
        Assert.Empty(Directory.GetFiles(home.Sub("root", ".lineage")));
    }
}
