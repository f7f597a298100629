using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using Lineage.Tests.Servers;
using Lineage.Tests.Store;
using Lineage.Values;

namespace Lineage.Tests.Economics;

/// <summary>Identical bytes saved to one root are stored once; a shared value goes only with the last version pointing at it.</summary>
public sealed class DeduplicationTests(PostgresServer postgres, S3Server s3)
{
    private static byte[] Bytes(int seed, int length = 64 << 10)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task<IReadOnlyList<string>> ValuesAsync(BackendEnvironment environment) =>
        [.. (await environment.LineageEntriesAsync()).Where(e => e != "storage.json")];

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Saving_the_same_bytes_again_records_a_new_version_that_points_at_the_stored_value(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var bytes = Bytes(1);

        var first = store.Save("raw", bytes);
        var second = store.Save("copy", bytes, new SaveOptions { Description = "the same bytes", Tags = ["again"] });

        Assert.False(first.IsShared);
        Assert.True(second.IsShared);
        Assert.Equal(first.Key, second.Key);
        Assert.NotEqual(first.Uid, second.Uid);
        Assert.Equal((first.Size, first.Hash), (second.Size, second.Hash));
        Assert.Equal(second, store.Get("copy"));
        Assert.True(store.Get("raw").IsShared);
        Assert.Equal("the same bytes", store.Get("copy").Description);
        Assert.Equal(["again"], store.Get("copy").Tags);
        Assert.Null(store.Get("raw").Description);
        Assert.Single(await ValuesAsync(environment));
        Assert.Equal(bytes, store.Load<byte[]>("copy"));
        Assert.Equal(bytes, store.Load<byte[]>("raw"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Objects_files_and_seekable_streams_share_too_but_other_bytes_of_the_same_size_do_not(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var file = Path.Combine(environment.Home.Path, "data.csv");
        await File.WriteAllBytesAsync(file, Bytes(2), TestContext.Current.CancellationToken);

        store.Save("numbers", new[] { 1, 2, 3 });
        var numbers = store.Save("numbers", new[] { 1, 2, 3 });
        var other = store.Save("numbers", new[] { 1, 2, 4 });
        store.Save("file", new FileInfo(file));
        var stream = new MemoryStream([.. Encoding.UTF8.GetBytes("skip"), .. Bytes(2)]) { Position = 4 };
        var fromStream = store.Save("stream", stream);
        var sameSize = store.Save("noise", Bytes(3));

        Assert.True(numbers.IsShared);
        Assert.False(other.IsShared);
        Assert.True(fromStream.IsShared);
        Assert.False(sameSize.IsShared);
        Assert.Equal(Bytes(2), store.Load<byte[]>("stream"));
        Assert.Equal([1, 2, 4], store.Load<int[]>("numbers"));
        Assert.Equal(4, (await ValuesAsync(environment)).Count);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Other_bytes_of_a_stored_size_are_written_with_their_own_sha256_and_checksum_small_or_large(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("small", Bytes(1, 1024));
        store.Save("large", Bytes(1, 512 << 10));

        // Looked up by their SHA-256 first (the small one at once, the large one once its size is found), then written.
        var small = store.Save("small", Bytes(2, 1024));
        var large = store.Save("large", Bytes(2, 512 << 10));

        foreach (var (record, bytes) in new[] { (small, Bytes(2, 1024)), (large, Bytes(2, 512 << 10)) })
        {
            Assert.False(record.IsShared);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), record.Hash);
            Assert.Equal(ValueChecksum.Prefix + Convert.ToHexStringLower(XxHash128.Hash(bytes)), record.Checksum);
            Assert.Equal(record, store.Get(record.Name, record.Version));
            Assert.Equal(bytes, store.Load<byte[]>(record.Name, record.Version));
        }

        Assert.Equal(4, (await ValuesAsync(environment)).Count);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_permanent_delete_removes_a_shared_value_only_with_the_last_version_pointing_at_it(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var bytes = Bytes(4);
        store.Save("a", bytes);
        store.Save("b", bytes);
        store.Save("c", bytes);

        store.Delete("a", 1, permanent: true);
        store.Delete("b", 1);

        Assert.Single(await ValuesAsync(environment));
        store.Delete("c", 1, permanent: true);
        Assert.Single(await ValuesAsync(environment));
        store.Restore("b", 1);
        Assert.False(store.Get("b@1").IsShared);
        Assert.Equal(bytes, store.Load<byte[]>("b"));
        Assert.Empty(await store.FindUnreferencedValuesAsync(TimeSpan.Zero, cancellationToken: TestContext.Current.CancellationToken));

        store.Delete("b", 1, permanent: true);

        Assert.Empty(await ValuesAsync(environment));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_save_never_points_at_a_file_registered_in_place(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var bytes = Bytes(5);
        await environment.WriteValueAsync(environment.Root, "incoming/data.bin", bytes);
        var registered = store.Register($"{environment.Root}/incoming/data.bin", "incoming");

        var saved = store.Save("kept", bytes);
        await environment.WriteValueAsync(environment.Root, "incoming/data.bin", Bytes(6));

        Assert.False(registered.IsManaged);
        Assert.False(saved.IsShared);
        Assert.NotEqual(registered.Key, saved.Key);
        Assert.Equal(bytes, store.Load<byte[]>("kept"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Registering_one_file_twice_and_deleting_one_version_with_its_file_keeps_the_file_for_the_other(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var bytes = Bytes(7);
        await environment.WriteValueAsync(environment.Root, "incoming/data.bin", bytes);
        store.Register($"{environment.Root}/incoming/data.bin", "first");
        var second = store.Register($"{environment.Root}/incoming/data.bin", "second");

        store.Delete("first", 1, permanent: true, deleteInPlaceFile: true);

        Assert.True(second.IsShared);
        Assert.Equal(bytes, store.Load<byte[]>("second"));
        store.Delete("second", 1, permanent: true, deleteInPlaceFile: true);
        Assert.Null(await environment.ReadValueAsync(environment.Root, "incoming/data.bin"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_value_removed_behind_the_stores_back_is_not_shared_but_written_again(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var bytes = Bytes(8);
        var first = store.Save("a", bytes);
        await environment.DeleteValueAsync(first);

        var second = store.Save("b", bytes);

        Assert.False(second.IsShared);
        Assert.Equal(bytes, store.Load<byte[]>("b"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Migrating_with_DeleteSource_in_batches_of_one_removes_a_shared_source_value_only_after_its_last_version_moved(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var bytes = Bytes(9);
        store.Save("a", bytes);
        store.Save("b", bytes);
        var to = await environment.NewRootAsync();
        store.Storages.Add(to);

        var result = store.Storages.Migrate(environment.Root, to, new MigrationOptions { DeleteSource = true, BatchSize = 1 });

        Assert.Equal((2, 0), (result.Moved, result.Failures.Count));
        Assert.Empty(await ValuesAsync(environment));
        Assert.Equal(bytes, store.Load<byte[]>("a"));
        Assert.Equal(bytes, store.Load<byte[]>("b"));
        Assert.All(store.ListAllVersions(null), r => Assert.Equal(to, r.StorageRoot));
    }
}
