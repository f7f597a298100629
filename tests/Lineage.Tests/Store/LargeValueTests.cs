using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

/// <summary>
/// Values larger than an S3 multipart part (16 MiB): on S3 they go up as a parallel multipart upload, on a
/// local root through the same streaming path. ~40 MiB makes two full parts and a partial third.
/// </summary>
public sealed class LargeValueTests(PostgresServer postgres, S3Server s3)
{
    private const int PartSize = 16 << 20;
    private const int Size = (40 << 20) + 12345;

    private static readonly Lazy<byte[]> Random40MiB = new(() =>
    {
        var bytes = new byte[Size];
        new Random(20240506).NextBytes(bytes);
        return bytes;
    });

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Bytes_larger_than_a_part_save_and_load_byte_identical(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = Random40MiB.Value;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var record = await store.SaveAsync("large", bytes, ct);

        Assert.True(record.Size > 2L * PartSize);
        Assert.Equal(bytes.Length, record.Size);
        Assert.Equal(StoreFiles.Sha256Hex(bytes), record.Hash);
        var stored = await environment.StoredValueAsync(record);
        Assert.Equal(bytes.Length, stored.Length);
        Assert.True(bytes.AsSpan().SequenceEqual(stored), "the stored object differs from the saved bytes");
        var loaded = await store.LoadAsync<byte[]>("large", cancellationToken: ct);
        Assert.True(bytes.AsSpan().SequenceEqual(loaded), "the loaded bytes differ from the saved ones");
        Assert.Equal(new[] { Path.GetFileName(record.Key), "storage.json" }.Order(StringComparer.Ordinal), await environment.LineageEntriesAsync());
        Assert.Empty(await environment.PendingUploadsAsync(s3));
        if (backend.Values == ValueBackend.S3)
        {
            Assert.Equal(3, await environment.StoredPartCountAsync(s3, record));
        }

        if (backend.Values == ValueBackend.Azure)
        {
            // Staged as 8 MiB blocks (five full, one partial) and committed as one block list.
            Assert.Equal(6, await environment.StoredPartCountAsync(s3, record));
        }
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_stream_larger_than_a_part_saves_and_loads_as_a_stream_byte_identical(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = Random40MiB.Value;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        using var source = new MemoryStream(bytes, writable: false);

        var record = await store.SaveAsync("large-stream", source, ct);

        Assert.Equal(bytes.Length, record.Size);
        Assert.Equal(StoreFiles.Sha256Hex(bytes), record.Hash);
        Assert.Equal(StoreFiles.Sha256Hex(await environment.StoredValueAsync(record)), record.Hash);
        await using var loaded = await store.LoadAsync<Stream>("large-stream", cancellationToken: ct);
        using var copy = new MemoryStream();
        await loaded.CopyToAsync(copy, ct);
        Assert.True(bytes.AsSpan().SequenceEqual(copy.GetBuffer().AsSpan(0, (int)copy.Length)), "the loaded stream differs from the saved one");
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_MemoryPack_value_larger_than_a_part_round_trips(Backend backend)
    {
        // MemoryPack writes synchronously, so this crosses part boundaries through the upload's synchronous Write.
        var ct = TestContext.Current.CancellationToken;
        var values = new double[5 << 20];
        var random = new Random(7);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = random.NextDouble();
        }

        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var record = await store.SaveAsync("large-doubles", values, ct);

        Assert.True(record.Size > 2L * PartSize);
        Assert.Equal(StoreFiles.Sha256Hex(await environment.StoredValueAsync(record)), record.Hash);
        var loaded = await store.LoadAsync<double[]>("large-doubles", cancellationToken: ct);
        Assert.True(values.AsSpan().SequenceEqual(loaded), "the loaded doubles differ from the saved ones");
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task One_flipped_byte_in_a_value_larger_than_a_part_is_detected_on_load(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = Random40MiB.Value;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var record = await store.SaveAsync("large", bytes, ct);

        // In the second part, so neither the first part nor the length gives it away.
        await environment.FlipByteAsync(record, offset: PartSize + 4321);

        var error = await Assert.ThrowsAsync<CorruptArtifactException>(() => store.LoadAsync<byte[]>("large", cancellationToken: ct));
        Assert.Contains("'large' version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Contains(record.Hash, error.Message, StringComparison.Ordinal);

        await using var stream = await store.LoadAsync<Stream>("large", cancellationToken: ct);
        await Assert.ThrowsAsync<CorruptArtifactException>(() => stream.CopyToAsync(Stream.Null, ct));
    }
}
