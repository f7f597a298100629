using System.Collections.Concurrent;
using System.Globalization;
using Lineage.Storage;
using Lineage.Testing;
using Lineage.Tests.Servers;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lineage.Tests.Reliability;

/// <summary>
/// The metadata database failing under a running store (PostgreSQL stopped and restarted, a SQLite file that cannot be opened or
/// whose disk is full): every failure is a <see cref="MetadataDatabaseException"/> naming the masked URL, every acknowledged save
/// loads afterwards, and "nothing was stored" is true: once the database answers again, no value is left without a row.
/// </summary>
public sealed class DatabaseOutageTests(StoppablePostgres postgres, PostgresServer sharedPostgres, S3Server s3) : IClassFixture<StoppablePostgres>
{
    private static readonly TimeSpan GcAgeWindow = TimeSpan.FromHours(1);

    public static TheoryData<ValueBackend, string> Outages => new()
    {
        { ValueBackend.Local, "immediate" },
        { ValueBackend.S3, "fast" },
        { ValueBackend.Azure, "immediate" },
    };

    public static TheoryData<ValueBackend> ValueBackends => [ValueBackend.Local, ValueBackend.S3, ValueBackend.Azure];

    [Theory]
    [MemberData(nameof(Outages))]
    public async Task Saves_across_a_PostgreSQL_stop_and_restart_fail_only_with_MetadataDatabaseException_and_gc_leaves_no_value_without_a_row(ValueBackend values, string stopMode)
    {
        var cluster = await postgres.ClusterAsync();
        using var home = new TestHome();
        await using var store = await ArtifactStore.OpenAsync(await OptionsAsync(home, await postgres.CreateDatabaseAsync(), values), TestContext.Current.CancellationToken);
        var loop = new SaveLoop(store, writers: 3);

        await loop.WaitUntilAsync(() => loop.Saved.Count >= 15, "15 saves before the outage");
        await cluster.StopAsync(stopMode);
        try
        {
            await loop.WaitUntilAsync(() => loop.Failures.Count >= 20, "20 failed saves while the server is down");
        }
        finally
        {
            await cluster.RestartAsync();
        }

        var savedAtRestart = loop.Saved.Count;
        await loop.WaitUntilAsync(() => loop.Saved.Count >= savedAtRestart + 15, "15 saves after the restart");
        await loop.StopAsync();

        var failures = loop.Failures.ToArray();
        Assert.All(failures, failure =>
        {
            var error = Assert.IsType<MetadataDatabaseException>(failure);
            Assert.StartsWith("Saving 'outage-", error.Message, StringComparison.Ordinal);
            Assert.Contains(store.Options.MaskedDatabaseUrl, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresCluster.Password, error.Message, StringComparison.Ordinal);
        });
        // The outage hit saves between writing their value and recording it, where "nothing was stored" has to be earned.
        Assert.Contains(failures, f => f.Message.Contains("Could not record a new version", StringComparison.Ordinal));

        foreach (var (record, value) in loop.Saved)
        {
            Assert.Equal(value, await store.LoadAsync<byte[]>(record.Name, record.Version, TestContext.Current.CancellationToken));
        }

        // Only saves whose outcome was reported unknown may have left a value (and its note) behind.
        var unknown = failures.Count(f => !f.Message.Contains("nothing was stored", StringComparison.Ordinal));
        var leftBehind = (await StoredKeysAsync(store)).Except(await RowKeysAsync(store)).ToList();
        Assert.True(leftBehind.Count <= 2 * unknown, $"{leftBehind.Count} files without a row, but only {unknown} saves said their outcome was unknown");

        await store.FindUnreferencedValuesAsync(GcAgeWindow, delete: true, TestContext.Current.CancellationToken);
        Assert.Equal(await RowKeysAsync(store), await StoredKeysAsync(store));
        Assert.Equal(loop.Saved.Count, (await store.ListAllVersionsAsync(null, TestContext.Current.CancellationToken)).Count);
    }

