using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lineage.Telemetry;

/// <summary>A store's loggers, one per category (<see cref="LineageTelemetry"/>), created once when it opens.</summary>
internal sealed class StoreLogs
{
    private static readonly StoreLogs None = new(NullLoggerFactory.Instance);

    private StoreLogs(ILoggerFactory factory)
    {
        Artifacts = factory.CreateLogger(LineageTelemetry.ArtifactsCategory);
        Storage = factory.CreateLogger(LineageTelemetry.StorageCategory);
        Metadata = factory.CreateLogger(LineageTelemetry.MetadataCategory);
    }

    public ILogger Artifacts { get; }

    public ILogger Storage { get; }

    public ILogger Metadata { get; }

    public static StoreLogs For(ILoggerFactory? factory)
    {
        if (factory is null)
        {
            return None;
        }

        try
        {
            return new StoreLogs(factory);
        }
        catch (ObjectDisposedException)
        {
            // ArtifactStore.Default may open after the host whose factory its options carry was disposed: it runs unlogged then.
            return None;
        }
    }

    /// <summary>A storage root as logs show it: the one masking rule, in case a URL root carries a credential.</summary>
    public static string Shown(string root) => Backends.UrlText.Mask(root);
}
