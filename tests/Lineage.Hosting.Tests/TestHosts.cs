using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Lineage.Hosting.Tests;

/// <summary>Hosts built from nothing but what a test gives them: no appsettings, no environment configuration.</summary>
internal static class TestHosts
{
    public static IHost Build(Action<IServiceCollection> services, IConfiguration? configuration = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
        }

        services(builder.Services);
        return builder.Build();
    }

    /// <summary>Runs the checks tagged <c>ready</c>, as a readiness endpoint filtered on the tag would.</summary>
    public static Task<HealthReport> ReadinessAsync(this IHost host) =>
        host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(check => check.Tags.Contains("ready"), TestContext.Current.CancellationToken);
}
