using Lineage.Tests.Servers;

namespace Lineage.Tests.Backends;

public sealed class BackendSmokeTests(PostgresServer postgres, S3Server s3)
{
    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Save_twice_then_load_latest_and_first(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var first = await store.SaveAsync("numbers", new[] { 1, 2, 3 }, TestContext.Current.CancellationToken);
        var second = await store.SaveAsync("numbers", new[] { 4, 5 }, TestContext.Current.CancellationToken);

        Assert.Equal((1, 2), (first.Version, second.Version));
        Assert.Equal(new[] { 4, 5 }, await store.LoadAsync<int[]>("numbers", cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(new[] { 1, 2, 3 }, await store.LoadAsync<int[]>("numbers", 1, TestContext.Current.CancellationToken));
        Assert.Equal(environment.Root, second.StorageRoot);
        Assert.NotNull(await environment.ReadValueAsync(second));
    }
}
