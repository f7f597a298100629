using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Lineage.Telemetry;

/// <summary>
/// Lineage's one activity source and one meter with their instruments. Names follow OpenTelemetry's semantic conventions: dotted
/// lowercase, durations in seconds, sizes in bytes. With nobody listening, StartActivity returns null and every instrument is disabled.
/// </summary>
internal static class Instruments
{
    private static readonly string? Version = typeof(Instruments).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(LineageTelemetry.ActivitySourceName, Version);

    public static readonly Meter Meter = new(LineageTelemetry.MeterName, Version);

    public static readonly Counter<long> BytesWritten = Meter.CreateCounter<long>(
        "lineage.bytes_written", "By", "Bytes of values written by saves.");

    public static readonly Counter<long> BytesRead = Meter.CreateCounter<long>(
        "lineage.bytes_read", "By", "Bytes of values loaded (the recorded size of each value loaded).");

    public static readonly Counter<long> CacheHits = Meter.CreateCounter<long>(
        "lineage.cache.hits", "{lookup}", "GetOrCompute calls answered by a stored version.");

    public static readonly Counter<long> CacheMisses = Meter.CreateCounter<long>(
        "lineage.cache.misses", "{lookup}", "GetOrCompute calls that had to compute and save.");

    public static readonly Histogram<double> SaveDuration = Duration("lineage.save.duration", "Duration of saves, from the call to the recorded version.");

    public static readonly Histogram<double> LoadDuration = Duration("lineage.load.duration", "Duration of loads, from the call to the deserialized value.");

    public static readonly Histogram<double> GetOrComputeDuration = Duration("lineage.get_or_compute.duration", "Duration of GetOrCompute calls, the computation included on a miss.");

    public static readonly Histogram<double> MigrateDuration = Duration("lineage.migrate.duration", "Duration of storage migrations and uploads.");

    private static Histogram<double> Duration(string name, string description) =>
        Meter.CreateHistogram(name, "s", description, tags: null, new InstrumentAdvice<double>
        {
            // Seconds, from a small local value to a model copied over the network: the SDK's default buckets are for milliseconds.
            HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
        });

    /// <summary>The seconds since <paramref name="started"/>, a <see cref="Stopwatch.GetTimestamp"/>.</summary>
    public static double SecondsSince(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;

    /// <summary>Marks a span failed: <c>error.type</c> is the exception's type; only Lineage's own messages, which mask secrets, become its description.</summary>
    public static void Fail(Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, error is LineageException ? error.Message : null);
        activity.SetTag(Attributes.ErrorType, error.GetType().FullName);
    }

    /// <summary>The <c>error.type</c> tag of a failed operation's duration.</summary>
    public static KeyValuePair<string, object?> ErrorTag(Exception error) => new(Attributes.ErrorType, error.GetType().FullName);
}

/// <summary>Span names.</summary>
internal static class Spans
{
    public const string Save = "lineage.save";
    public const string Load = "lineage.load";
    public const string GetOrCompute = "lineage.get_or_compute";
    public const string Migrate = "lineage.migrate";
}

/// <summary>Attribute names on spans and measurements.</summary>
internal static class Attributes
{
    public const string ArtifactName = "lineage.artifact.name";
    public const string ArtifactVersion = "lineage.artifact.version";
    public const string ArtifactSize = "lineage.artifact.size";
    public const string CacheHit = "lineage.cache.hit";
    public const string CodeVersion = "lineage.code.version";
    public const string StorageRoot = "lineage.storage.root";
    public const string MigrationSource = "lineage.migration.source";
    public const string MigrationDestination = "lineage.migration.destination";
    public const string MigrationArtifacts = "lineage.migration.artifacts";
    public const string MigrationMoved = "lineage.migration.moved";
    public const string MigrationBytesCopied = "lineage.migration.bytes_copied";
    public const string MigrationFailed = "lineage.migration.failed";
    public const string MigrationDryRun = "lineage.migration.dry_run";
    public const string ErrorType = "error.type";
}
