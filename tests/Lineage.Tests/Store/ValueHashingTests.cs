using System.IO.Hashing;
using System.Security.Cryptography;
using Lineage.Values;

namespace Lineage.Tests.Store;

/// <summary>How a streamed save hashes what it writes: small writes copied for the hasher, large ones hashed where they lie.</summary>
public sealed class ValueHashingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    private static string Hex(byte[] hash) => Convert.ToHexString(hash).ToLowerInvariant();

    [Fact]
    public async Task Copied_and_in_place_writes_are_hashed_in_the_order_they_were_written()
    {
        byte[][] writes = [RandomBytes(1000), RandomBytes((5 << 20) + 3), RandomBytes(3), RandomBytes(PipelinedHasher.InPlaceFrom), RandomBytes(70_000)];
        var all = writes.SelectMany(w => w).ToArray();
        using var inner = new MemoryStream();
        var hasher = new PipelinedHasher();
        await using (hasher)
        {
            var stream = new HashingWriteStream(inner, hasher);
            foreach (var write in writes)
            {
                await stream.WriteAsync(write, Ct);
            }

            var digest = await hasher.FinishAsync(Ct);

            Assert.Equal(all.LongLength, digest.Size);
            Assert.Equal(all.LongLength, stream.Length);
            Assert.Equal(Hex(SHA256.HashData(all)), digest.Hash);
            Assert.Equal(ValueChecksum.Prefix + Hex(XxHash128.Hash(all)), digest.Checksum);
            Assert.True(all.AsSpan().SequenceEqual(inner.ToArray()), "the inner stream got other bytes");
        }
    }

    [Fact]
    public async Task A_large_write_is_hashed_before_it_returns_so_the_caller_may_reuse_its_buffer()
    {
        var buffer = RandomBytes(16 << 20);
        var expected = Hex(SHA256.HashData(buffer));
        var hasher = new PipelinedHasher();
        await using (hasher)
        {
            // Stream.Null takes the write at once: only the hashing can hold the write back.
            await new HashingWriteStream(Stream.Null, hasher).WriteAsync(buffer, Ct);
            Array.Fill(buffer, (byte)0xFF);

            Assert.Equal(expected, (await hasher.FinishAsync(Ct)).Hash);
        }
    }
}
