namespace Lineage.Tests.Store;

public sealed class AtomicSaveTests
{
    [Fact]
    public void A_leftover_partial_file_is_never_visible_as_an_artifact()
    {
        using var home = new TestHome();
        using var store = home.Open();
        var root = store.Options.ArtifactStorageDir;
        File.WriteAllBytes(Path.Combine(StoreFiles.LineageFolder(root), "0123456789abcdef.mpk.crashed1.partial"), [1, 2, 3]);

        Assert.Empty(store.List());
        Assert.Throws<ArtifactNotFoundException>(() => store.Get("0123456789abcdef"));
        var record = store.Save("after-crash", 5);
        Assert.Equal(1, record.Version);
        Assert.Equal([record], store.List());
    }

    [Fact]
    public void A_successful_save_leaves_no_partial_file()
    {
        using var home = new TestHome();
        using var store = home.Open();

        var record = store.Save("clean", new[] { 1, 2, 3 });

        string[] expected = [Path.GetFileName(record.Key), "storage.json"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), StoreFiles.LineageFileNames(store.Options.ArtifactStorageDir));
    }

    [Fact]
    public void When_the_metadata_insert_fails_the_value_file_is_removed()
    {
        using var home = new TestHome();
        using var store = home.Open();
        var root = store.Options.ArtifactStorageDir;
        store.Save("existing", 1);
        var filesBefore = StoreFiles.LineageFileNames(root);
        using (var connection = StoreFiles.OpenDatabase(StoreFiles.DatabasePath(home)))
        {
            StoreFiles.Execute(connection, "CREATE TRIGGER fail BEFORE INSERT ON artifacts BEGIN SELECT RAISE(ABORT, 'boom'); END;");
        }

        var error = Assert.Throws<LineageException>(() => store.Save("doomed", new[] { 1, 2, 3 }));
        Assert.Contains("nothing was stored", error.Message, StringComparison.Ordinal);
        Assert.Contains(store.Options.MaskedDatabaseUrl, error.Message, StringComparison.Ordinal);

        Assert.Contains("boom", error.Message, StringComparison.Ordinal);
        Assert.Equal(filesBefore, StoreFiles.LineageFileNames(root));
        Assert.Equal(1, StoreFiles.ArtifactRowCount(StoreFiles.DatabasePath(home)));
    }

    [Fact]
    public void A_failed_metadata_insert_does_not_use_up_a_version()
    {
        using var home = new TestHome();
        using var store = home.Open();
        var database = StoreFiles.DatabasePath(home);
        using (var connection = StoreFiles.OpenDatabase(database))
        {
            StoreFiles.Execute(connection, "CREATE TRIGGER fail BEFORE INSERT ON artifacts BEGIN SELECT RAISE(ABORT, 'boom'); END;");
        }

        Assert.ThrowsAny<Exception>(() => store.Save("doomed", "first try"));
        using (var connection = StoreFiles.OpenDatabase(database))
        {
            StoreFiles.Execute(connection, "DROP TRIGGER fail;");
        }

        Assert.Equal(1, store.Save("doomed", "second try").Version);
    }

    [Fact]
    public async Task SaveAsync_with_a_cancelled_token_throws_and_leaves_no_artifact()
    {
        using var home = new TestHome();
        await using var store = home.Open();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveAsync("cancelled", new[] { 1, 2, 3 }, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveAsync("cancelled", new byte[] { 1 }, cancelled.Token));

        Assert.Empty(await store.ListAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, StoreFiles.ArtifactRowCount(StoreFiles.DatabasePath(home)));
        Assert.Equal(["storage.json"], StoreFiles.LineageFileNames(store.Options.ArtifactStorageDir));
    }

    [Fact]
    public async Task LoadAsync_with_a_cancelled_token_throws_OperationCanceledException()
    {
        using var home = new TestHome();
        await using var store = home.Open();
        await store.SaveAsync("value", 1, TestContext.Current.CancellationToken);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.LoadAsync<int>("value", cancellationToken: cancelled.Token));
    }

    [Fact]
    public void A_stream_that_fails_midway_leaves_no_file_and_no_row()
    {
        using var home = new TestHome();
        using var store = home.Open();
        using var failing = new FailingStream(failAfter: 3 << 20);

        var error = Assert.Throws<IOException>(() => store.Save("half", failing));

        Assert.Equal("disk on fire", error.Message);
        Assert.Equal(0, StoreFiles.ArtifactRowCount(StoreFiles.DatabasePath(home)));
        Assert.Equal(["storage.json"], StoreFiles.LineageFileNames(store.Options.ArtifactStorageDir));
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
