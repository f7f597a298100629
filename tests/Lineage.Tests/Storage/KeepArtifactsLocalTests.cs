using Lineage.Tests.Servers;
using static Lineage.Tests.Storage.StorageSandbox;

namespace Lineage.Tests.Storage;

/// <summary>
/// "If you don't want to store data in the cloud, you can use local storage locations: Keep artifacts local in a cloud instance"
/// and "Or if you're operating in keep-artifacts-local mode: ln.settings.local_storage = "/dir/our-other-shared-dir"".
/// </summary>
public sealed class KeepArtifactsLocalTests(PostgresServer postgres, S3Server s3)
{
    public static TheoryData<Backend> Required => StorageSandbox.Required;

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Keep_artifacts_local_in_a_cloud_instance(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var local = sandbox.LocalRoot("on-premises");
        using var store = sandbox.Open(localStorage: local);

        var alpha = store.Save("alpha", "first");
        var beta = store.Save("beta", "second");

        Assert.Equal(local, store.Storages.Local?.Root);
        Assert.Equal(local, store.Options.LocalStorageDir);
        Assert.Equal(sandbox.Root, store.Storages.Default.Root);
        Assert.Equal((local, HostA), (alpha.StorageRoot, alpha.StorageHost));
        Assert.Equal(local, beta.StorageRoot);
        Assert.NotNull(await sandbox.ReadAsync(local, alpha.Key));
        Assert.Null(await sandbox.ReadAsync(sandbox.Root, alpha.Key));
        Assert.Equal("first", store.Load<string>("alpha"));

        var uploaded = store.Storages.Upload("alpha", 1);

        Assert.Equal(sandbox.Root, uploaded.StorageRoot);
        Assert.Equal((alpha.Uid, alpha.Key, alpha.Hash, alpha.Size), (uploaded.Uid, uploaded.Key, uploaded.Hash, uploaded.Size));
        Assert.Equal(sandbox.Root, store.Get("alpha").StorageRoot);
        Assert.Null(await sandbox.ReadAsync(local, alpha.Key));
        Assert.Equal(alpha.Hash, Sha256((await sandbox.ReadAsync(sandbox.Root, alpha.Key))!));
        Assert.Equal("first", store.Load<string>("alpha"));
        Assert.Equal(sandbox.Root, store.Storages.Upload("alpha", 1).StorageRoot);

        var all = store.Storages.UploadAll();

        Assert.Equal((local, sandbox.Root, 1, 1), (all.From, all.To, all.Artifacts, all.Moved));
        Assert.Empty(all.Failures);
        Assert.Equal(sandbox.Root, store.Get("beta").StorageRoot);
        Assert.Equal("second", store.Load<string>("beta"));
        Assert.Equal(["storage.json"], await sandbox.LineageEntriesAsync(local));
        Assert.Equal(local, store.Save("gamma", "third").StorageRoot);
        Assert.Contains("local storage location", Assert.Throws<LineageException>(() => store.Storages.Delete(local)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Keep_artifacts_local_is_switched_on_and_off_with_SetLocal(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var local = sandbox.LocalRoot("workstation");
        var cloud = await sandbox.S3RootAsync();
        using var store = sandbox.Open();
        Assert.Throws<StorageNotFoundException>(() => store.Storages.SetLocal(local));
        Assert.Throws<InvalidOperationException>(() => store.Storages.UploadAll());
        store.Storages.Add(local);
        store.Storages.Add(cloud);

        store.Storages.SetLocal(local);
        var kept = store.Save("x", 1);
        store.Storages.SetLocal(null);
        var direct = store.Save("x", 2);

        Assert.Equal(local, kept.StorageRoot);
        Assert.Equal(sandbox.Root, direct.StorageRoot);
        Assert.Null(store.Storages.Local);
        Assert.Equal(sandbox.Root, store.Storages.Upload("x", 1).StorageRoot);
        Assert.Equal([1, 2], store.Versions("x").Select(v => store.Load<int>("x", v.Version)));
        Assert.Throws<LineageConfigurationException>(() => store.Storages.SetLocal(cloud));
        Assert.Throws<LineageConfigurationException>(() => sandbox.Open(localStorage: cloud));
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task The_local_storage_and_host_settings_come_from_the_config_file(Backend backend)
    {
        if (Environment.GetEnvironmentVariable("LINEAGE_LOCAL_STORAGE") is not null || Environment.GetEnvironmentVariable("LINEAGE_HOST") is not null)
        {
            Assert.Skip("LINEAGE_LOCAL_STORAGE or LINEAGE_HOST is set in this environment and outranks the config file.");
        }

        await using var sandbox = await CreateAsync(backend, postgres, s3);
        await File.WriteAllTextAsync(
            sandbox.Environment.Home.Sub("config.json"), """{ "local_storage": "./on-premises", "host": "cluster-node-7" }""", TestContext.Current.CancellationToken);
        var expected = sandbox.Environment.Home.Sub("on-premises");
        using var store = sandbox.Open(host: null);

        var saved = store.Save("x", 1);

        Assert.Equal((expected, SettingSource.UserConfig), (store.Options.LocalStorageDir, store.Options.LocalStorageSource));
        Assert.Equal(("cluster-node-7", SettingSource.UserConfig), (store.Options.Host, store.Options.HostSource));
        Assert.Equal((expected, "cluster-node-7"), (saved.StorageRoot, saved.StorageHost));
        Assert.Equal((expected, "cluster-node-7"), (store.Storages.Local?.Root, store.Storages.Local?.Host));
        Assert.Equal(sandbox.Root, store.Storages.Upload("x", 1).StorageRoot);
    }

    [Theory]
    [MemberData(nameof(Required))]
    public async Task Uploading_a_value_that_changed_on_disk_fails_and_leaves_the_artifact_local(Backend backend)
    {
        await using var sandbox = await CreateAsync(backend, postgres, s3);
        var local = sandbox.LocalRoot("on-premises");
        using var store = sandbox.Open(localStorage: local);
        var saved = store.Save("x", new byte[] { 1, 2, 3, 4 });
        await sandbox.WriteAsync(local, saved.Key, [9, 9, 9, 9]);

        var error = Assert.Throws<LineageException>(() => store.Storages.Upload("x", 1));

        Assert.Contains("'x' version 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(local, store.Get("x").StorageRoot);
        Assert.Equal([9, 9, 9, 9], await sandbox.ReadAsync(local, saved.Key));
        Assert.Null(await sandbox.ReadAsync(sandbox.Root, saved.Key));
    }
}
