using Lineage.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Lineage;

/// <summary>What <c>services.AddLineage(...)</c> returns: more about the host's <see cref="ArtifactStore"/>.</summary>
public sealed class LineageBuilder
{
    internal LineageBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection the store is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Makes <see cref="ArtifactStore.Default"/> — what generated accessors such as <c>Artifacts.X.Load()</c> use when no store
    /// is passed — open on this host's database and storage root. At host start the host hands its <see cref="LineageOptions"/>
    /// to <see cref="ArtifactStore.ConfigureDefault"/>; <see cref="ArtifactStore.Default"/> stays a store of its own (process-wide,
    /// never disposed) over the same location, so it outlives the container's store.
    /// </summary>
    /// <remarks>
    /// A process has one <see cref="ArtifactStore.Default"/>. The first host that starts with <c>UseAsDefault()</c> claims it
    /// for the life of the process; another host (or code that opened <see cref="ArtifactStore.Default"/> before the host started)
    /// on a different database or root fails the host at start, naming both. Hosts on the same location share it.
    /// </remarks>
    public LineageBuilder UseAsDefault()
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DefaultStoreClaim>());
        return this;
    }
}
