using Lineage.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Lineage;

/// <summary>Registers an <see cref="ArtifactStore"/> in a .NET host's service container.</summary>
public static class LineageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="ArtifactStore"/> as a singleton, with its <see cref="LineageOptions"/> bound from
    /// <paramref name="configuration"/> (usually <c>configuration.GetSection("Lineage")</c>): <c>DatabaseUrl</c>,
    /// <c>ArtifactStorageDir</c>, <c>StorageOptions:endpoint_url</c>, ... — the property names of <see cref="LineageOptions"/>.
    /// What the section leaves out resolves as for <see cref="ArtifactStore.Open"/>: environment, project configuration,
    /// user config file, defaults. A key that is not a <see cref="LineageOptions"/> property fails the host at start.
    /// </summary>
    /// <remarks>
    /// The options are validated when the host starts, by the store's own resolution (the same messages as
    /// <see cref="ArtifactStore.Open"/>), and the store opens at host start; the container disposes it. The store logs through
    /// the container's <see cref="ILoggerFactory"/> unless <see cref="LineageOptions.LoggerFactory"/> is set.
    /// </remarks>
    public static LineageBuilder AddLineage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<LineageOptions>().Bind(configuration, binder => binder.ErrorOnUnknownConfiguration = true);
        return AddLineageCore(services);
    }

    /// <summary>Registers the <see cref="ArtifactStore"/> as a singleton, with its <see cref="LineageOptions"/> set by <paramref name="configure"/>.</summary>
    /// <inheritdoc cref="AddLineage(IServiceCollection, IConfiguration)" path="/remarks"/>
    public static LineageBuilder AddLineage(this IServiceCollection services, Action<LineageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<LineageOptions>().Configure(configure);
        return AddLineageCore(services);
    }

    /// <summary>Registers the <see cref="ArtifactStore"/> as a singleton, resolved like <c>ArtifactStore.Open()</c>: from the environment, config files and defaults.</summary>
    /// <inheritdoc cref="AddLineage(IServiceCollection, IConfiguration)" path="/remarks"/>
    public static LineageBuilder AddLineage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<LineageOptions>();
        return AddLineageCore(services);
    }

    private static LineageBuilder AddLineageCore(IServiceCollection services)
    {
        // The host's logging reaches the store unless the options name a factory of their own.
        services.AddOptions<LineageOptions>()
            .PostConfigure<IServiceProvider>((options, provider) => options.LoggerFactory ??= provider.GetService<ILoggerFactory>())
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LineageOptions>, StoreOptionsValidation>());
        // The one place the host's store is built: whatever the host contributes reaches it through IOptions<LineageOptions>.
        services.TryAddSingleton(provider => ArtifactStore.Open(provider.GetRequiredService<IOptions<LineageOptions>>().Value));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StoreStartup>());
        return new LineageBuilder(services);
    }
}
