using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

public sealed class VersioningTests(PostgresServer postgres, S3Server s3)
{
    public static TheoryData<Backend, string> InvalidNames => StoreFiles.Cross("", "has space", "a@1", "-x", ".hidden", "/abs", "tab\tname");

    public static TheoryData<Backend, string> ValidNames => StoreFiles.Cross("iris-model", "iris_model", "model.v2", "team/project/model", "9lives", "a-b_c.d/e");

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Save_same_name_twice_creates_versions_1_and_2_and_Load_returns_the_second(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var first = store.Save("numbers", new[] { 1, 2, 3 });
        var second = store.Save("numbers", new[] { 4, 5 });

        Assert.Equal(1, first.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal([4, 5], store.Load<int[]>("numbers"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_with_version_1_returns_the_first_value(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("greeting", "hello");
        store.Save("greeting", "bonjour");

        Assert.Equal("hello", store.Load<string>("greeting", version: 1));
        Assert.Equal("bonjour", store.Load<string>("greeting", version: 2));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Versions_are_counted_per_name(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        store.Save("a", 1);
        store.Save("a", 2);
        var b = store.Save("b", 3);

        Assert.Equal(1, b.Version);
        Assert.Equal(2, store.Get("a").Version);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Versions_lists_every_version_oldest_first(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var saved = Enumerable.Range(0, 3).Select(i => store.Save("series", i * 10)).ToList();

        var versions = store.Versions("series");

        Assert.Equal([1, 2, 3], versions.Select(v => v.Version));
        Assert.Equal(saved.Select(s => s.Uid), versions.Select(v => v.Uid));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task List_returns_the_latest_version_of_each_name_ordered_by_name(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("zeta", 1);
        store.Save("alpha", 1);
        store.Save("zeta", 2);
        store.Save("mid/dle", 1);
        store.Save("alpha", 2);
        store.Save("alpha", 3);

        var listed = store.List();

        Assert.Equal(["alpha", "mid/dle", "zeta"], listed.Select(r => r.Name));
        Assert.Equal([3, 1, 2], listed.Select(r => r.Version));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task List_of_an_empty_store_is_empty(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        Assert.Empty(store.List());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Get_returns_the_same_metadata_Save_returned(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var saved = store.Save("scores", new Dictionary<string, double> { ["a"] = 1.5 });

        Assert.Equal(saved, store.Get("scores"));
        Assert.Equal(saved, store.Get("scores", version: 1));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Get_records_uid_name_version_time_user_and_host(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var before = DateTimeOffset.UtcNow;
        store.Save("weights", new[] { 0.5f, 0.25f });
        var after = DateTimeOffset.UtcNow;

        var record = store.Get("weights");

        Assert.Equal(16, record.Uid.Length);
        Assert.True(record.Uid.All(char.IsAsciiLetterOrDigit), record.Uid);
        Assert.Equal("weights", record.Name);
        Assert.Equal(1, record.Version);
        Assert.Equal(TimeSpan.Zero, record.CreatedAt.Offset);
        Assert.InRange(record.CreatedAt, before.AddSeconds(-1), after.AddSeconds(1));
        Assert.Equal(Environment.UserName, record.CreatedBy);
        Assert.Equal(Environment.MachineName, record.Host);
        Assert.Equal(ArtifactBranch.Main, record.Branch);
        Assert.Equal(store.Options.ArtifactStorageDir, record.StorageRoot);
        Assert.Equal(environment.Root, record.StorageRoot);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Size_and_hash_match_the_stored_file(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var record = store.Save("numbers", Enumerable.Range(0, 1000).ToArray());

        var stored = await environment.StoredValueAsync(record);

        Assert.Equal(stored.Length, record.Size);
        Assert.Equal(StoreFiles.Sha256Hex(stored), record.Hash);
        Assert.Matches("^[0-9a-f]{64}$", record.Hash);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Two_versions_of_one_name_with_different_bytes_are_different_files(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var first = store.Save("same", 1);
        var second = store.Save("same", 2);

        Assert.NotEqual(first.Uid, second.Uid);
        Assert.NotEqual(first.Key, second.Key);
        Assert.NotEqual(first.Hash, second.Hash);
        Assert.Equal((1, 2), (store.Load<int>("same", 1), store.Load<int>("same", 2)));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Key_is_the_uid_under_dot_lineage_with_the_format_suffix(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var packed = store.Save("packed", 42);
        var raw = store.Save("raw", new byte[] { 1, 2, 3 });

        Assert.Equal($".lineage/{packed.Uid}.mpk", packed.Key);
        Assert.Equal($".lineage/{raw.Uid}", raw.Key);
        Assert.NotNull(await environment.ReadValueAsync(packed));
        Assert.NotNull(await environment.ReadValueAsync(raw));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task TypeName_and_Format_record_how_the_value_was_saved(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var ints = store.Save("ints", new[] { 1 });
        var map = store.Save("map", new Dictionary<string, double> { ["x"] = 1 });
        var list = store.Save("list", new List<long> { 1 });
        var bytes = store.Save("bytes", new byte[] { 1 });
        using var memory = new MemoryStream([1, 2]);
        var stream = store.Save("stream", memory);

        Assert.Equal(("System.Int32[]", "memorypack"), (ints.TypeName, ints.Format));
        Assert.Equal(("System.Collections.Generic.Dictionary<System.String, System.Double>", "memorypack"), (map.TypeName, map.Format));
        Assert.Equal(("System.Collections.Generic.List<System.Int64>", "memorypack"), (list.TypeName, list.Format));
        Assert.Equal(("System.Byte[]", "raw"), (bytes.TypeName, bytes.Format));
        Assert.Equal(("System.IO.Stream", "raw"), (stream.TypeName, stream.Format));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Load_of_a_missing_name_throws_not_found_naming_it(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var error = Assert.Throws<ArtifactNotFoundException>(() => store.Load<int>("nowhere"));

        Assert.Equal("nowhere", error.Name);
        Assert.Null(error.Version);
        Assert.Contains("'nowhere'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Get_of_a_missing_version_throws_not_found_naming_the_version(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("model", 1);

        var error = Assert.Throws<ArtifactNotFoundException>(() => store.Get("model", version: 7));

        Assert.Equal("model", error.Name);
        Assert.Equal(7, error.Version);
        Assert.Contains("version 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("'model'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Versions_of_a_missing_name_throws_not_found(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var error = Assert.Throws<ArtifactNotFoundException>(() => store.Versions("ghost"));

        Assert.Equal("ghost", error.Name);
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task Save_with_an_invalid_name_throws_ArgumentException_and_saves_nothing(Backend backend, string name)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var error = Assert.Throws<ArgumentException>(() => store.Save(name, 1));

        Assert.Equal("name", error.ParamName);
        Assert.Empty(store.List());
        Assert.Equal(new[] { "storage.json" }, await environment.LineageEntriesAsync());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Save_with_a_name_longer_than_200_characters_throws_ArgumentException(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        Assert.Throws<ArgumentException>(() => store.Save(new string('a', ArtifactName.MaxLength + 1), 1));
        Assert.Equal(1, store.Save(new string('a', ArtifactName.MaxLength), 1).Version);
    }

    [Theory]
    [MemberData(nameof(ValidNames))]
    public async Task Save_accepts_names_with_dashes_underscores_dots_and_slashes(Backend backend, string name)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var record = store.Save(name, "value");

        Assert.Equal(name, record.Name);
        Assert.Equal("value", store.Load<string>(name));
        Assert.Equal([name], store.List().Select(r => r.Name));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Async_twins_save_load_get_list_and_version(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = await ArtifactStore.OpenAsync(environment.Options(), ct);

        var first = await store.SaveAsync("async", new List<string> { "a" }, ct);
        var second = await store.SaveAsync("async", new List<string> { "b", "c" }, ct);

        Assert.Equal(["b", "c"], await store.LoadAsync<List<string>>("async", cancellationToken: ct));
        Assert.Equal(["a"], await store.LoadAsync<List<string>>("async", 1, ct));
        Assert.Equal(first, await store.GetAsync("async", 1, ct));
        Assert.Equal(second, await store.GetAsync("async", cancellationToken: ct));
        Assert.Equal([1, 2], (await store.VersionsAsync("async", ct)).Select(r => r.Version));
        Assert.Equal([second], await store.ListAsync(ct));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_second_store_on_the_same_database_sees_saved_artifacts(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using (var writer = environment.Open())
        {
            writer.Save("kept", new[] { "x", "y" });
        }

        using var reader = environment.Open();

        Assert.Equal(["x", "y"], reader.Load<string[]>("kept"));
        Assert.Equal(2, reader.Save("kept", new[] { "z" }).Version);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_disposed_store_throws_ObjectDisposedException(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var store = environment.Open();
        store.Save("before", 1);
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.Save("after", 1));
        Assert.Throws<ObjectDisposedException>(() => store.Load<int>("before"));
        Assert.Throws<ObjectDisposedException>(() => store.Get("before"));
        Assert.Throws<ObjectDisposedException>(() => store.List());
        Assert.Throws<ObjectDisposedException>(() => store.Versions("before"));
        Assert.Throws<ObjectDisposedException>(() => store.Delete("before", 1));
        Assert.Throws<ObjectDisposedException>(() => store.Restore("before", 1));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.SaveAsync("after", 1, TestContext.Current.CancellationToken));
        store.Dispose();
    }
}
