using Lineage.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lineage.Hosting.Tests;

/// <summary>
/// <c>AddLineage(...).UseAsDefault()</c>: <see cref="ArtifactStore.Default"/> (what generated accessors use) opens on the host's location.
/// The only class in this process that touches <see cref="ArtifactStore.Default"/>, which stays open until the process ends.
/// </summary>
public sealed class DefaultStoreRuleTests
{
    [Fact]
    public async Task UseAsDefault_opens_Default_on_the_hosts_store_outliving_the_host_and_a_second_host_elsewhere_fails_at_start()
    {
        var home = new TestHome();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => home.Dispose();
        using var elsewhere = new TestHome();
        void Here(LineageOptions o) => o.Home = home.Path;

        using (var host = TestHosts.Build(services => services.AddLineage(Here).UseAsDefault()))
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
            var store = host.Services.GetRequiredService<ArtifactStore>();
            var saved = store.Save("served", "by the host");

            Assert.NotSame(store, ArtifactStore.Default);
            Assert.Equal(store.Options.DatabaseUrl, ArtifactStore.Default.Options.DatabaseUrl);
            Assert.Equal("by the host", ArtifactStore.Default.Load<string>("served"));
            Assert.Equal(saved, ArtifactStore.Default.Get("served"));

            // A second host on the same location shares Default.
            using var twin = TestHosts.Build(services => services.AddLineage(Here).UseAsDefault());
            await twin.StartAsync(TestContext.Current.CancellationToken);
            await twin.StopAsync(TestContext.Current.CancellationToken);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        // The container disposed its store; Default is the process's and goes on.
        Assert.Equal("by the host", ArtifactStore.Default.Load<string>("served"));

        using var other = TestHosts.Build(services => services.AddLineage(o => o.Home = elsewhere.Path).UseAsDefault());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => other.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains(home.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains(elsewhere.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("A process has one ArtifactStore.Default", error.Message, StringComparison.Ordinal);

        // Without UseAsDefault a host elsewhere is fine: it only has its own store.
        using var plain = TestHosts.Build(services => services.AddLineage(o => o.Home = elsewhere.Path));
        await plain.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(home.Path, ArtifactStore.Default.Options.Home);
        await plain.StopAsync(TestContext.Current.CancellationToken);
    }
}