    [Theory]
    [MemberData(nameof(ValueBackends))]
    public async Task A_save_whose_answer_was_lost_says_its_outcome_is_unknown_and_gc_removes_its_value_at_once_once_no_row_can_appear(ValueBackend values)
    {
        var cluster = await postgres.ClusterAsync();
        using var home = new TestHome();
        var options = await OptionsAsync(home, await postgres.CreateDatabaseAsync(), values);
        ArtifactRecord kept;
        MetadataDatabaseException error;
        SortedSet<string> leftBehind;
        await using (var saving = await ArtifactStore.OpenAsync(options, TestContext.Current.CancellationToken))
        {
            kept = await saving.SaveAsync("kept", "before", TestContext.Current.CancellationToken);
            await cluster.StopAsync("immediate");
            try
            {
                // The pooled connection dies with the server: the insert is sent and its answer is lost. A stream that cannot be read
                // twice is written without first looking for the same bytes in the root, so the insert is the save's first statement.
                error = await Assert.ThrowsAsync<MetadataDatabaseException>(() => saving.SaveAsync("lost", OnePass("during"), TestContext.Current.CancellationToken));
                leftBehind = await StoredKeysAsync(saving);
                leftBehind.Remove(kept.Key);
            }
            finally
            {
                await cluster.RestartAsync();
            }
        }

        Assert.Contains("whether its version was recorded is unknown", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("nothing was stored", error.Message, StringComparison.Ordinal);
        Assert.Contains(options.DatabaseUrl!.Replace(PostgresCluster.Password, "***", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresCluster.Password, error.Message, StringComparison.Ordinal);
        Assert.Equal(2, leftBehind.Count);
        Assert.Single(leftBehind, key => key.StartsWith(".lineage/pending/", StringComparison.Ordinal));
        Assert.Contains(leftBehind.First(key => !key.StartsWith(".lineage/pending/", StringComparison.Ordinal)), error.Message, StringComparison.Ordinal);

        // Another process: the saving store is gone, its note is not. The server restarted, so the session that sent the insert is over.
        await using var store = await ArtifactStore.OpenAsync(options, TestContext.Current.CancellationToken);
        var found = await store.FindUnreferencedValuesAsync(GcAgeWindow, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(leftBehind, found.Select(f => f.Key).ToHashSet());

        await store.FindUnreferencedValuesAsync(GcAgeWindow, delete: true, TestContext.Current.CancellationToken);
        Assert.Equal([kept.Key], await StoredKeysAsync(store));
        Assert.Throws<ArtifactNotFoundException>(() => store.Get("lost"));
        Assert.Equal("before", store.Load<string>("kept"));
    }

    [Theory]
    [MemberData(nameof(ValueBackends))]
    public async Task After_the_database_comes_back_the_next_save_removes_the_value_of_a_save_whose_outcome_was_unknown(ValueBackend values)
    {
        var cluster = await postgres.ClusterAsync();
        using var home = new TestHome();
        await using var store = await ArtifactStore.OpenAsync(await OptionsAsync(home, await postgres.CreateDatabaseAsync(), values), TestContext.Current.CancellationToken);
        var kept = await store.SaveAsync("kept", 1, TestContext.Current.CancellationToken);
        await cluster.StopAsync("immediate");
        try
        {
            var error = await Assert.ThrowsAsync<MetadataDatabaseException>(() => store.SaveAsync("lost", OnePass("2"), TestContext.Current.CancellationToken));
            Assert.Contains("is unknown", error.Message, StringComparison.Ordinal);
            Assert.Equal(3, (await StoredKeysAsync(store)).Count);
        }
        finally
        {
            await cluster.RestartAsync();
        }

        var after = await store.SaveAsync("after", 3, TestContext.Current.CancellationToken);

        Assert.Equal(new SortedSet<string>([kept.Key, after.Key], StringComparer.Ordinal), await StoredKeysAsync(store));
        Assert.Equal(await RowKeysAsync(store), await StoredKeysAsync(store));
    }

    [Fact]
    public async Task Gc_keeps_the_value_of_a_failed_save_while_the_database_session_that_sent_its_insert_is_alive()
    {
        var databaseUrl = await postgres.CreateDatabaseAsync();
        using var home = new TestHome();
        await using var store = await ArtifactStore.OpenAsync(await OptionsAsync(home, databaseUrl, ValueBackend.Local), TestContext.Current.CancellationToken);
        await using var writer = new NpgsqlConnection(PostgresServer.ToConnectionString(databaseUrl) + ";Pooling=false");
        await writer.OpenAsync(TestContext.Current.CancellationToken);
        // What a save leaves when its connection broke while the server may still be running its insert (a network partition).
        var pending = new PendingSave(Lineage.Uid.New(), "partitioned", "", writer.ProcessID.ToString(CultureInfo.InvariantCulture), DateTimeOffset.UtcNow);
        pending = pending with { Key = $".lineage/{pending.Uid}.mpk" };
        await WriteAsync(store, pending.Key, [1, 2, 3]);
        await WriteAsync(store, pending.NoteKey, pending.ToJson());

        Assert.Empty(await store.FindUnreferencedValuesAsync(GcAgeWindow, cancellationToken: TestContext.Current.CancellationToken));

        await writer.CloseAsync();
        IReadOnlyList<UnreferencedValue> found = [];
        for (var attempt = 0; attempt < 100 && found.Count == 0; attempt++)
        {
            // The server notices the closed connection and ends its backend a moment later.
            await Task.Delay(50, TestContext.Current.CancellationToken);
            found = await store.FindUnreferencedValuesAsync(GcAgeWindow, cancellationToken: TestContext.Current.CancellationToken);
        }

        Assert.Equal(new HashSet<string> { pending.Key, pending.NoteKey }, found.Select(f => f.Key).ToHashSet());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Gc_never_removes_the_value_of_a_failed_save_whose_row_was_recorded_after_all(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, sharedPostgres, s3);
        await using var store = environment.Open();
        var recorded = store.Save("recorded", "its answer was lost, its commit was not");
        var note = new PendingSave(recorded.Uid, recorded.Name, recorded.Key, WriterSession: null, DateTimeOffset.UtcNow);
        await WriteAsync(store, note.NoteKey, note.ToJson());

        var found = await store.FindUnreferencedValuesAsync(GcAgeWindow, delete: true, TestContext.Current.CancellationToken);

        Assert.Equal([note.NoteKey], found.Select(f => f.Key));
        Assert.Equal("its answer was lost, its commit was not", store.Load<string>("recorded"));
    }

    [Fact]
    public async Task While_PostgreSQL_is_down_every_operation_throws_MetadataDatabaseException_and_a_save_that_cannot_connect_stores_nothing()
    {
        var cluster = await postgres.ClusterAsync();
        using var home = new TestHome();
        await using var store = await ArtifactStore.OpenAsync(await OptionsAsync(home, await postgres.CreateDatabaseAsync(), ValueBackend.Local), TestContext.Current.CancellationToken);
        store.Save("kept", 1);
        await cluster.StopAsync("fast");
        try
        {
            // The first saves may find pooled connections the shutdown broke (outcome unknown); then no connection opens at all.
            MetadataDatabaseException? cannotConnect = null;
            for (var attempt = 0; attempt < 5 && cannotConnect is null; attempt++)
            {
                var before = await StoredKeysAsync(store);
                var error = Assert.Throws<MetadataDatabaseException>(() => store.Save("down", attempt));
                if (error.Message.Contains("nothing was stored", StringComparison.Ordinal))
                {
                    cannotConnect = error;
                    Assert.Equal(before, await StoredKeysAsync(store));
                }
            }

            Assert.NotNull(cannotConnect);
            Assert.Contains("is unavailable", cannotConnect.Message, StringComparison.Ordinal);
            AssertEveryOperationFails(store);
        }
        finally
        {
            await cluster.RestartAsync();
        }

        Assert.Equal(1, store.Load<int>("kept"));
        Assert.Equal(1, store.Save("down", 5).Version);
    }

    [Fact]
    public async Task While_the_SQLite_database_cannot_be_opened_every_operation_throws_MetadataDatabaseException_and_saves_store_nothing()
    {
        using var home = new TestHome();
        var folder = home.Sub("database");
        await using var store = await ArtifactStore.OpenAsync(home.Options("sqlite:///" + Path.Combine(folder, "db.sqlite")), TestContext.Current.CancellationToken);
        var kept = store.Save("kept", 1);
        var before = await StoredKeysAsync(store);

        // Gone as an unmounted share would be; pooled connections would still hold the old file open.
        Directory.Move(folder, folder + "-away");
        SqliteConnection.ClearAllPools();
        try
        {
            var error = Assert.Throws<MetadataDatabaseException>(() => store.Save("down", 2));
            Assert.Contains("nothing was stored", error.Message, StringComparison.Ordinal);
            Assert.Contains(store.Options.MaskedDatabaseUrl, error.Message, StringComparison.Ordinal);
            Assert.Equal(before, await StoredKeysAsync(store));
            AssertEveryOperationFails(store);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Move(folder + "-away", folder);
        }

        Assert.Equal(2, store.Save("kept", 2).Version);
        Assert.Equal(new SortedSet<string>([kept.Key, store.Get("kept").Key], StringComparer.Ordinal), await StoredKeysAsync(store));
    }

    [Fact]
    public async Task Saves_while_the_SQLite_database_disk_is_full_throw_MetadataDatabaseException_and_store_nothing()
    {
        using var home = new TestHome();
        using var disk = await TinyTmpfs.MountAsync(home.Sub("database"), "1m");
        var saved = new List<(ArtifactRecord Record, byte[] Value)>();
        try
        {
            await using var store = await ArtifactStore.OpenAsync(home.Options("sqlite:///" + Path.Combine(disk.Path, "db.sqlite")), TestContext.Current.CancellationToken);
            for (var i = 0; i < 3; i++)
            {
                var value = Enumerable.Repeat((byte)i, 100).ToArray();
                saved.Add((store.Save("kept", value), value));
            }

            var before = await StoredKeysAsync(store);
            disk.Fill();
            var errors = Enumerable.Range(0, 3).Select(i => Assert.Throws<MetadataDatabaseException>(() => store.Save("full", i))).ToList();

            Assert.All(errors, error =>
            {
                Assert.Contains("nothing was stored", error.Message, StringComparison.Ordinal);
                Assert.Contains(store.Options.MaskedDatabaseUrl, error.Message, StringComparison.Ordinal);
            });
            Assert.Equal(before, await StoredKeysAsync(store));

            disk.Free();
            var value3 = new byte[] { 3 };
            saved.Add((store.Save("kept", value3), value3));
            Assert.Equal([1, 2, 3, 4], saved.Select(s => s.Record.Version));
            Assert.All(saved, s => Assert.Equal(s.Value, store.Load<byte[]>("kept", s.Record.Version)));
            Assert.Equal(await RowKeysAsync(store), await StoredKeysAsync(store));
        }
        finally
        {
            // Pooled connections hold the database file open on the mount.
            SqliteConnection.ClearAllPools();
        }
    }

    private static void AssertEveryOperationFails(ArtifactStore store)
    {
        Action[] operations =
        [
            () => store.List(),
            () => store.Get("kept"),
            () => store.Versions("kept"),
            () => store.Load<int>("kept"),
            () => store.Delete("kept", 1),
            () => store.ListAllVersions(null),
            () => store.Storages.List(),
            () => store.FindUnreferencedValuesAsync(GcAgeWindow).GetAwaiter().GetResult(),
        ];
        Assert.All(operations, operation =>
        {
            var error = Assert.Throws<MetadataDatabaseException>(operation);
            Assert.StartsWith("Could not ", error.Message, StringComparison.Ordinal);
            Assert.Contains(store.Options.MaskedDatabaseUrl, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresCluster.Password, error.Message, StringComparison.Ordinal);
        });
    }

    private static Task WriteAsync(ArtifactStore store, string key, byte[] content) =>
        store.DefaultTarget.Values.WriteAsync(key, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), CancellationToken.None);

    private async Task<LineageOptions> OptionsAsync(TestHome home, string databaseUrl, ValueBackend values)
    {
        var options = home.Options(databaseUrl, home.Sub("root"));
        if (values == ValueBackend.S3)
        {
            options.ArtifactStorageDir = $"s3://{await s3.CreateBucketAsync()}/outage";
            foreach (var (key, value) in await s3.StorageOptionsAsync())
            {
                options.StorageOptions[key] = value;
            }
        }
        else if (values == ValueBackend.Azure)
        {
            options.ArtifactStorageDir = $"az://{await BackendEnvironment.Azurite.CreateContainerAsync()}/outage";
            foreach (var (key, value) in await BackendEnvironment.Azurite.StorageOptionsAsync())
            {
                options.StorageOptions[key] = value;
            }
        }

        return options;
    }

    /// <summary>Every key under the default root's <c>.lineage/</c> (notes included) but the ownership marker.</summary>
    private static async Task<SortedSet<string>> StoredKeysAsync(ArtifactStore store)
    {
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var stored in store.DefaultTarget.Values.ListAsync(".lineage/", CancellationToken.None))
        {
            if (stored.Key != ".lineage/storage.json")
            {
                keys.Add(stored.Key);
            }
        }

        return keys;
    }

    /// <summary>The value keys of every row, on any branch.</summary>
    private static async Task<SortedSet<string>> RowKeysAsync(ArtifactStore store) =>
        new((await store.ListAllVersionsAsync(null, CancellationToken.None)).Select(r => r.Key), StringComparer.Ordinal);

    /// <summary>Writers saving random bytes under their own names until stopped, recording what each save returned or threw.</summary>
    private sealed class SaveLoop
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _writers;

        public SaveLoop(ArtifactStore store, int writers) =>
            _writers = [.. Enumerable.Range(0, writers).Select(writer => Task.Run(() => WriteAsync(store, writer)))];

        public ConcurrentQueue<(ArtifactRecord Record, byte[] Value)> Saved { get; } = new();

        public ConcurrentQueue<Exception> Failures { get; } = new();

        public async Task WaitUntilAsync(Func<bool> condition, string what)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (!condition())
            {
                if (DateTime.UtcNow > deadline || _writers.Any(w => w.IsCompleted))
                {
                    Assert.Fail($"Waited {Patience.TotalSeconds} s for {what}: {Saved.Count} saved, {Failures.Count} failed.");
                }

                await Task.Delay(10);
            }
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_writers);
        }

        private async Task WriteAsync(ArtifactStore store, int writer)
        {
            var random = new Random(writer);
            while (!_stop.IsCancellationRequested)
            {
                var value = new byte[random.Next(1, 16 * 1024)];
                random.NextBytes(value);
                try
                {
                    Saved.Enqueue((await store.SaveAsync($"outage-{writer}", value), value));
                }
                catch (Exception e)
                {
                    Failures.Enqueue(e);
                    // No busy loop against a server that is down.
                    await Task.Delay(25);
                }
            }
        }
    }

    /// <summary>A stream of <paramref name="text"/> that cannot seek: its size is unknown until it has been written.</summary>
    private static OnePassStream OnePass(string text) => new OnePassStream(System.Text.Encoding.UTF8.GetBytes(text));

    private sealed class OnePassStream(byte[] content) : MemoryStream(content)
    {
        public override bool CanSeek => false;
    }
}
