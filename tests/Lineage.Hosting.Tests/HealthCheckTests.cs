using Lineage.Testing;
using Lineage.Tests;
using Lineage.Tests.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Lineage.Hosting.Tests;

/// <summary><c>services.AddHealthChecks().AddLineage()</c>: the database answers, the default root allows what the host needs.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task On_SQLite_and_a_local_root_the_readiness_check_is_healthy_and_names_the_store()
    {
        using var home = new TestHome();
        using var host = TestHosts.Build(services =>
        {
            services.AddLineage(o => o.Home = home.Path);
            services.AddHealthChecks().AddLineage();
        });
        await host.StartAsync(TestContext.Current.CancellationToken);

        var report = await host.ReadinessAsync();

        var entry = Assert.Single(report.Entries);
        Assert.Equal("lineage", entry.Key);
        Assert.Equal(HealthStatus.Healthy, entry.Value.Status);
        Assert.Equal(["lineage", "ready"], entry.Value.Tags);
        Assert.Contains(home.Sub("artifacts"), entry.Value.Description, StringComparison.Ordinal);
        Assert.Equal(true, entry.Value.Data["writable"]);
        // The write probe cleans up after itself.
        Assert.Equal([Path.Combine(home.Sub("artifacts"), ".lineage", "storage.json")], Directory.GetFiles(Path.Combine(home.Sub("artifacts"), ".lineage")));
    }

    [Fact]
    public async Task A_root_another_instance_owns_is_unhealthy_for_writing_and_healthy_when_read_only_is_expected()
    {
        using var home = new TestHome();
        using (home.Open(databaseUrl: "sqlite:///" + home.Sub("owner.sqlite")))
        {
        }

        using var host = TestHosts.Build(services =>
        {
            services.AddLineage(o =>
            {
                o.Home = home.Path;
                o.DatabaseUrl = "sqlite:///" + home.Sub("reader.sqlite");
            });
            services.AddHealthChecks()
                .AddLineage("lineage-write")
                .AddLineage("lineage-read", LineageStorageAccess.ReadOnly);
        });
        await host.StartAsync(TestContext.Current.CancellationToken);

        var report = await host.ReadinessAsync();

        var write = report.Entries["lineage-write"];
        Assert.Equal(HealthStatus.Unhealthy, write.Status);
        Assert.Contains($"Lineage storage root {home.Sub("artifacts")} is not writable", write.Description, StringComparison.Ordinal);
        Assert.Contains("owner.sqlite", write.Description, StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Healthy, report.Entries["lineage-read"].Status);
    }
}

/// <summary>The health check while PostgreSQL goes down and comes back, on a cluster of this class's own.</summary>
public sealed class PostgresHealthCheckTests : IAsyncLifetime
{
    private PostgresCluster? _cluster;
    private string? _failure;

    public async ValueTask InitializeAsync()
    {
        try
        {
            _cluster = await PostgresCluster.StartAsync();
        }
        catch (InvalidOperationException e)
        {
            _failure = e.Message;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stopped_PostgreSQL_is_unhealthy_with_the_masked_URL_and_no_password_then_healthy_once_it_is_back()
    {
        if (_cluster is null)
        {
            ServerProcess.Unavailable("PostgreSQL", _failure ?? "unknown reason");
            return;
        }

        using var home = new TestHome();
        using var host = TestHosts.Build(services =>
        {
            services.AddLineage(o =>
            {
                o.Home = home.Path;
                o.DatabaseUrl = _cluster.AdminUrl;
            });
            services.AddHealthChecks().AddLineage();
        });
        await host.StartAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HealthStatus.Healthy, (await host.ReadinessAsync()).Status);

        await _cluster.StopAsync("fast");
        HealthReport down;
        try
        {
            down = await host.ReadinessAsync();
        }
        finally
        {
            await _cluster.RestartAsync();
        }

        var entry = down.Entries["lineage"];
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        var masked = _cluster.AdminUrl.Replace(PostgresCluster.Password, "***", StringComparison.Ordinal);
        Assert.StartsWith($"Lineage database {masked} does not answer: ", entry.Description, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresCluster.Password, entry.Description, StringComparison.Ordinal);
        Assert.Equal(masked, entry.Data["database"]);
        Assert.DoesNotContain(PostgresCluster.Password, entry.Exception?.ToString() ?? string.Empty, StringComparison.Ordinal);

        Assert.Equal(HealthStatus.Healthy, (await host.ReadinessAsync()).Status);
    }
}
