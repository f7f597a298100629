using System.Text;
using Lineage.Tests.Servers;
using static Lineage.Tests.Storage.StorageSandbox;

namespace Lineage.Tests.Storage;

/// <summary>
/// The behaviour paragraphs of LaminDB's Storage document (shared/reference/lamindb-storage.txt), each a test named after it,
/// on SQLite with a local root and on PostgreSQL with an S3 root.
/// </summary>
public sealed class LaminDbStorageDocumentTests(PostgresServer postgres, S3Server s3)
{
    public static TheoryData<Backend> Required => StorageSandbox.Required;

    // "A storage location is either a directory (local or a folder in the cloud) or an entire S3/GCP bucket."
    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_storage_location_is_a_directory_or_an_entire_bucket(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var folder = sandbox.LocalRoot("a-directory");
        var wholeBucket = "s3://" + await sandbox.NewBucketAsync();
        var cloudFolder = $"s3://{await sandbox.NewBucketAsync()}/our-folder";
        using var store = sandbox.Open();

        var directory = store.Storages.Add(folder);
        var bucket = store.Storages.Add(wholeBucket + "/");
        var prefix = store.Storages.Add(cloudFolder + "/");

        Assert.Equal(("local", folder), (directory.Type, directory.Root));
        Assert.Equal(("s3", wholeBucket), (bucket.Type, bucket.Root));
        Assert.Equal(("s3", cloudFolder), (prefix.Type, prefix.Root));
        Assert.Equal(store.InstanceUid, await sandbox.MarkerOwnerAsync(wholeBucket));
        Assert.Equal(store.InstanceUid, await sandbox.MarkerOwnerAsync(cloudFolder));

        store.Storages.SetDefault(wholeBucket);
        var saved = store.Save("in-a-bucket", "at the top of the bucket");
        Assert.Equal(wholeBucket, saved.StorageRoot);
        Assert.StartsWith(".lineage/", saved.Key, StringComparison.Ordinal);
        Assert.NotNull(await sandbox.ReadAsync(wholeBucket, saved.Key));
        Assert.Equal("at the top of the bucket", store.Load<string>("in-a-bucket"));

        var gcs = Assert.Throws<LineageConfigurationException>(() => store.Storages.Add("gs://my-bucket/myfolder"));
        Assert.Contains("'gs'", gcs.Message, StringComparison.Ordinal);
        Assert.Equal(4, store.Storages.List().Count);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Adding_a_bucket_that_does_not_exist_fails_and_registers_nothing(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var missing = $"s3://{await sandbox.NewBucketAsync()}-missing/folder";
        using var store = sandbox.Open();

        var error = Assert.Throws<StorageAccessException>(() => store.Storages.Add(missing));

        Assert.Contains("-missing", error.Message, StringComparison.Ordinal);
        Assert.Single(store.Storages.List());
    }

    // "A storage location is written to by at most one LaminDB instance: the location's writing instance."
    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_storage_location_is_written_to_by_at_most_one_instance_its_writing_instance(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        using var first = sandbox.Open();
        using var second = sandbox.Open(databaseUrl: await sandbox.NewDatabaseUrlAsync());

        first.Save("x", 1);
        var refused = Assert.Throws<ReadOnlyStorageException>(() => second.Save("x", 2));

        Assert.NotEqual(first.InstanceUid, second.InstanceUid);
        Assert.Equal(first.InstanceUid, await sandbox.MarkerOwnerAsync(sandbox.Root));
        Assert.Equal(first.InstanceUid, first.Storages.Default.InstanceUid);
        Assert.Equal(first.InstanceUid, second.Storages.Default.InstanceUid);
        Assert.True(first.Storages.Default.IsWritable);
        Assert.False(second.Storages.Default.IsWritable);
        Assert.Equal(first.InstanceUid, refused.OwnerInstanceUid);
        Assert.Equal(sandbox.Root, refused.Root);
        Assert.Equal(2, (await sandbox.LineageEntriesAsync(sandbox.Root)).Count);
    }

    // "Only if a storage location's instance_uid matches your current instance's uid, you can write to it.
    //  All other storage locations are read-only in your current instance."
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Only_if_instance_uid_matches_the_current_instance_can_you_write_to_it(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var shared = await sandbox.NewRootAsync();
        using var owner = sandbox.Open();
        using var other = sandbox.Open(await sandbox.NewDatabaseUrlAsync(), await sandbox.NewRootAsync());

        var owned = owner.Storages.Add(shared, "the owner's");
        var seen = other.Storages.Add(shared, "someone else's");

        Assert.Equal((owner.InstanceUid, true), (owned.InstanceUid, owned.IsWritable));
        Assert.Equal((owner.InstanceUid, false, true), (seen.InstanceUid, seen.IsWritable, seen.IsManaged));
        var refused = Assert.Throws<ReadOnlyStorageException>(() => other.Storages.SetDefault(shared));
        Assert.Equal(owner.InstanceUid, refused.OwnerInstanceUid);
        Assert.Contains(owner.InstanceUid, refused.Message, StringComparison.Ordinal);
        Assert.NotEqual(shared, other.Storages.Default.Root);

        owner.Storages.SetDefault(shared);
        Assert.Equal(shared, owner.Save("x", "mine").StorageRoot);
        Assert.Equal(owner.InstanceUid, await sandbox.MarkerOwnerAsync(shared));
    }

    // "Some storage locations are not written to by any LaminDB instance, hence, their instance_uid is None."
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Some_storage_locations_have_no_writing_instance(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var unmanaged = await sandbox.NewRootAsync();
        await sandbox.MakeUnmarkableAsync(unmanaged);
        using var store = sandbox.Open();

        var record = store.Storages.Add(unmanaged, "a dataset nobody manages");

        Assert.Null(record.InstanceUid);
        Assert.False(record.IsManaged);
        Assert.False(record.IsWritable);
        var refused = Assert.Throws<ReadOnlyStorageException>(() => store.Storages.SetDefault(unmanaged));
        Assert.Null(refused.OwnerInstanceUid);
        Assert.Contains(store.InstanceUid, refused.Message, StringComparison.Ordinal);
        Assert.Contains("marker", refused.Message, StringComparison.Ordinal);

        using var writer = sandbox.Open(root: unmanaged);
        Assert.Throws<ReadOnlyStorageException>(() => writer.Save("x", 1));
        Assert.Equal(0, await sandbox.Environment.ArtifactRowCountAsync());
        Assert.Null(writer.Storages.Default.InstanceUid);
    }

    // "host: For local storage locations, a globally unique identifier for the physical machine/server hosting the storage.
    //  This distinguishes storage locations that may have the same local path but exist on different servers."
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Host_distinguishes_locations_with_the_same_local_path_on_different_servers(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var path = sandbox.LocalRoot("nfs-shared-datasets");
        using var onA = sandbox.Open(root: path, host: "host-a");
        using var onB = sandbox.Open(root: path, host: "host-b");

        onA.Save("made-on-a", "a");
        onB.Save("made-on-b", "b");

        var locations = onA.Storages.List().Where(s => s.Root == path).ToList();
        Assert.Equal(["host-a", "host-b"], locations.Select(s => s.Host));
        Assert.NotEqual(locations[0].Uid, locations[1].Uid);
        Assert.Equal(onB.Storages.Default.Uid, onA.Storages.Get(path, "host-b").Uid);
        Assert.Equal("host-b", onA.Get("made-on-b").StorageHost);

        var elsewhere = Assert.Throws<StorageAccessException>(() => onA.Load<string>("made-on-b"));
        Assert.Equal(path, elsewhere.Root);
        Assert.Contains("host 'host-b'", elsewhere.Message, StringComparison.Ordinal);
        Assert.Contains("host 'host-a'", elsewhere.Message, StringComparison.Ordinal);
        Assert.Contains("host 'host-a'", Assert.Throws<StorageAccessException>(() => onB.Load<string>("made-on-a")).Message, StringComparison.Ordinal);
        Assert.Throws<StorageAccessException>(() => onA.Delete("made-on-b", 1));
        Assert.Equal("a", onA.Load<string>("made-on-a"));
        Assert.Equal("b", onB.Load<string>("made-on-b"));
    }

    // "property host: Host identifier for local storage locations. Is None for locations with type != "local"."
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Host_is_None_for_non_local_locations(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var cloud = await sandbox.S3RootAsync();
        using var store = sandbox.Open(host: "host-a");

        var record = store.Storages.Add(cloud);
        var folder = store.Storages.Add(sandbox.LocalRoot());

        Assert.Equal(("s3", null), (record.Type, record.Host));
        Assert.Equal(("local", "host-a"), (folder.Type, folder.Host));
        Assert.Throws<ArgumentException>(() => store.Storages.Add(cloud, host: "host-a"));
        store.Storages.SetDefault(cloud);
        var saved = store.Save("x", 1);
        Assert.Null(saved.StorageHost);

        using var elsewhere = sandbox.Open(host: "host-b");
        Assert.Equal(record.Uid, elsewhere.Storages.Get(cloud).Uid);
        Assert.Equal(1, elsewhere.Load<int>("x"));
    }

    // "Existing artifacts ... Instead of copying such artifacts into .lamindb/ ..., LaminDB registers them with the semantic key
    //  representing the relative path within the storage location."
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Existing_files_are_registered_in_place_with_their_relative_path_as_key(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var content = Encoding.UTF8.GetBytes("sample,count\na,1\nb,2\n");
        await sandbox.WriteAsync(sandbox.Root, "genomics/run-1/counts.csv", content);
        using var store = sandbox.Open();

        var record = store.Register(PathUnder(sandbox.Root, "genomics/run-1/counts.csv"), "counts");

        Assert.Equal("genomics/run-1/counts.csv", record.Key);
        Assert.Equal(sandbox.Root, record.StorageRoot);
        Assert.False(record.IsManaged);
        Assert.Equal(content.Length, record.Size);
        Assert.Equal(Sha256(content), record.Hash);
        Assert.Equal(("genomics/run-1/counts.csv", false), (store.Get("counts").Key, store.Get("counts").IsManaged));
        Assert.Equal(content, store.Load<byte[]>("counts"));
        Assert.Equal(["storage.json"], await sandbox.LineageEntriesAsync(sandbox.Root));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Register_outside_any_root_copies_into_the_default_root(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var content = Encoding.UTF8.GetBytes("downloaded,report\n");
        var outside = sandbox.Environment.Home.Sub("downloads", "report.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(outside)!);
        await File.WriteAllBytesAsync(outside, content, TestContext.Current.CancellationToken);
        var strayBucket = await sandbox.NewBucketAsync();
        using var store = sandbox.Open();

        var record = store.Register(outside, "report");
        await File.WriteAllTextAsync(outside, "changed after registration", TestContext.Current.CancellationToken);

        Assert.True(record.IsManaged);
        Assert.Equal(sandbox.Root, record.StorageRoot);
        Assert.StartsWith(".lineage/", record.Key, StringComparison.Ordinal);
        Assert.EndsWith(".csv", record.Key, StringComparison.Ordinal);
        Assert.Equal(content, await sandbox.ReadAsync(sandbox.Root, record.Key));
        Assert.Equal(content, store.Load<byte[]>("report"));
        var stray = Assert.Throws<StorageNotFoundException>(() => store.Register($"s3://{strayBucket}/elsewhere/file.csv", "stray"));
        Assert.Contains($"s3://{strayBucket}/elsewhere", stray.Message, StringComparison.Ordinal);
    }

    // "There is only a single .lamindb/ directory per storage location."
    [Theory]
    [MemberData(nameof(Required))]
    public async Task There_is_only_a_single_lineage_directory_per_storage_location(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var inside = PathUnder(sandbox.Root, "project/sub");
        var around = ParentOf(sandbox.Root);
        using var store = sandbox.Open();
        var saved = store.Save("x", 1);

        var nested = Assert.Throws<LineageConfigurationException>(() => store.Storages.Add(inside));
        var enclosing = Assert.Throws<LineageConfigurationException>(() => store.Storages.Add(around));
        var opened = Assert.Throws<LineageConfigurationException>(() => sandbox.Open(root: inside));
        var sneaky = Assert.Throws<LineageException>(() => store.Register(PathUnder(sandbox.Root, saved.Key), "sneaky"));

        Assert.Contains("nested inside", nested.Message, StringComparison.Ordinal);
        Assert.Contains(sandbox.Root, nested.Message, StringComparison.Ordinal);
        Assert.Contains("nested around", enclosing.Message, StringComparison.Ordinal);
        Assert.Contains("nested inside", opened.Message, StringComparison.Ordinal);
        Assert.Contains(".lineage/", sneaky.Message, StringComparison.Ordinal);
        Assert.Single(store.Storages.List());
        Assert.Null(await sandbox.ReadAsync(inside, MarkerKey));
        Assert.Null(await sandbox.ReadAsync(around, MarkerKey));
    }

    // "delete(): Delete the storage location. This errors in case the storage location is not empty."
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Delete_errors_when_the_storage_location_is_not_empty(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var extra = await sandbox.NewRootAsync();
        using var store = sandbox.Open();
        store.Storages.Add(extra);
        store.Storages.SetDefault(extra);
        store.Save("a", 1);
        store.Save("a", 2);
        store.Save("a", 3);
        store.Delete("a", 2);
        store.Archive("a", 3);
        store.Storages.SetDefault(sandbox.Root);

        var error = Assert.Throws<LineageException>(() => store.Storages.Delete(extra));

        Assert.Contains("3 artifact version(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("1 live, 1 in the trash, 1 archived", error.Message, StringComparison.Ordinal);
        Assert.Equal(extra, store.Storages.Get(extra).Root);
        Assert.Equal(store.InstanceUid, await sandbox.MarkerOwnerAsync(extra));
        Assert.Equal(3, store.ListAllVersions(null).Count);

        for (var version = 1; version <= 3; version++)
        {
            store.Delete("a", version, permanent: true);
        }

        store.Storages.Delete(extra);
        Assert.Throws<StorageNotFoundException>(() => store.Storages.Get(extra));
        Assert.Null(await sandbox.ReadAsync(extra, MarkerKey));
        Assert.Contains("default storage location", Assert.Throws<LineageException>(() => store.Storages.Delete(sandbox.Root)).Message, StringComparison.Ordinal);
    }

    // "Unlike other SQLRecord-based registries, this does not move the storage record into the trash.
    //  permanent: False raises an error, as soft delete is impossible."
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Delete_never_moves_a_storage_location_to_the_trash(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var extra = await sandbox.NewRootAsync();
        using var store = sandbox.Open();
        var original = store.Storages.Add(extra);

        var soft = Assert.Throws<InvalidOperationException>(() => store.Storages.Delete(extra, permanent: false));
        Assert.Contains("cannot be soft-deleted", soft.Message, StringComparison.Ordinal);
        Assert.Equal(original.Uid, store.Storages.Get(extra).Uid);

        store.Storages.Delete(extra, permanent: true);

        Assert.DoesNotContain(store.Storages.List(), s => s.Root == extra);
        Assert.Throws<StorageNotFoundException>(() => store.Storages.Get(extra));
        var again = store.Storages.Add(extra);
        Assert.NotEqual(original.Uid, again.Uid);
        Assert.Equal(store.InstanceUid, again.InstanceUid);
    }

    // Deleting a registration frees the root only when this instance really writes it: the marker decides, not the stored record.
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Deleting_a_location_never_removes_a_marker_that_names_another_instance(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var extra = await sandbox.NewRootAsync();
        using var other = sandbox.Open(await sandbox.NewDatabaseUrlAsync(), await sandbox.NewRootAsync());
        using (var first = sandbox.Open())
        {
            first.Storages.Add(extra);
        }

        // The marker now names another instance (it took the root over); this database still remembers claiming it.
        await sandbox.WriteMarkerAsync(extra, other.InstanceUid, other.Options.MaskedDatabaseUrl);
        using var store = sandbox.Open();

        store.Storages.Delete(extra);

        Assert.Throws<StorageNotFoundException>(() => store.Storages.Get(extra));
        Assert.Equal(other.InstanceUid, await sandbox.MarkerOwnerAsync(extra));
    }

    // "restore(): Restore from trash onto the main branch."
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Restore_brings_an_artifact_from_the_trash_onto_main(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        using var store = sandbox.Open();
        store.Save("model", "v1");
        store.Save("model", "v2");
        store.Delete("model", 2);
        Assert.Equal(1, store.Get("model").Version);
        Assert.Throws<ArtifactNotFoundException>(() => store.Load<string>("model", 2));
        Assert.Equal([("model", 2)], store.Trash().Select(r => (r.Name, r.Version)));

        store.Restore("model", 2);

        Assert.Equal(ArtifactBranch.Main, store.Get("model", 2).Branch);
        Assert.Equal(2, store.Get("model").Version);
        Assert.Equal("v2", store.Load<string>("model"));
        Assert.Empty(store.Trash());

        store.Archive("model", 2);
        store.Restore("model", 2);
        Assert.Equal([("model", 2)], store.List().Select(r => (r.Name, r.Version)));
    }

    // "branch.name can be "main" (default branch), "trash" (trash), branch.name = "archive" (archived)"
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Archived_artifacts_are_hidden_from_listings_but_loadable(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        using var store = sandbox.Open();
        store.Save("report", "draft");
        store.Save("report", "final");
        store.Save("notes", "only version");

        store.Archive("report", 2);
        store.Archive("notes", 1);

        Assert.Equal([("report", 1)], store.List().Select(r => (r.Name, r.Version)));
        Assert.Equal([1], store.Versions("report").Select(r => r.Version));
        Assert.Equal("draft", store.Load<string>("report"));
        Assert.Equal("final", store.Load<string>("report", 2));
        Assert.Equal("only version", store.Load<string>("notes", 1));
        Assert.Equal(ArtifactBranch.Archive, store.Get("report", 2).Branch);
        Assert.Throws<ArtifactNotFoundException>(() => store.Load<string>("notes"));
        Assert.Equal(2, store.ListAllVersions(ArtifactBranch.Archive).Count);
        Assert.Empty(store.Trash());
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_changed_in_place_file_is_reported_not_served(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        await sandbox.WriteAsync(sandbox.Root, "data/table.csv", "a,b\n1,2\n");
        var path = PathUnder(sandbox.Root, "data/table.csv");
        using var store = sandbox.Open();
        var record = store.Register(path, "table");

        await sandbox.WriteAsync(sandbox.Root, "data/table.csv", "a,b\n9,9\n");
        var sameSize = Assert.Throws<CorruptArtifactException>(() => store.Load<byte[]>("table"));
        var check = await store.VerifyAsync(record, TestContext.Current.CancellationToken);
        await sandbox.WriteAsync(sandbox.Root, "data/table.csv", "a,b\n1,2\n3,4\n");
        var grown = Assert.Throws<CorruptArtifactException>(() => store.Load<byte[]>("table"));

        Assert.Contains("changed since it was registered", sameSize.Message, StringComparison.Ordinal);
        Assert.Contains("data/table.csv", sameSize.Message, StringComparison.Ordinal);
        Assert.Contains("changed since it was registered", grown.Message, StringComparison.Ordinal);
        Assert.Equal(ValueCheckStatus.Corrupt, check.Status);

        var again = store.Register(path, "table");
        Assert.Equal(2, again.Version);
        Assert.Equal(Encoding.UTF8.GetBytes("a,b\n1,2\n3,4\n"), store.Load<byte[]>("table"));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Permanent_delete_keeps_in_place_files_unless_asked(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        await sandbox.WriteAsync(sandbox.Root, "keep/a.bin", [1, 2, 3]);
        await sandbox.WriteAsync(sandbox.Root, "keep/b.bin", [4, 5, 6]);
        using var store = sandbox.Open();
        store.Register(PathUnder(sandbox.Root, "keep/a.bin"), "a");
        store.Register(PathUnder(sandbox.Root, "keep/b.bin"), "b");
        var managed = store.Save("c", new byte[] { 7 });

        store.Delete("a", 1, permanent: true);
        store.Delete("b", 1, permanent: true, deleteInPlaceFile: true);
        store.Delete("c", 1, permanent: true);

        Assert.Equal([1, 2, 3], await sandbox.ReadAsync(sandbox.Root, "keep/a.bin"));
        Assert.Null(await sandbox.ReadAsync(sandbox.Root, "keep/b.bin"));
        Assert.Null(await sandbox.ReadAsync(managed.StorageRoot, managed.Key));
        Assert.Empty(store.ListAllVersions(null));
    }

    // "Create a new cloud storage location: ln.Storage(root="s3://our-bucket/our-folder").save()"
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Create_a_new_cloud_storage_location(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var cloud = await sandbox.S3RootAsync();
        using var store = sandbox.Open(user: "creator");

        var created = store.Storages.Add(cloud, "our team's folder");

        Assert.Equal(cloud, created.Root);
        Assert.Equal("s3", created.Type);
        Assert.Equal("our team's folder", created.Description);
        Assert.Equal("us-east-1", created.Region);
        Assert.Null(created.Host);
        Assert.Equal(store.InstanceUid, created.InstanceUid);
        Assert.True(created.IsWritable);
        Assert.Equal(SpaceRecord.All, created.Space);
        Assert.Equal("creator", created.CreatedBy);
        Assert.InRange(created.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Equal(12, created.Uid.Length);
        Assert.Equal(store.InstanceUid, await sandbox.MarkerOwnerAsync(cloud));
        Assert.Contains(store.Storages.List(), s => s.Uid == created.Uid);
    }

    // "Create a new local storage location: ln.Storage(root="/dir/our-shared-dir", host="our-server-123").save()"
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Create_a_new_local_storage_location_with_a_host(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var shared = sandbox.LocalRoot("our-shared-dir");
        var mine = sandbox.LocalRoot("mine");
        using var store = sandbox.Open(host: "host-a");

        var remote = store.Storages.Add(shared, "on the server", host: "our-server-123");
        var local = store.Storages.Add(mine);

        Assert.Equal(("local", "our-server-123", null), (remote.Type, remote.Host, remote.InstanceUid));
        Assert.False(Directory.Exists(shared));
        Assert.Equal(remote.Uid, store.Storages.Get(shared, "our-server-123").Uid);
        Assert.Throws<StorageNotFoundException>(() => store.Storages.Get(shared));
        Assert.Equal(("host-a", store.InstanceUid), (local.Host, local.InstanceUid));
        Assert.Equal(store.InstanceUid, await sandbox.MarkerOwnerAsync(mine));

        using var server = sandbox.Open(root: shared, host: "our-server-123");
        var claimed = server.Storages.Get(shared);
        Assert.Equal(remote.Uid, claimed.Uid);
        Assert.Equal((server.InstanceUid, true), (claimed.InstanceUid, claimed.IsWritable));
        Assert.Equal(server.InstanceUid, await sandbox.MarkerOwnerAsync(shared));
    }

    // "Globally switch to another storage location: ln.settings.storage = "/dir/our-shared-dir""
    [Theory]
    [MemberData(nameof(Required))]
    public async Task Globally_switch_to_another_storage_location(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var other = await sandbox.NewRootAsync();
        var unregistered = await sandbox.NewRootAsync();
        using var store = sandbox.Open();
        var before = store.Save("x", "before");
        store.Storages.Add(other);

        store.Storages.SetDefault(other);
        var after = store.Save("x", "after");

        Assert.Equal(other, store.Storages.Default.Root);
        Assert.Equal(sandbox.Root, before.StorageRoot);
        Assert.Equal(other, after.StorageRoot);
        Assert.NotNull(await sandbox.ReadAsync(other, after.Key));
        Assert.Null(await sandbox.ReadAsync(sandbox.Root, after.Key));
        Assert.Equal("before", store.Load<string>("x", 1));
        Assert.Equal("after", store.Load<string>("x", 2));
        Assert.Equal(sandbox.Root, store.Options.ArtifactStorageDir);
        Assert.Throws<StorageNotFoundException>(() => store.Storages.SetDefault(unregistered));
        Assert.Equal(other, store.Storages.Default.Root);
    }

    // "View all storage locations used in your LaminDB instance: ln.Storage.to_dataframe()"
    [Theory]
    [MemberData(nameof(Required))]
    public async Task View_all_storage_locations(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var second = await sandbox.NewRootAsync();
        var remote = sandbox.LocalRoot("remote");
        using var store = sandbox.Open();
        using var otherInstance = sandbox.Open(await sandbox.NewDatabaseUrlAsync(), await sandbox.NewRootAsync());
        store.Storages.Add(second, "second");
        store.Storages.Add(remote, host: "elsewhere");

        var all = store.Storages.List();

        Assert.Equal(3, all.Count);
        Assert.Equal(all.Select(s => s.Root).Order(StringComparer.Ordinal), all.Select(s => s.Root));
        Assert.Equal(
            new[] { sandbox.Root, second, remote }.Order(StringComparer.Ordinal),
            all.Select(s => s.Root).Order(StringComparer.Ordinal));
        Assert.Contains(all, s => s.Uid == store.Storages.Default.Uid);
        Assert.Equal("second", all.Single(s => s.Root == second).Description);
        Assert.Single(otherInstance.Storages.List());
    }

    // "View the current default storage location for writing artifacts: ln.settings.storage"
    [Theory]
    [MemberData(nameof(Required))]
    public async Task View_the_current_default_storage_location(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        using var store = sandbox.Open();

        var current = store.Storages.Default;

        Assert.Equal(store.Options.ArtifactStorageDir, current.Root);
        Assert.Equal(sandbox.Root, current.Root);
        Assert.Equal(backend.Values.ToString().ToLowerInvariant(), current.Type);
        Assert.Equal(backend.Values == ValueBackend.Local ? HostA : null, current.Host);
        Assert.Equal(store.InstanceUid, current.InstanceUid);
        Assert.True(current.IsWritable);
        Assert.Null(store.Storages.Local);
        Assert.Equal(current.Uid, store.Storages.Get(sandbox.Root).Uid);
        Assert.Equal(current.Root, store.Save("x", 1).StorageRoot);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Adding_a_registered_root_returns_the_existing_record(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var extra = await sandbox.NewRootAsync();
        using var store = sandbox.Open(user: "first-user");
        using var colleague = sandbox.Open(user: "second-user");

        var first = store.Storages.Add(extra, "first description");
        var marker = await sandbox.ReadAsync(extra, MarkerKey);
        var again = colleague.Storages.Add(extra + "/", "second description");

        Assert.Equal(first.Uid, again.Uid);
        Assert.Equal(first.CreatedAt, again.CreatedAt);
        Assert.Equal("first description", again.Description);
        Assert.Equal("first-user", again.CreatedBy);
        Assert.Equal(2, store.Storages.List().Count);
        Assert.Equal(store.Storages.Default.Uid, store.Storages.Add(sandbox.Root).Uid);
        Assert.Equal(marker, await sandbox.ReadAsync(extra, MarkerKey));
    }
}
