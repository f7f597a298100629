using Lineage.Tests.Servers;

namespace Lineage.Tests.Reliability;

/// <summary>
/// Anyone who can write a shared root can plant symbolic links in it. Lineage never reads, registers or deletes through a
/// link that leads out of a root, nor through one planted where it keeps or registered a value. S3 has no links: these run
/// on a local root with either metadata database.
/// </summary>
public sealed class LinkTests(PostgresServer postgres, S3Server s3)
{
    private const string Secret = "the owner's file, outside the root";

    public static TheoryData<Backend> LocalRoots => new(Backend.SqliteLocal, new Backend(MetadataBackend.Postgres, ValueBackend.Local));

    [Theory]
    [MemberData(nameof(LocalRoots))]
    public async Task Gc_delete_never_deletes_through_a_folder_link_planted_in_the_lineage_folder(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("kept", "value");
        var outside = OutsideFile(environment, "victims/precious.txt");
        Directory.CreateSymbolicLink(Path.Combine(environment.Root, ".lineage", "planted"), Path.GetDirectoryName(outside)!);

        var found = await store.FindUnreferencedValuesAsync(TimeSpan.Zero, delete: true, TestContext.Current.CancellationToken);

        Assert.True(File.Exists(outside), "gc deleted a file outside the root through a planted folder link");
        Assert.Equal(Secret, await File.ReadAllTextAsync(outside, TestContext.Current.CancellationToken));
        Assert.Empty(found);
        Assert.Equal("value", store.Load<string>("kept"));
    }

    [Theory]
    [MemberData(nameof(LocalRoots))]
    public async Task Gc_neither_reports_nor_follows_a_file_link_planted_in_the_lineage_folder(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save("kept", "value");
        var outside = OutsideFile(environment, "precious.txt");
        var link = Path.Combine(environment.Root, ".lineage", "planted.mpk");
        File.CreateSymbolicLink(link, outside);

        var found = await store.FindUnreferencedValuesAsync(TimeSpan.Zero, delete: true, TestContext.Current.CancellationToken);

        Assert.Empty(found);
        Assert.Equal(Secret, await File.ReadAllTextAsync(outside, TestContext.Current.CancellationToken));
        Assert.Equal(outside, new FileInfo(link).LinkTarget);
    }

    [Theory]
    [MemberData(nameof(LocalRoots))]
    public async Task Gc_refuses_a_root_whose_lineage_folder_was_replaced_by_a_link(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using (var first = environment.Open())
        {
            first.Save("kept", "value");
        }

        // The attacker moves the real folder away and links .lineage to the victim's folder, holding a copy of the marker.
        var lineage = Path.Combine(environment.Root, ".lineage");
        var outside = OutsideFile(environment, "victims/precious.txt");
        File.Copy(Path.Combine(lineage, "storage.json"), Path.Combine(Path.GetDirectoryName(outside)!, "storage.json"));
        Directory.Move(lineage, environment.Home.Sub("moved-away"));
        Directory.CreateSymbolicLink(lineage, Path.GetDirectoryName(outside)!);

        var error = await Assert.ThrowsAsync<StorageLinkException>(async () =>
        {
            await using var store = environment.Open();
            await store.FindUnreferencedValuesAsync(TimeSpan.Zero, delete: true, TestContext.Current.CancellationToken);
        });

        Assert.Equal(lineage, error.Link);
        Assert.Contains(environment.Root, error.Message, StringComparison.Ordinal);
        Assert.Equal(Secret, await File.ReadAllTextAsync(outside, TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(LocalRoots))]
    public async Task Register_of_a_link_to_a_file_outside_the_root_is_refused_naming_the_path_the_link_and_the_root(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var outside = OutsideFile(environment, "precious.txt");
        var link = Path.Combine(environment.Root, "data.csv");
        File.CreateSymbolicLink(link, outside);

        var error = Assert.Throws<StorageLinkException>(() => store.Register(link, "data"));

        Assert.Equal((environment.Root, link, link), (error.Root, error.Path, error.Link));
        Assert.Contains(link, error.Message, StringComparison.Ordinal);
        Assert.Contains(outside, error.Message, StringComparison.Ordinal);
        Assert.Contains(environment.Root, error.Message, StringComparison.Ordinal);
        Assert.Empty(store.List());
    }

    [Theory]
    [MemberData(nameof(LocalRoots))]
    public async Task Register_of_a_file_under_a_folder_link_leading_outside_the_root_is_refused(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var outside = OutsideFile(environment, "victims/precious.txt");
        var linkedFolder = Path.Combine(environment.Root, "shared");
        Directory.CreateSymbolicLink(linkedFolder, Path.GetDirectoryName(outside)!);
        var path = Path.Combine(linkedFolder, "precious.txt");

        var error = Assert.Throws<StorageLinkException>(() => store.Register(path, "data"));

        Assert.Equal((path, linkedFolder), (error.Path, error.Link));
        Assert.Contains(Path.GetDirectoryName(outside)!, error.Message, StringComparison.Ordinal);
        Assert.Empty(store.List());
    }

    [Theory]
    [MemberData(nameof(LocalRoots))]
    public async Task Register_of_a_folder_holding_a_link_is_refused(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var outside = OutsideFile(environment, "precious.txt");
        var folder = Path.Combine(environment.Root, "run-7");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "reads.fastq"), "@r1\nACGT\n", TestContext.Current.CancellationToken);
        var link = Path.Combine(folder, "extra.txt");
        File.CreateSymbolicLink(link, outside);

        var error = Assert.Throws<StorageLinkException>(() => store.Register(folder, "run-7"));

