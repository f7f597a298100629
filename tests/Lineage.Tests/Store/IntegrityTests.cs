using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

public sealed class IntegrityTests(PostgresServer postgres, S3Server s3)
{
    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_of_a_memorypack_value_with_a_flipped_byte_throws_CorruptArtifactException(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var record = store.Save("numbers", Enumerable.Range(0, 100).ToArray());
        await environment.FlipByteAsync(record, offset: record.Size / 2);

        var error = Assert.Throws<CorruptArtifactException>(() => store.Load<int[]>("numbers"));

        Assert.Contains("'numbers' version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Contains(record.Hash, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_of_bytes_with_a_flipped_byte_throws_CorruptArtifactException(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var record = store.Save("blob", new byte[] { 10, 20, 30, 40 });
        await environment.FlipByteAsync(record, offset: 3);

        var error = Assert.Throws<CorruptArtifactException>(() => store.Load<byte[]>("blob"));

        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_of_a_truncated_value_throws_CorruptArtifactException_naming_both_sizes(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var record = store.Save("blob", new byte[] { 1, 2, 3, 4, 5, 6 });
        await environment.WriteValueAsync(record, (await environment.StoredValueAsync(record))[..4]);

        var error = Assert.Throws<CorruptArtifactException>(() => store.Load<byte[]>("blob"));

        Assert.Contains("4 bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains("records 6", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_of_a_value_with_appended_bytes_throws_CorruptArtifactException_naming_both_sizes(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var record = store.Save("text", "some text");
        await environment.WriteValueAsync(record, [.. await environment.StoredValueAsync(record), (byte)'!']);

        var error = Assert.Throws<CorruptArtifactException>(() => store.Load<string>("text"));

        Assert.Contains($"{record.Size + 1} bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains($"records {record.Size}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_of_a_value_whose_file_was_deleted_throws_CorruptArtifactException_saying_it_is_missing(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var record = store.Save("gone", 3.14);
        await environment.DeleteValueAsync(record);

        var error = Assert.Throws<CorruptArtifactException>(() => store.Load<double>("gone"));

        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
        Assert.Contains(record.Key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Corruption_of_one_version_does_not_affect_another(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var first = store.Save("pair", "one");
        store.Save("pair", "two");
        await environment.FlipByteAsync(first);

        Assert.Throws<CorruptArtifactException>(() => store.Load<string>("pair", 1));
        Assert.Equal("two", store.Load<string>("pair", 2));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_as_Stream_of_an_intact_raw_value_reads_the_saved_bytes(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        store.Save("blob", bytes);

        using var stream = store.Load<Stream>("blob");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);

        Assert.Equal(bytes, copy.ToArray());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_as_Stream_of_a_corrupted_raw_value_throws_when_read_to_the_end(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var record = store.Save("blob", Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray());
        await environment.FlipByteAsync(record, offset: 4999);

        using var stream = store.Load<Stream>("blob");

        Assert.Throws<CorruptArtifactException>(() => stream.CopyTo(Stream.Null));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_as_Stream_of_a_corrupted_raw_value_throws_on_the_read_that_completes_its_length(Backend backend)
    {
        // A caller that reads exactly Length bytes never sees the end of the stream, so the check cannot wait for it.
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var record = store.Save("blob", Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray());
        await environment.FlipByteAsync(record, offset: 2500);

        using var stream = store.Load<Stream>("blob");
        var buffer = new byte[stream.Length];

        var error = Assert.Throws<CorruptArtifactException>(() => stream.ReadExactly(buffer));
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        Assert.Throws<CorruptArtifactException>(() => stream.Read(buffer));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_as_Stream_of_a_corrupted_raw_value_throws_on_the_async_read_that_completes_its_length(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var record = store.Save("blob", Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray());
        await environment.FlipByteAsync(record, offset: 0);

        await using var stream = await store.LoadAsync<Stream>("blob", cancellationToken: TestContext.Current.CancellationToken);
        var buffer = new byte[stream.Length];

        await Assert.ThrowsAsync<CorruptArtifactException>(async () => await stream.ReadExactlyAsync(buffer, TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_as_Stream_of_an_intact_raw_value_reads_exactly_its_length_then_ends(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        store.Save("blob", bytes);

        using var stream = store.Load<Stream>("blob");
        var buffer = new byte[stream.Length];
        stream.ReadExactly(buffer);

        Assert.Equal(bytes, buffer);
        Assert.Equal(0, stream.Read(new byte[16]));
    }

    [Fact]
    public async Task Load_as_Stream_of_a_file_that_grew_after_it_was_opened_throws_when_its_length_is_read()
    {
        // Only a local file can change under an open reader; an S3 GET streams the object as it was.
        await using var environment = await BackendEnvironment.CreateAsync(Backend.SqliteLocal, postgres, s3);
        await using var store = environment.Open();
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var record = store.Save("blob", bytes);

        using var stream = store.Load<Stream>("blob");
        await environment.WriteValueAsync(record, [.. bytes, 42]);
        var buffer = new byte[stream.Length];

        var error = Assert.Throws<CorruptArtifactException>(() => stream.ReadExactly(buffer));
        Assert.Contains("longer than the recorded 5000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_as_Stream_survives_a_zero_length_read_before_the_data(Backend backend)
    {
        // A zero-length read is not the end of the stream; Stream's contract lets callers make one at any time.
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var bytes = new byte[] { 1, 2, 3, 4 };
        store.Save("blob", bytes);

        using var stream = store.Load<Stream>("blob");
        var probe = stream.Read([], 0, 0);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);

        Assert.Equal(0, probe);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_as_another_type_throws_a_type_mismatch_naming_both_types(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("numbers", new[] { 1, 2 });

        var error = Assert.Throws<ArtifactTypeMismatchException>(() => store.Load<string>("numbers"));

        Assert.Equal("System.Int32[]", error.SavedType);
        Assert.Equal("System.String", error.RequestedType);
        Assert.Contains("System.Int32[]", error.Message, StringComparison.Ordinal);
        Assert.Contains("System.String", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_as_a_close_but_different_collection_type_throws_a_type_mismatch(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("numbers", new List<int> { 1, 2 });

        var error = Assert.Throws<ArtifactTypeMismatchException>(() => store.Load<int[]>("numbers"));

        Assert.Equal("System.Collections.Generic.List<System.Int32>", error.SavedType);
        Assert.Equal("System.Int32[]", error.RequestedType);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Raw_values_load_as_bytes_or_Stream_but_not_as_string(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("blob", "abc"u8.ToArray());

        Assert.Equal("abc"u8.ToArray(), store.Load<byte[]>("blob"));
        using (var stream = store.Load<Stream>("blob"))
        using (var reader = new StreamReader(stream))
        {
            Assert.Equal("abc", reader.ReadToEnd());
        }

        var error = Assert.Throws<ArtifactTypeMismatchException>(() => store.Load<string>("blob"));
        Assert.Equal("System.Byte[]", error.SavedType);
        Assert.Equal("System.String", error.RequestedType);
        Assert.Contains("byte[] or Stream", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_type_mismatch_is_reported_before_the_value_is_read(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var record = store.Save("numbers", new[] { 1, 2 });
        await environment.DeleteValueAsync(record);

        Assert.Throws<ArtifactTypeMismatchException>(() => store.Load<string>("numbers"));
    }
}
