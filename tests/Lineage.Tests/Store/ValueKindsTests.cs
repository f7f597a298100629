using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

public sealed class ValueKindsTests(PostgresServer postgres, S3Server s3)
{
    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Bytes_are_stored_as_is(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var bytes = Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray();

        var record = store.Save("blob", bytes);

        Assert.Equal(bytes, await environment.StoredValueAsync(record));
        Assert.Equal(bytes.Length, record.Size);
        Assert.Equal(bytes, store.Load<byte[]>("blob"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Empty_bytes_round_trip(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var record = store.Save("empty", Array.Empty<byte>());

        Assert.Equal(0, record.Size);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", record.Hash);
        Assert.Empty(store.Load<byte[]>("empty"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_stream_is_stored_as_is(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var bytes = Enumerable.Range(0, 3_000_000).Select(i => (byte)(i % 251)).ToArray();
        using var source = new MemoryStream(bytes);

        var record = store.Save("big-stream", source);

        Assert.Equal(bytes, await environment.StoredValueAsync(record));
        Assert.Equal(bytes.Length, record.Size);
        Assert.Equal(bytes, store.Load<byte[]>("big-stream"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Saving_a_stream_leaves_it_open_for_the_caller(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        using var source = new MemoryStream([1, 2, 3]);

        store.Save("stream", source);

        Assert.True(source.CanRead);
        Assert.Equal(3, source.Position);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Saving_an_unreadable_stream_throws_ArgumentException_and_saves_nothing(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        using var writeOnly = new FileStream(environment.Home.Sub("write-only.bin"), FileMode.Create, FileAccess.Write);

        Assert.Throws<ArgumentException>(() => store.Save("stream", writeOnly));
        Assert.Empty(store.List());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_file_without_an_extension_is_stored_without_a_suffix(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var path = environment.Home.Sub("README");
        File.WriteAllText(path, "read me");

        var record = store.Save("readme", new FileInfo(path));

        Assert.Equal($".lineage/{record.Uid}", record.Key);
        Assert.Equal("read me"u8.ToArray(), store.Load<byte[]>("readme"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_file_is_stored_as_is_and_keeps_its_suffix(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var csv = environment.Home.Sub("table.csv");
        File.WriteAllText(csv, "a,b\n1,2\n");

        var record = store.Save("table", new FileInfo(csv));

        Assert.EndsWith(".csv", record.Key, StringComparison.Ordinal);
        Assert.Equal($".lineage/{record.Uid}.csv", record.Key);
        Assert.Equal("System.IO.FileInfo", record.TypeName);
        Assert.Equal("raw", record.Format);
        Assert.Equal(File.ReadAllBytes(csv), await environment.StoredValueAsync(record));
        Assert.Equal(File.ReadAllBytes(csv), store.Load<byte[]>("table"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Saving_a_file_that_does_not_exist_throws_FileNotFoundException(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        Assert.Throws<FileNotFoundException>(() => store.Save("absent", new FileInfo(environment.Home.Sub("absent.csv"))));
        Assert.Empty(store.List());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Primitives_and_strings_round_trip_through_MemoryPack(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var when = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc);
        var id = Guid.NewGuid();

        store.Save("int", 42);
        store.Save("long", long.MinValue);
        store.Save("double", Math.PI);
        store.Save("bool", true);
        store.Save("decimal", 12.345m);
        store.Save("string", "héllo, wörld");
        store.Save("empty-string", string.Empty);
        store.Save("date", when);
        store.Save("guid", id);

        Assert.Equal(42, store.Load<int>("int"));
        Assert.Equal(long.MinValue, store.Load<long>("long"));
        Assert.Equal(Math.PI, store.Load<double>("double"));
        Assert.True(store.Load<bool>("bool"));
        Assert.Equal(12.345m, store.Load<decimal>("decimal"));
        Assert.Equal("héllo, wörld", store.Load<string>("string"));
        Assert.Equal(string.Empty, store.Load<string>("empty-string"));
        Assert.Equal(when, store.Load<DateTime>("date"));
        Assert.Equal(id, store.Load<Guid>("guid"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Arrays_lists_and_dictionaries_round_trip_through_MemoryPack(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var matrix = new double[,] { { 1, 2 }, { 3, 4 } };
        var list = new List<string> { "a", "b", "c" };
        var map = new Dictionary<string, double> { ["x"] = 1.5, ["y"] = -2 };
        var nested = new Dictionary<int, List<int[]>> { [1] = [[1, 2], [3]] };

        store.Save("floats", new[] { 0.5f, 1.5f });
        store.Save("matrix", matrix);
        store.Save("list", list);
        store.Save("map", map);
        store.Save("nested", nested);

        Assert.Equal([0.5f, 1.5f], store.Load<float[]>("floats"));
        Assert.Equal(matrix, store.Load<double[,]>("matrix"));
        Assert.Equal(list, store.Load<List<string>>("list"));
        Assert.Equal(map, store.Load<Dictionary<string, double>>("map"));
        var loaded = store.Load<Dictionary<int, List<int[]>>>("nested");
        Assert.Equal([1, 2], loaded[1][0]);
        Assert.Equal([3], loaded[1][1]);
        Assert.Equal("System.Double[,]", store.Get("matrix").TypeName);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Tuples_round_trip_through_MemoryPack(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var record = store.Save("pair", (Count: 3, Label: "three"));
        store.Save("reference-tuple", Tuple.Create(1L, "one"));

        Assert.Equal("System.ValueTuple<System.Int32, System.String>", record.TypeName);
        Assert.Equal((3, "three"), store.Load<(int, string)>("pair"));
        Assert.Equal(Tuple.Create(1L, "one"), store.Load<Tuple<long, string>>("reference-tuple"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Save_of_null_throws_ArgumentNullException_and_saves_nothing(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        Assert.Throws<ArgumentNullException>(() => store.Save<string>("nothing", null!));
        Assert.Throws<ArgumentNullException>(() => store.Save<int?>("nothing", null));

        Assert.Empty(store.List());
        Assert.Equal(new[] { "storage.json" }, await environment.LineageEntriesAsync());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Save_of_a_type_MemoryPack_cannot_format_throws_and_leaves_nothing_behind(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var error = Assert.Throws<ArtifactSerializationException>(() => store.Save("plain", new PlainClass { Value = 1 }));

        Assert.Contains(typeof(PlainClass).FullName!.Replace('+', '.'), error.Message, StringComparison.Ordinal);
        Assert.Empty(store.List());
        Assert.Equal(0, await environment.ArtifactRowCountAsync());
        Assert.Equal(new[] { "storage.json" }, await environment.LineageEntriesAsync());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Save_of_an_object_typed_value_throws_and_leaves_nothing_behind(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        object boxed = 42;

        Assert.Throws<ArtifactSerializationException>(() => store.Save("boxed", boxed));

        Assert.Equal(0, await environment.ArtifactRowCountAsync());
        Assert.Equal(new[] { "storage.json" }, await environment.LineageEntriesAsync());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_failed_serialization_does_not_use_up_a_version(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        Assert.Throws<ArtifactSerializationException>(() => store.Save<object>("maybe", new PlainClass()));

        var record = store.Save("maybe", 1);

        Assert.Equal(1, record.Version);
    }

    public sealed class PlainClass
    {
        public int Value { get; set; }
    }
}
