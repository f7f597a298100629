using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

public sealed class DeleteAndRestoreTests(PostgresServer postgres, S3Server s3)
{
    private static ArtifactStore OpenWithThreeVersions(BackendEnvironment environment)
    {
        var store = environment.Open();
        store.Save("model", "v1");
        store.Save("model", "v2");
        store.Save("model", "v3");
        return store;
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Soft_deleting_a_middle_version_leaves_the_others_loadable(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);

        store.Delete("model", 2);

        Assert.Equal("v1", store.Load<string>("model", 1));
        Assert.Equal("v3", store.Load<string>("model", 3));
        Assert.Equal("v3", store.Load<string>("model"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Soft_deleted_version_is_hidden_from_Versions(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);

        store.Delete("model", 2);

        Assert.Equal([1, 3], store.Versions("model").Select(r => r.Version));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Soft_deleting_the_latest_version_makes_List_and_Load_fall_back_to_the_previous_one(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);

        store.Delete("model", 3);

        Assert.Equal(2, Assert.Single(store.List()).Version);
        Assert.Equal("v2", store.Load<string>("model"));
        Assert.Equal(2, store.Get("model").Version);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Get_and_Load_of_a_soft_deleted_version_throw_not_found_mentioning_the_trash(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);
        store.Delete("model", 2);

        var get = Assert.Throws<ArtifactNotFoundException>(() => store.Get("model", 2));
        var load = Assert.Throws<ArtifactNotFoundException>(() => store.Load<string>("model", 2));

        foreach (var error in new[] { get, load })
        {
            Assert.Equal("model", error.Name);
            Assert.Equal(2, error.Version);
            Assert.Contains("trash", error.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Restore", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Soft_delete_keeps_the_value_file(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);
        var record = store.Get("model", 2);
        var stored = await environment.StoredValueAsync(record);

        store.Delete("model", 2);

        Assert.Equal(stored, await environment.ReadValueAsync(record));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Restore_brings_a_soft_deleted_version_back(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);
        var original = store.Get("model", 2);
        store.Delete("model", 2);

        store.Restore("model", 2);

        Assert.Equal("v2", store.Load<string>("model", 2));
        Assert.Equal([1, 2, 3], store.Versions("model").Select(r => r.Version));
        Assert.Equal(original, store.Get("model", 2));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Restore_of_a_live_version_changes_nothing(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);

        store.Restore("model", 3);

        Assert.Equal([1, 2, 3], store.Versions("model").Select(r => r.Version));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Permanent_delete_removes_the_value_file_and_the_row(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);
        var record = store.Get("model", 2);

        store.Delete("model", 2, permanent: true);

        Assert.Null(await environment.ReadValueAsync(record));
        Assert.Equal(2, await environment.ArtifactRowCountAsync());
        var error = Assert.Throws<ArtifactNotFoundException>(() => store.Get("model", 2));
        Assert.DoesNotContain("trash", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([1, 3], store.Versions("model").Select(r => r.Version));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Restore_after_a_permanent_delete_throws_not_found(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);
        store.Delete("model", 2);
        store.Delete("model", 2, permanent: true);

        var error = Assert.Throws<ArtifactNotFoundException>(() => store.Restore("model", 2));

        Assert.Equal(2, error.Version);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Versions_are_never_reused_after_permanently_deleting_the_latest(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);

        store.Delete("model", 3, permanent: true);
        var next = store.Save("model", "v4");

        Assert.Equal(4, next.Version);
        Assert.Equal([1, 2, 4], store.Versions("model").Select(r => r.Version));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Versions_are_never_reused_after_permanently_deleting_every_version(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);
        for (var v = 1; v <= 3; v++)
        {
            store.Delete("model", v, permanent: true);
        }

        Assert.Throws<ArtifactNotFoundException>(() => store.Load<string>("model"));
        Assert.Equal(4, store.Save("model", "again").Version);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Soft_deleting_every_version_makes_Load_and_Versions_say_they_are_in_the_trash(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);
        for (var v = 1; v <= 3; v++)
        {
            store.Delete("model", v);
        }

        var load = Assert.Throws<ArtifactNotFoundException>(() => store.Load<string>("model"));
        var versions = Assert.Throws<ArtifactNotFoundException>(() => store.Versions("model"));

        Assert.Contains("3 version(s) are in the trash", load.Message, StringComparison.Ordinal);
        Assert.Contains("trash", versions.Message, StringComparison.Ordinal);
        Assert.Empty(store.List());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Delete_of_a_missing_version_throws_not_found(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);

        var error = Assert.Throws<ArtifactNotFoundException>(() => store.Delete("model", 9));

        Assert.Equal(9, error.Version);
        Assert.Equal([1, 2, 3], store.Versions("model").Select(r => r.Version));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task DeleteAsync_and_RestoreAsync_move_a_version_to_the_trash_and_back(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = OpenWithThreeVersions(environment);

        await store.DeleteAsync("model", 1, cancellationToken: ct);
        Assert.Equal([2, 3], (await store.VersionsAsync("model", ct)).Select(r => r.Version));

        await store.RestoreAsync("model", 1, ct);
        Assert.Equal("v1", await store.LoadAsync<string>("model", 1, ct));

        await store.DeleteAsync("model", 1, permanent: true, ct);
        await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.RestoreAsync("model", 1, ct));
    }
}
