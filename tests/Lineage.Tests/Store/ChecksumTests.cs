using System.IO.Hashing;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

/// <summary>
/// Each new version records a fast checksum (XxHash128) beside its SHA-256; loads verify with it, and versions without one (saved
/// before schema 8) verify with the SHA-256. <c>Verify</c> always checks the SHA-256.
/// </summary>
public sealed class ChecksumTests(PostgresServer postgres, S3Server s3)
{
    // Larger than the chunk a load hashes on another core (1 MiB) and than an S3 part, with a partial last chunk.
    private const int LargeSize = (18 << 20) + 777;

    private static string ChecksumOf(byte[] bytes) => "xxh128:" + Convert.ToHexString(XxHash128.Hash(bytes)).ToLowerInvariant();

    private static byte[] RandomBytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_save_records_the_checksum_of_the_stored_bytes_and_Get_returns_it(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var bytes = store.Save("bytes", RandomBytes(LargeSize, 1));
        var numbers = store.Save("numbers", Enumerable.Range(0, 1000).ToArray());
        var streamed = store.Save("streamed", new NonSeekableStream(RandomBytes(LargeSize, 1)));

        foreach (var record in new[] { bytes, numbers, streamed })
        {
            var stored = await environment.StoredValueAsync(record);
            Assert.Equal(ChecksumOf(stored), record.Checksum);
            Assert.Equal(StoreFiles.Sha256Hex(stored), record.Hash);
            Assert.Equal(record.Checksum, store.Get(record.Name).Checksum);
        }

        // The in-memory path (hashed in place) and the streamed path (hashed from queued copies) agree.
        Assert.Equal(bytes.Hash, streamed.Hash);
        Assert.Equal(bytes.Checksum, streamed.Checksum);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_load_verifies_the_checksum_and_Verify_the_SHA256(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var value = RandomBytes(LargeSize, 2);
        var record = store.Save("large", value);
        // A wrong SHA-256 in the metadata: the load, checking the checksum, does not see it; Verify, checking the SHA-256, does.
        await environment.SqlAsync($"UPDATE artifacts SET hash = '{new string('0', 64)}' WHERE uid = '{record.Uid}';");

        Assert.Equal(value, store.Load<byte[]>("large"));
        Assert.Equal(ValueCheckStatus.Corrupt, (await store.VerifyAsync(store.Get("large"), TestContext.Current.CancellationToken)).Status);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_flipped_byte_in_a_version_with_a_checksum_fails_the_load_naming_the_checksum(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var large = store.Save("large", RandomBytes(LargeSize, 3));
        var small = store.Save("small", "a small value");
        await environment.FlipByteAsync(large, offset: (9 << 20) + 5);
        await environment.FlipByteAsync(small, offset: 3);

        var error = await Assert.ThrowsAsync<CorruptArtifactException>(() => store.LoadAsync<byte[]>("large", cancellationToken: ct));
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
        Assert.Contains(large.Checksum!, error.Message, StringComparison.Ordinal);
        Assert.Throws<CorruptArtifactException>(() => store.Load<string>("small"));
        await using var stream = await store.LoadAsync<Stream>("large", cancellationToken: ct);
        await Assert.ThrowsAsync<CorruptArtifactException>(() => stream.CopyToAsync(Stream.Null, ct));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_version_without_a_checksum_loads_verified_by_its_SHA256(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var value = RandomBytes(LargeSize, 4);
        var intact = store.Save("intact", value);
        var corrupted = store.Save("corrupted", RandomBytes(LargeSize, 5));
        await environment.SqlAsync("UPDATE artifacts SET checksum = NULL;");
        await environment.FlipByteAsync(corrupted, offset: LargeSize - 10);

        Assert.Null(store.Get("intact").Checksum);
        Assert.Equal(value, await store.LoadAsync<byte[]>("intact", cancellationToken: ct));
        var error = await Assert.ThrowsAsync<CorruptArtifactException>(() => store.LoadAsync<byte[]>("corrupted", cancellationToken: ct));
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Contains(corrupted.Hash, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("checksum", error.Message, StringComparison.Ordinal);
        Assert.Equal(intact.Hash, store.Get("intact").Hash);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_save_sharing_a_stored_value_records_its_checksum_also_when_the_stored_version_has_none(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var value = RandomBytes(LargeSize, 6);
        var first = store.Save("first", value);
        var second = store.Save("second", value);
        await environment.SqlAsync($"UPDATE artifacts SET checksum = NULL WHERE uid = '{first.Uid}' OR uid = '{second.Uid}';");
        var third = store.Save("third", value);

        Assert.True(second.IsShared);
        Assert.Equal(first.Checksum, second.Checksum);
        Assert.True(third.IsShared);
        Assert.Equal(ChecksumOf(value), third.Checksum);
        Assert.Equal(ChecksumOf(value), store.Get("third").Checksum);
        Assert.Equal(value, store.Load<byte[]>("third"));
    }

    /// <summary>A stream of known bytes that cannot seek: its size is unknown before the save, so the save streams it.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}
