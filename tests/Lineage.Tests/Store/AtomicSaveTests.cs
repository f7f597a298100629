using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

public sealed class AtomicSaveTests(PostgresServer postgres, S3Server s3)
{
    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_leftover_partial_file_is_never_visible_as_an_artifact(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        // A crashed local save leaves <key>.<random>.partial. S3 has no such thing (an upload is invisible until
        // complete), so there the debris is an object no row refers to, as a crash between upload and insert leaves.
        var debris = backend.Values == ValueBackend.Local ? ".lineage/0123456789abcdef.mpk.crashed1.partial" : ".lineage/0123456789abcdef.mpk";
        await environment.WriteValueAsync(environment.Root, debris, [1, 2, 3]);

        Assert.Empty(store.List());
        Assert.Throws<ArtifactNotFoundException>(() => store.Get("0123456789abcdef"));
        var record = store.Save("after-crash", 5);
        Assert.Equal(1, record.Version);
        Assert.Equal([record], store.List());
        Assert.Equal(5, store.Load<int>("after-crash"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_successful_save_leaves_no_partial_file(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var record = store.Save("clean", new[] { 1, 2, 3 });

        string[] expected = [Path.GetFileName(record.Key), "storage.json"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), await environment.LineageEntriesAsync());
        Assert.Empty(await environment.PendingUploadsAsync(s3));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task When_the_metadata_insert_fails_the_value_file_is_removed(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("existing", 1);
        var filesBefore = await environment.LineageEntriesAsync();
        await environment.FailArtifactInsertsAsync();

        var error = Assert.Throws<MetadataDatabaseException>(() => store.Save("doomed", new[] { 1, 2, 3 }));
        Assert.Contains("nothing was stored", error.Message, StringComparison.Ordinal);
        Assert.Contains(store.Options.MaskedDatabaseUrl, error.Message, StringComparison.Ordinal);

        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
        Assert.Equal(filesBefore, await environment.LineageEntriesAsync());
        Assert.Equal(1, await environment.ArtifactRowCountAsync());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_failed_metadata_insert_does_not_use_up_a_version(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        await environment.FailArtifactInsertsAsync();

        Assert.ThrowsAny<Exception>(() => store.Save("doomed", "first try"));
        await environment.AllowArtifactInsertsAsync();

        Assert.Equal(1, store.Save("doomed", "second try").Version);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task SaveAsync_with_a_cancelled_token_throws_and_leaves_no_artifact(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveAsync("cancelled", new[] { 1, 2, 3 }, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveAsync("cancelled", new byte[] { 1 }, cancelled.Token));

        Assert.Empty(await store.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await environment.ArtifactRowCountAsync());
        Assert.Equal(new[] { "storage.json" }, await environment.LineageEntriesAsync());
        Assert.Empty(await environment.PendingUploadsAsync(s3));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task LoadAsync_with_a_cancelled_token_throws_OperationCanceledException(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        await store.SaveAsync("value", 1, TestContext.Current.CancellationToken);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.LoadAsync<int>("value", cancellationToken: cancelled.Token));
    }

    /// <summary>3 MiB fails within the first S3 part (nothing uploaded yet); 20 MiB fails after a whole 16 MiB part went up.</summary>
    public static TheoryData<Backend, int> FailurePoints => StoreFiles.Cross(3 << 20, 20 << 20);

    [Theory]
    [MemberData(nameof(FailurePoints))]
    public async Task A_stream_that_fails_midway_leaves_no_file_and_no_row(Backend backend, int failAfter)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        using var failing = new FailingStream(failAfter);

        var error = Assert.Throws<IOException>(() => store.Save("half", failing));

        Assert.Equal("disk on fire", error.Message);
        Assert.Equal(0, await environment.ArtifactRowCountAsync());
        Assert.Equal(new[] { "storage.json" }, await environment.LineageEntriesAsync());
        Assert.Empty(await environment.PendingUploadsAsync(s3));
        Assert.Equal(1, store.Save("half", new byte[] { 1 }).Version);
    }

    /// <summary>Yields zeros, then throws once <c>failAfter</c> bytes have been read.</summary>
    private sealed class FailingStream(long failAfter) : Stream
    {
        private long _position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position >= failAfter)
            {
                throw new IOException("disk on fire");
            }

            var n = (int)Math.Min(count, failAfter - _position);
            Array.Clear(buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
