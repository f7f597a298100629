using System.Text;
using Lineage.Tests.Servers;
using static Lineage.Tests.Storage.StorageSandbox;

namespace Lineage.Tests.Storage;

/// <summary>
/// "Existing artifacts are typically stored in hierarchical structures with semantic folder names … LaminDB registers them with
/// the semantic key representing the relative path within the storage location": folders, registered in place as one artifact.
/// </summary>
public sealed class FolderRegistrationTests(PostgresServer postgres, S3Server s3)
{
    private static readonly (string Key, string Content)[] Run =
    [
        ("genomics/run-7/reads/a.fastq", "@r1\nACGT\n"),
        ("genomics/run-7/reads/b.fastq", "@r2\nTTGA\n"),
        ("genomics/run-7/summary.json", "{\"reads\": 2}"),
    ];

    public static TheoryData<Backend> Required => StorageSandbox.Required;

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_folder_under_a_registered_root_is_registered_in_place_and_verified_as_a_whole(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        foreach (var (key, content) in Run)
        {
            await sandbox.WriteAsync(sandbox.Root, key, content);
        }

        using var store = sandbox.Open();
        var record = store.Register(PathUnder(sandbox.Root, "genomics/run-7"), "run-7");

        Assert.Equal(("genomics/run-7", "folder", false), (record.Key, record.Format, record.IsManaged));
        Assert.Equal(Run.Sum(f => Encoding.UTF8.GetByteCount(f.Content)), record.Size);
        Assert.Equal(["storage.json"], await sandbox.LineageEntriesAsync(sandbox.Root));
        Assert.Equal(ValueCheckStatus.Ok, (await store.VerifyAsync(record, TestContext.Current.CancellationToken)).Status);
        Assert.Throws<ArtifactTypeMismatchException>(() => store.Load<byte[]>("run-7"));

        var export = sandbox.Environment.Home.Sub("exported");
        await store.ExportAsync(record, export, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("{\"reads\": 2}", await File.ReadAllTextAsync(Path.Combine(export, "summary.json"), TestContext.Current.CancellationToken));
        Assert.Equal("@r2\nTTGA\n", await File.ReadAllTextAsync(Path.Combine(export, "reads", "b.fastq"), TestContext.Current.CancellationToken));

        if (backend.Values == ValueBackend.Local)
        {
            var folder = store.Load<DirectoryInfo>("run-7");
            Assert.Equal(Path.Combine(sandbox.Root, "genomics", "run-7"), folder.FullName);
        }
        else
        {
            Assert.Contains("ExportAsync", Assert.Throws<LineageException>(() => store.Load<DirectoryInfo>("run-7")).Message, StringComparison.Ordinal);
        }

        // One file changes: the folder as a whole is reported as changed, never served.
        await sandbox.WriteAsync(sandbox.Root, "genomics/run-7/reads/a.fastq", "@r1\nACGA\n");
        var check = await store.VerifyAsync(record, TestContext.Current.CancellationToken);
        Assert.Equal(ValueCheckStatus.Corrupt, check.Status);
        Assert.Contains("changed since it was registered", check.Problem, StringComparison.Ordinal);
        Assert.Throws<CorruptArtifactException>(() => store.ExportAsync(record, sandbox.Environment.Home.Sub("again"), cancellationToken: TestContext.Current.CancellationToken).GetAwaiter().GetResult());
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_registered_folder_migrates_file_by_file_and_an_interrupted_copy_resumes(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        foreach (var (key, content) in Run)
        {
            await sandbox.WriteAsync(sandbox.Root, key, content);
        }

        var target = await sandbox.RootAsync(backend.Values == ValueBackend.S3 ? "local" : "s3");
        using var store = sandbox.Open();
        var record = store.Register(PathUnder(sandbox.Root, "genomics/run-7"), "run-7");
        store.Storages.Add(target);
        // An earlier run copied one file before it was killed.
        await sandbox.WriteAsync(target, Run[0].Key, Run[0].Content);

        var result = store.Storages.Migrate(sandbox.Root, target, new MigrationOptions { DeleteSource = true, DeleteInPlaceSources = true });

        Assert.Equal((1, 0), (result.Moved, result.Failures.Count));
        Assert.Equal(record.Size - Encoding.UTF8.GetByteCount(Run[0].Content), result.BytesCopied);
        var moved = store.Get("run-7");
        Assert.Equal((target, record.Hash), (moved.StorageRoot, moved.Hash));
        Assert.Equal(ValueCheckStatus.Ok, (await store.VerifyAsync(moved, TestContext.Current.CancellationToken)).Status);
        foreach (var (key, content) in Run)
        {
            Assert.Equal(content, Encoding.UTF8.GetString((await sandbox.ReadAsync(target, key))!));
            Assert.Null(await sandbox.ReadAsync(sandbox.Root, key));
        }
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task A_folder_migration_never_overwrites_a_different_folder_at_the_destination(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        foreach (var (key, content) in Run)
        {
            await sandbox.WriteAsync(sandbox.Root, key, content);
        }

        var target = await sandbox.NewRootAsync();
        await sandbox.WriteAsync(target, "genomics/run-7/notes.txt", "someone else's file");
        using var store = sandbox.Open();
        store.Register(PathUnder(sandbox.Root, "genomics/run-7"), "run-7");
        store.Storages.Add(target);

        var result = store.Storages.Migrate(sandbox.Root, target);

        Assert.Equal(0, result.Moved);
        Assert.Contains("does not overwrite", Assert.Single(result.Failures).Problem, StringComparison.Ordinal);
        Assert.Equal(sandbox.Root, store.Get("run-7").StorageRoot);
        Assert.Null(await sandbox.ReadAsync(target, Run[2].Key));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Permanently_deleting_a_registered_folder_keeps_its_files_unless_asked(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        foreach (var (key, content) in Run)
        {
            await sandbox.WriteAsync(sandbox.Root, key, content);
        }

        using var store = sandbox.Open();
        store.Register(PathUnder(sandbox.Root, "genomics/run-7"), "run-7");
        store.Register(PathUnder(sandbox.Root, "genomics/run-7"), "run-7");

        store.Delete("run-7", 1, permanent: true);
        Assert.NotNull(await sandbox.ReadAsync(sandbox.Root, Run[1].Key));

        store.Delete("run-7", 2, permanent: true, deleteInPlaceFile: true);
        foreach (var (key, _) in Run)
        {
            Assert.Null(await sandbox.ReadAsync(sandbox.Root, key));
        }
    }

    [Fact]
    public async Task A_folder_outside_every_registered_root_is_refused_with_the_way_to_register_it()
    {
        await using var sandbox = await CreateAsync(Backend.SqliteLocal, postgres, s3);
        var outside = sandbox.Environment.Home.Sub("elsewhere", "run-9");
        Directory.CreateDirectory(outside);
        await File.WriteAllTextAsync(Path.Combine(outside, "x.txt"), "x", TestContext.Current.CancellationToken);
        using var store = sandbox.Open();

        var error = Assert.Throws<StorageNotFoundException>(() => store.Register(outside, "run-9"));

        Assert.Contains("Storages.Add", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.GetDirectoryName(outside)!, error.Message, StringComparison.Ordinal);
    }
}
