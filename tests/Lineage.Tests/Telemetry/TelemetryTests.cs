using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Lineage.Tests.Telemetry;

/// <summary>
/// Spans of <c>ActivitySource("Lineage")</c> and measurements of <c>Meter("Lineage")</c>, seen through the listeners a telemetry SDK
/// uses. The listeners are process-wide: these tests run alone (<see cref="TelemetryListeners"/>) so no other test's store adds to what they count.
/// </summary>
[Collection(nameof(TelemetryListeners))]
public sealed class TelemetryTests
{
    private static readonly ArtifactCode Code = new("code-otel-1", "static int[] Double(int[] data) => data.Select(x => x * 2).ToArray();");

    [Fact]
    public async Task Save_load_and_GetOrCompute_emit_spans_with_artifact_name_version_size_and_cache_hit()
    {
        using var home = new TestHome();
        using var spans = new SpanCapture();
        await using var store = await ArtifactStore.OpenAsync(home.Options(), TestContext.Current.CancellationToken);
        var data = new[] { 1, 2, 3 };
        Activity? insideCompute = null;

        var saved = store.Save("otel-data", data);
        store.Load<int[]>("otel-data");
        int[] Compute()
        {
            insideCompute = Activity.Current;
            return [.. data.Select(x => x * 2)];
        }

        using (var inputs = new InputHasher().Add(data))
        {
            store.GetOrCompute("otel-doubled", Code, inputs, Compute);
        }

        using (var inputs = new InputHasher().Add(data))
        {
            store.GetOrCompute("otel-doubled", Code, inputs, Compute);
        }

        var save = spans.Single("lineage.save", "otel-data");
        Assert.Equal(ActivityKind.Internal, save.Kind);
        Assert.Equal(ActivityStatusCode.Unset, save.Status);
        Assert.Equal(1, save.GetTagItem("lineage.artifact.version"));
        Assert.Equal(saved.Size, save.GetTagItem("lineage.artifact.size"));
        Assert.Equal(home.Sub("artifacts"), save.GetTagItem("lineage.storage.root"));
        var load = spans.Single("lineage.load", "otel-data");
        Assert.Equal((1, saved.Size), (load.GetTagItem("lineage.artifact.version"), load.GetTagItem("lineage.artifact.size")));

        var lookups = spans.Named("lineage.get_or_compute", "otel-doubled");
        Assert.Equal(2, lookups.Count);
        var (miss, hit) = (lookups[0], lookups[1]);
        Assert.Equal(false, miss.GetTagItem("lineage.cache.hit"));
        Assert.Equal(true, hit.GetTagItem("lineage.cache.hit"));
        Assert.Equal("code-otel-1", hit.GetTagItem("lineage.code.version"));
        Assert.Equal(1, hit.GetTagItem("lineage.artifact.version"));
        // A miss computes inside its span and saves as a child of it; a hit loads as a child of it.
        Assert.Same(miss, insideCompute);
        Assert.Equal(miss.SpanId, spans.Single("lineage.save", "otel-doubled").ParentSpanId);
        Assert.Equal(hit.SpanId, spans.Single("lineage.load", "otel-doubled").ParentSpanId);
    }

