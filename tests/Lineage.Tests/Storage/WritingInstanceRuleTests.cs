using Lineage.Tests.Servers;
using Lineage.Tests.Store;
using static Lineage.Tests.Storage.StorageSandbox;

namespace Lineage.Tests.Storage;

/// <summary>
/// "Only if a storage location's instance_uid matches your current instance's uid, you can write to it": every path that
/// writes to a location checks it, and the error names the instance that does write it.
/// </summary>
public sealed class WritingInstanceRuleTests(PostgresServer postgres, S3Server s3)
{
    private static readonly string[] WritePaths =
    [
        "save", "set default", "delete", "permanent delete", "restore", "archive", "register", "migrate into", "migrate out deleting sources",
        "migrate into (dry run)",
    ];

    public static TheoryData<Backend> Required => StorageSandbox.Required;

    public static TheoryData<Backend, string> RequiredWritePaths
    {
        get
        {
            var data = new TheoryData<Backend, string>();
            foreach (var backend in StorageSandbox.Required.Select(row => row.Data))
            {
                foreach (var path in WritePaths)
                {
                    data.Add(backend, path);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(RequiredWritePaths))]
    public async Task Every_write_path_checks_the_writing_instance(Backend backend, string writePath)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var shared = await sandbox.NewRootAsync();
        using var owner = sandbox.Open(await sandbox.NewDatabaseUrlAsync(), await sandbox.NewRootAsync());
        using (var before = sandbox.Open())
        {
            before.Save("home", "stays in the default root");
            before.Storages.Add(shared);
            before.Storages.SetDefault(shared);
            before.Save("x", "one");
            before.Save("x", "two");
            before.Delete("x", 2);
        }

        await sandbox.WriteAsync(shared, "data/file.csv", "a,b\n");
        // Another instance now writes the location: its marker names that instance, not this database's.
        await sandbox.WriteMarkerAsync(shared, owner.InstanceUid, owner.Options.MaskedDatabaseUrl);
        using var store = sandbox.Open();
        var rowsBefore = Snapshot(store);

        Action write = writePath switch
        {
            "save" => () =>
            {
                using var writer = sandbox.Open(root: shared);
                writer.Save("x", "three");
            },
            "set default" => () => store.Storages.SetDefault(shared),
            "delete" => () => store.Delete("x", 1),
            "permanent delete" => () => store.Delete("x", 1, permanent: true),
            "restore" => () => store.Restore("x", 2),
            "archive" => () => store.Archive("x", 1),
            "register" => () => store.Register(PathUnder(shared, "data/file.csv"), "file"),
            "migrate into" => () => store.Storages.Migrate(sandbox.Root, shared),
            "migrate into (dry run)" => () => store.Storages.Migrate(sandbox.Root, shared, new MigrationOptions { DryRun = true }),
            "migrate out deleting sources" => () => store.Storages.Migrate(shared, sandbox.Root, new MigrationOptions { DeleteSource = true }),
            _ => throw new ArgumentOutOfRangeException(nameof(writePath), writePath, null),
        };
        var error = Assert.Throws<ReadOnlyStorageException>(write);

        Assert.Equal(owner.InstanceUid, error.OwnerInstanceUid);
        Assert.Equal(shared, error.Root);
        Assert.Contains(owner.InstanceUid, error.Message, StringComparison.Ordinal);
        Assert.Contains(store.InstanceUid, error.Message, StringComparison.Ordinal);
        Assert.Equal(rowsBefore, Snapshot(store));
        Assert.Equal(store.Storages.Get(sandbox.Root).Uid, store.Storages.Default.Uid);
        Assert.Equal(2, (await sandbox.LineageEntriesAsync(sandbox.Root)).Count);
        Assert.Equal(3, (await sandbox.LineageEntriesAsync(shared)).Count);
        Assert.Equal(owner.InstanceUid, await sandbox.MarkerOwnerAsync(shared));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Reading_from_a_location_another_instance_writes_is_allowed(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var shared = await sandbox.NewRootAsync();
        using var owner = sandbox.Open(await sandbox.NewDatabaseUrlAsync(), await sandbox.NewRootAsync());
        using (var before = sandbox.Open())
        {
            before.Storages.Add(shared);
            before.Storages.SetDefault(shared);
            before.Save("x", "readable");
        }

        await sandbox.WriteMarkerAsync(shared, owner.InstanceUid, owner.Options.MaskedDatabaseUrl);
        using var store = sandbox.Open();

        var result = store.Storages.Migrate(shared, sandbox.Root);

        Assert.Equal("readable", store.Load<string>("x"));
        Assert.Equal(1, result.Moved);
        Assert.Equal(sandbox.Root, store.Get("x").StorageRoot);
        Assert.NotNull(await sandbox.ReadAsync(shared, store.Get("x").Key));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Keeping_artifacts_local_checks_the_writing_instance_of_both_locations(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var local = sandbox.LocalRoot("on-premises");
        var ownersFolder = sandbox.LocalRoot("owners-folder");
        using var owner = sandbox.Open();
        owner.Storages.Add(ownersFolder);
        using var store = sandbox.Open(await sandbox.NewDatabaseUrlAsync(), localStorage: local);
        store.Storages.Add(ownersFolder);
        var kept = store.Save("x", 1);

        var one = Assert.Throws<ReadOnlyStorageException>(() => store.Storages.Upload("x", 1));
        var all = Assert.Throws<ReadOnlyStorageException>(() => store.Storages.UploadAll());
        var setLocal = Assert.Throws<ReadOnlyStorageException>(() => store.Storages.SetLocal(ownersFolder));

        Assert.Equal(owner.InstanceUid, one.OwnerInstanceUid);
        Assert.Equal(owner.InstanceUid, all.OwnerInstanceUid);
        Assert.Equal((owner.InstanceUid, ownersFolder), (setLocal.OwnerInstanceUid, setLocal.Root));
        Assert.Equal(local, store.Storages.Local?.Root);
        Assert.Equal(sandbox.Root, one.Root);
        Assert.Equal(local, store.Get("x").StorageRoot);
        Assert.NotNull(await sandbox.ReadAsync(local, kept.Key));
        Assert.Equal(1, store.Load<int>("x"));
        Assert.Equal(["storage.json"], await sandbox.LineageEntriesAsync(sandbox.Root));
    }

    // A store that once claimed a root must not trust that memory after the root was given up and claimed by another instance.
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Adding_a_root_again_reads_its_current_marker_not_a_remembered_one(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var shared = await sandbox.NewRootAsync();
        using var longRunning = sandbox.Open();
        longRunning.Storages.Add(shared);
        using (var otherProcess = sandbox.Open())
        {
            // Another process of the same instance gives the location up: its record and its marker are removed.
            otherProcess.Storages.Delete(shared);
        }

        using var newOwner = sandbox.Open(await sandbox.NewDatabaseUrlAsync(), shared);
        newOwner.Save("theirs", 1);
        Assert.Equal(newOwner.InstanceUid, await sandbox.MarkerOwnerAsync(shared));

        var again = longRunning.Storages.Add(shared);

        Assert.Equal(newOwner.InstanceUid, again.InstanceUid);
        Assert.False(again.IsWritable);
        var error = Assert.Throws<ReadOnlyStorageException>(() => longRunning.Storages.SetDefault(shared));
        Assert.Equal(newOwner.InstanceUid, error.OwnerInstanceUid);
    }

    // "database_url and artifact_storage_dir ... hand in hand": a store pointed at a new database but the old root may only read it.
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Changing_database_url_but_not_artifact_storage_dir_refuses_saves_and_explains_both_settings(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        string originalInstance;
        using (var original = sandbox.Open())
        {
            original.Save("x", 1);
            originalInstance = original.InstanceUid;
        }

        var newDatabase = await sandbox.NewDatabaseUrlAsync();
        using var store = sandbox.Open(databaseUrl: newDatabase);

        var error = Assert.Throws<ReadOnlyStorageException>(() => store.Save("x", 2));

        Assert.False(store.IsStorageWritable);
        Assert.False(store.Storages.Default.IsWritable);
        Assert.Equal(originalInstance, error.OwnerInstanceUid);
        Assert.Equal(sandbox.Root, error.Root);
        Assert.Contains("database_url", error.Message, StringComparison.Ordinal);
        Assert.Contains("artifact_storage_dir", error.Message, StringComparison.Ordinal);
        Assert.Contains("hand in hand", error.Message, StringComparison.Ordinal);
        Assert.Contains(originalInstance, error.Message, StringComparison.Ordinal);
        Assert.Contains(store.InstanceUid, error.Message, StringComparison.Ordinal);
        Assert.Contains(store.Options.MaskedDatabaseUrl, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await sandbox.Environment.ArtifactRowCountAsync(newDatabase));
        Assert.Equal(2, (await sandbox.LineageEntriesAsync(sandbox.Root)).Count);
        Assert.Equal(originalInstance, await sandbox.MarkerOwnerAsync(sandbox.Root));
    }

    private static IReadOnlyList<(string, int, ArtifactBranch, string)> Snapshot(ArtifactStore store) =>
        [.. store.ListAllVersions(null).Select(r => (r.Name, r.Version, r.Branch, r.StorageRoot))];
}