        Assert.Equal(link, error.Link);
        Assert.Contains(outside, error.Message, StringComparison.Ordinal);
        Assert.Empty(store.List());
    }

    [Theory]
    [MemberData(nameof(LocalRoots))]
    public async Task Register_through_a_link_that_stays_inside_the_root_records_the_resolved_key(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        Directory.CreateDirectory(Path.Combine(environment.Root, "real"));
        await File.WriteAllTextAsync(Path.Combine(environment.Root, "real", "data.csv"), "a,b\n1,2\n", TestContext.Current.CancellationToken);
        Directory.CreateSymbolicLink(Path.Combine(environment.Root, "alias"), Path.Combine(environment.Root, "real"));

        var record = store.Register(Path.Combine(environment.Root, "alias", "data.csv"), "data");

        Assert.Equal("real/data.csv", record.Key);
        Assert.Equal("a,b\n1,2\n"u8.ToArray(), store.Load<byte[]>("data"));
    }

    [Theory]
    [MemberData(nameof(LocalRoots))]
    public async Task A_file_registered_in_place_then_replaced_by_a_link_is_refused_on_load_and_delete_keeps_the_target(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var path = Path.Combine(environment.Root, "data.txt");
        await File.WriteAllTextAsync(path, Secret, TestContext.Current.CancellationToken);
        var record = store.Register(path, "data");
        // Same bytes outside: only the link, not the hash, can tell the load that it is no longer the registered file.
        var outside = OutsideFile(environment, "precious.txt");
        File.Delete(path);
        File.CreateSymbolicLink(path, outside);

        var error = Assert.Throws<StorageLinkException>(() => store.Load<byte[]>("data"));
        var check = await store.VerifyAsync(record, TestContext.Current.CancellationToken);
        store.Delete("data", 1, permanent: true, deleteInPlaceFile: true);

        Assert.Equal((path, path), (error.Path, error.Link));
        Assert.Contains(outside, error.Message, StringComparison.Ordinal);
        Assert.Equal(ValueCheckStatus.Corrupt, check.Status);
        Assert.Contains("link", check.Problem, StringComparison.Ordinal);
        Assert.Equal(Secret, await File.ReadAllTextAsync(outside, TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(LocalRoots))]
    public async Task A_registered_file_whose_folder_was_replaced_by_a_link_is_refused_and_delete_leaves_the_outside_file(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var folder = Path.Combine(environment.Root, "data");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "precious.txt"), Secret, TestContext.Current.CancellationToken);
        store.Register(Path.Combine(folder, "precious.txt"), "data");
        var outside = OutsideFile(environment, "victims/precious.txt");
        Directory.Delete(folder, recursive: true);
        Directory.CreateSymbolicLink(folder, Path.GetDirectoryName(outside)!);

        var load = Assert.Throws<StorageLinkException>(() => store.Load<byte[]>("data"));
        var delete = Assert.Throws<StorageLinkException>(() => store.Delete("data", 1, permanent: true, deleteInPlaceFile: true));

        Assert.Equal(folder, load.Link);
        Assert.Equal(folder, delete.Link);
        Assert.Equal(Secret, await File.ReadAllTextAsync(outside, TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(LocalRoots))]
    public async Task A_folder_registered_in_place_in_which_a_file_became_a_link_is_refused_on_load(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var folder = Path.Combine(environment.Root, "run-7");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, "precious.txt");
        await File.WriteAllTextAsync(file, Secret, TestContext.Current.CancellationToken);
        var record = store.Register(folder, "run-7");
        var outside = OutsideFile(environment, "precious.txt");
        File.Delete(file);
        File.CreateSymbolicLink(file, outside);

        var error = Assert.Throws<StorageLinkException>(() => store.Load<DirectoryInfo>("run-7"));
        var check = await store.VerifyAsync(record, TestContext.Current.CancellationToken);
        store.Delete("run-7", 1, permanent: true, deleteInPlaceFile: true);

        Assert.Equal(file, error.Link);
        Assert.Equal(ValueCheckStatus.Corrupt, check.Status);
        Assert.Equal(Secret, await File.ReadAllTextAsync(outside, TestContext.Current.CancellationToken));
    }

    [Theory]
    [MemberData(nameof(LocalRoots))]
    public async Task A_root_reached_through_a_link_saves_loads_registers_and_collects_as_usual(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        Directory.CreateDirectory(environment.Root);
        var linkedRoot = environment.Home.Sub("linked-root");
        Directory.CreateSymbolicLink(linkedRoot, environment.Root);
        await using var store = environment.Open(root: linkedRoot);
        var saved = store.Save("saved", "value");
        await File.WriteAllTextAsync(Path.Combine(linkedRoot, "data.txt"), "in place", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(linkedRoot, ".lineage", "leftover.mpk"), "orphan", TestContext.Current.CancellationToken);

        var registered = store.Register(Path.Combine(linkedRoot, "data.txt"), "registered");
        var found = await store.FindUnreferencedValuesAsync(TimeSpan.Zero, delete: true, TestContext.Current.CancellationToken);
        store.Delete("saved", 1, permanent: true);

        Assert.Equal((linkedRoot, "data.txt"), (registered.StorageRoot, registered.Key));
        Assert.Equal("in place"u8.ToArray(), store.Load<byte[]>("registered"));
        Assert.Equal(".lineage/leftover.mpk", Assert.Single(found).Key);
        Assert.False(File.Exists(Path.Combine(environment.Root, saved.Key)));
    }

    /// <summary>A file with <see cref="Secret"/> in a folder outside the root, as the owner's own data would be.</summary>
    private static string OutsideFile(BackendEnvironment environment, string relativePath)
    {
        var path = environment.Home.Sub("outside", relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Secret);
        return path;
    }
}
