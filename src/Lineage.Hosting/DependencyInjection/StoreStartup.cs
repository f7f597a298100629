using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Lineage.DependencyInjection;

/// <summary>
/// Opens the container's store when the host starts: a database that cannot be reached, a refused login or an unusable root
/// fails the host with the store's own message before it serves anything, and schema migrations run before the first request.
/// </summary>
internal sealed class StoreStartup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<ArtifactStore>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
