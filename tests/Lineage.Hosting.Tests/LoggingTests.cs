using Lineage.Tests;
using Lineage.Tests.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Lineage.Hosting.Tests;

/// <summary><c>AddLineage</c> hands the container's <see cref="ILoggerFactory"/> to the store, unless the options name one.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task The_store_logs_through_the_hosts_logging()
    {
        using var home = new TestHome();
        var hostLogs = new LogCapture();
        using var host = TestHosts.Build(services =>
        {
            services.AddLogging(logging => logging.AddProvider(hostLogs).SetMinimumLevel(LogLevel.Debug));
            services.AddLineage(o => o.Home = home.Path);
        });
        await host.StartAsync(TestContext.Current.CancellationToken);

        var store = host.Services.GetRequiredService<ArtifactStore>();
        await store.SaveAsync("hosted", new[] { 1, 2 }, TestContext.Current.CancellationToken);

        var opened = Assert.Single(hostLogs.Named("StoreOpened"));
        Assert.Equal((LineageTelemetry.MetadataCategory, LogLevel.Information), (opened.Category, opened.Level));
        Assert.Equal("Saved hosted version 1: 12 bytes to " + home.Sub("artifacts"), Assert.Single(hostLogs.Named("ArtifactSaved")).Message);
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task A_logger_factory_set_in_the_options_wins_over_the_hosts()
    {
        using var home = new TestHome();
        var hostLogs = new LogCapture();
        var ownLogs = new LogCapture();
        using var host = TestHosts.Build(services =>
        {
            services.AddLogging(logging => logging.AddProvider(hostLogs).SetMinimumLevel(LogLevel.Debug));
            services.AddLineage(o =>
            {
                o.Home = home.Path;
                o.LoggerFactory = ownLogs;
            });
        });
        await host.StartAsync(TestContext.Current.CancellationToken);

        Assert.Single(ownLogs.Named("StoreOpened"));
        Assert.DoesNotContain(hostLogs.Lines, l => l.Category.StartsWith("Lineage.", StringComparison.Ordinal));
        await host.StopAsync(TestContext.Current.CancellationToken);
    }
}
