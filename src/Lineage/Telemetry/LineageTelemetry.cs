namespace Lineage;

/// <summary>
/// The names Lineage reports under, for a host to subscribe to: its <see cref="System.Diagnostics.ActivitySource"/>, its
/// <see cref="System.Diagnostics.Metrics.Meter"/> and its logging categories (see docs/hosting.md for every span, instrument and event).
/// </summary>
/// <example>
/// <code>
/// services.AddOpenTelemetry()
///     .WithTracing(t => t.AddSource(LineageTelemetry.ActivitySourceName))
///     .WithMetrics(m => m.AddMeter(LineageTelemetry.MeterName));
/// </code>
/// </example>
public static class LineageTelemetry
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> of the spans <c>lineage.save</c>, <c>lineage.load</c>, <c>lineage.get_or_compute</c> and <c>lineage.migrate</c>.</summary>
    public const string ActivitySourceName = "Lineage";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> of the <c>lineage.*</c> counters and histograms.</summary>
    public const string MeterName = "Lineage";

    /// <summary>Logging category of saves, loads and <c>GetOrCompute</c> cache hits and misses (Debug), and of failed saves cleaned up later (Warning).</summary>
    public const string ArtifactsCategory = "Lineage.Artifacts";

    /// <summary>Logging category of storage roots claimed, migrations and gc (Information), and of storage problems worked around (Warning).</summary>
    public const string StorageCategory = "Lineage.Storage";

    /// <summary>Logging category of the metadata database: the store opened, schema migrations applied (Information), runs left unfinished (Warning).</summary>
    public const string MetadataCategory = "Lineage.Metadata";
}