    [Fact]
    public async Task A_failed_load_marks_its_span_as_an_error_with_the_exception_type()
    {
        using var home = new TestHome();
        using var spans = new SpanCapture();
        await using var store = await ArtifactStore.OpenAsync(home.Options(), TestContext.Current.CancellationToken);

        Assert.Throws<ArtifactNotFoundException>(() => store.Load<int[]>("otel-missing"));

        var load = spans.Single("lineage.load", "otel-missing");
        Assert.Equal(ActivityStatusCode.Error, load.Status);
        Assert.Equal("No artifact named 'otel-missing' in " + store.Options.MaskedDatabaseUrl + ".", load.StatusDescription);
        Assert.Equal(typeof(ArtifactNotFoundException).FullName, load.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Instruments_count_bytes_and_cache_lookups_and_time_each_operation_in_seconds()
    {
        using var home = new TestHome();
        using var meters = new MeasurementCapture();
        await using var store = await ArtifactStore.OpenAsync(home.Options(), TestContext.Current.CancellationToken);
        var data = Enumerable.Range(0, 1000).ToArray();

        var saved = store.Save("otel-metrics", data);
        store.Load<int[]>("otel-metrics");
        store.Load<int[]>("otel-metrics");
        ArtifactRecord? computed = null;
        for (var i = 0; i < 3; i++)
        {
            using var inputs = new InputHasher().Add(data);
            store.GetOrCompute("otel-metrics-sum", Code, inputs, () => new[] { data.Sum() });
            computed ??= store.Get("otel-metrics-sum");
        }

        Assert.Equal(saved.Size + computed!.Size, meters.Sum("lineage.bytes_written"));
        Assert.Equal((2 * saved.Size) + (2 * computed.Size), meters.Sum("lineage.bytes_read"));
        Assert.Equal(2, meters.Sum("lineage.cache.hits"));
        Assert.Equal(1, meters.Sum("lineage.cache.misses"));
        Assert.Equal(2, meters.Count("lineage.save.duration"));
        Assert.Equal(4, meters.Count("lineage.load.duration"));
        Assert.Equal(new object?[] { false, true, true }, meters.Of("lineage.get_or_compute.duration").Select(m => m.Tags["lineage.cache.hit"]));
        Assert.All(meters.Of("lineage.save.duration"), m => Assert.InRange(m.Value, 0, 60));
        Assert.Equal(
            new Dictionary<string, string?> { ["lineage.bytes_written"] = "By", ["lineage.save.duration"] = "s", ["lineage.cache.hits"] = "{lookup}" },
            new[] { "lineage.bytes_written", "lineage.save.duration", "lineage.cache.hits" }.ToDictionary(n => n, n => meters.Of(n)[0].Unit));
    }

    [Fact]
    public async Task Migrate_emits_a_span_with_source_destination_and_what_moved()
    {
        using var home = new TestHome();
        using var spans = new SpanCapture();
        using var meters = new MeasurementCapture();
        await using var store = await ArtifactStore.OpenAsync(home.Options(), TestContext.Current.CancellationToken);
        var a = store.Save("otel-move-a", new[] { 1 });
        var b = store.Save("otel-move-b", new[] { 2, 3 });

        store.Storages.Migrate(home.Sub("artifacts"), home.Sub("moved"), new MigrationOptions { RegisterDestination = true });

        var migrate = Assert.Single(spans.All, s => s.OperationName == "lineage.migrate" && Equals(s.GetTagItem("lineage.migration.dry_run"), false));
        Assert.Equal(home.Sub("artifacts"), migrate.GetTagItem("lineage.migration.source"));
        Assert.Equal(home.Sub("moved"), migrate.GetTagItem("lineage.migration.destination"));
        Assert.Equal((2, 2, a.Size + b.Size, 0), (
            migrate.GetTagItem("lineage.migration.artifacts"), migrate.GetTagItem("lineage.migration.moved"),
            migrate.GetTagItem("lineage.migration.bytes_copied"), migrate.GetTagItem("lineage.migration.failed")));
        Assert.Equal(1, meters.Count("lineage.migrate.duration"));
    }

    [Fact]
    public async Task Without_a_listener_no_span_is_started_and_no_instrument_is_enabled()
    {
        using var home = new TestHome();
        await using var store = await ArtifactStore.OpenAsync(home.Options(), TestContext.Current.CancellationToken);
        var data = new[] { 4, 5 };
        Activity? insideCompute = null;
        var probe = new Activity("probe").Start();
        try
        {
            using var inputs = new InputHasher().Add(data);
            store.GetOrCompute("otel-quiet", Code, inputs, () =>
            {
                insideCompute = Activity.Current;
                return data;
            });
        }
        finally
        {
            probe.Stop();
        }

        // The computation ran under the caller's activity: GetOrCompute started none of its own, and nothing measured it.
        Assert.Same(probe, insideCompute);
        Assert.False(Lineage.Telemetry.Instruments.Source.HasListeners());
        Assert.False(Lineage.Telemetry.Instruments.GetOrComputeDuration.Enabled);
        Assert.False(Lineage.Telemetry.Instruments.CacheMisses.Enabled);
    }

    /// <summary>Every span of the "Lineage" source, sampled and recorded, kept when it stops.</summary>
    private sealed class SpanCapture : IDisposable
    {
        private readonly ConcurrentQueue<Activity> _stopped = new();
        private readonly ActivityListener _listener;

        public SpanCapture()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == LineageTelemetry.ActivitySourceName,
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = _stopped.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public IReadOnlyList<Activity> All => [.. _stopped];

        public IReadOnlyList<Activity> Named(string operation, string artifact) =>
            [.. _stopped.Where(a => a.OperationName == operation && Equals(a.GetTagItem("lineage.artifact.name"), artifact)).OrderBy(a => a.StartTimeUtc)];

        public Activity Single(string operation, string artifact) => Assert.Single(Named(operation, artifact));

        public void Dispose() => _listener.Dispose();
    }

    private sealed record Measurement(string Instrument, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags);

    /// <summary>Every measurement of the "Lineage" meter's instruments.</summary>
    private sealed class MeasurementCapture : IDisposable
    {
        private readonly ConcurrentQueue<Measurement> _measurements = new();
        private readonly MeterListener _listener = new();

        public MeasurementCapture()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == LineageTelemetry.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        public IReadOnlyList<Measurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument)];

        public double Sum(string instrument) => Of(instrument).Sum(m => m.Value);

        public int Count(string instrument) => Of(instrument).Count;

        public void Dispose() => _listener.Dispose();

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (key, tag) in tags)
            {
                copy[key] = tag;
            }

            _measurements.Enqueue(new Measurement(instrument.Name, instrument.Unit, value, copy));
        }
    }
}

/// <summary>Tests whose listeners see every store in the process run alone.</summary>
[CollectionDefinition(nameof(TelemetryListeners), DisableParallelization = true)]
public sealed class TelemetryListeners;
