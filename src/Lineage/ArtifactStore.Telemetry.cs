using System.Diagnostics;
using Lineage.Telemetry;
using Microsoft.Extensions.Logging;

namespace Lineage;

/// <summary>
/// Spans, measurements and Debug events of saves, loads and GetOrCompute. Each operation takes its observed path only while someone
/// listens (an <see cref="ActivityListener"/> on the source, an enabled instrument, a logger at Debug): otherwise it runs as if none
/// of this existed, allocating nothing for it.
/// </summary>
public sealed partial class ArtifactStore
{
    /// <summary>This store's loggers, from <see cref="LineageOptions.LoggerFactory"/>.</summary>
    internal StoreLogs Logs { get; }

    private bool IsSaveObserved =>
        Instruments.Source.HasListeners() || Instruments.SaveDuration.Enabled || Instruments.BytesWritten.Enabled || Logs.Artifacts.IsEnabled(LogLevel.Debug);

    private bool IsLoadObserved =>
        Instruments.Source.HasListeners() || Instruments.LoadDuration.Enabled || Instruments.BytesRead.Enabled || Logs.Artifacts.IsEnabled(LogLevel.Debug);

    private bool IsGetOrComputeObserved =>
        Instruments.Source.HasListeners() || Instruments.GetOrComputeDuration.Enabled || Instruments.CacheHits.Enabled || Instruments.CacheMisses.Enabled
        || Logs.Artifacts.IsEnabled(LogLevel.Debug);

    private Task<ArtifactRecord> SaveAsync<T>(string name, T value, ArtifactCode? code, string? inputsHash, IReadOnlyList<InputDigest>? exactInputs, SaveOptions? options, CancellationToken cancellationToken) =>
        IsSaveObserved
            ? SaveObservedAsync(name, value, code, inputsHash, exactInputs, options, cancellationToken)
            : SaveCoreAsync(name, value, code, inputsHash, exactInputs, options, cancellationToken);

    private Task<T> LoadAsync<T>(ArtifactRecord record, CancellationToken cancellationToken) =>
        IsLoadObserved ? LoadObservedAsync<T>(record.Name, record.Version, record, cancellationToken) : LoadCoreAsync<T>(record, cancellationToken);

    private Task<T> GetOrComputeAsync<T>(string name, ArtifactCode code, string inputsHash, IReadOnlyList<InputDigest>? exactInputs, Func<CancellationToken, Task<T>> compute, CancellationToken cancellationToken) =>
        IsGetOrComputeObserved
            ? GetOrComputeObservedAsync(name, code, inputsHash, exactInputs, compute, cancellationToken)
            : GetOrComputeCoreAsync(name, code, inputsHash, exactInputs, compute, lookup: null, cancellationToken);

    private async Task<ArtifactRecord> SaveObservedAsync<T>(string name, T value, ArtifactCode? code, string? inputsHash, IReadOnlyList<InputDigest>? exactInputs, SaveOptions? options, CancellationToken cancellationToken)
    {
        using var activity = Instruments.Source.StartActivity(Spans.Save);
        activity?.SetTag(Attributes.ArtifactName, name);
        var started = Stopwatch.GetTimestamp();
        ArtifactRecord record;
        try
        {
            record = await SaveCoreAsync(name, value, code, inputsHash, exactInputs, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Instruments.Fail(activity, e);
            Instruments.SaveDuration.Record(Instruments.SecondsSince(started), Instruments.ErrorTag(e));
            throw;
        }

        Instruments.SaveDuration.Record(Instruments.SecondsSince(started));
        Instruments.BytesWritten.Add(record.Size);
        Describe(activity, record);
        if (Logs.Artifacts.IsEnabled(LogLevel.Debug))
        {
            Logs.Artifacts.Saved(record.Name, record.Version, record.Size, StoreLogs.Shown(record.StorageRoot));
        }

        return record;
    }

    private async Task<T> LoadObservedAsync<T>(string name, int? version, ArtifactRecord? record, CancellationToken cancellationToken)
    {
        using var activity = Instruments.Source.StartActivity(Spans.Load);
        if (activity is not null)
        {
            activity.SetTag(Attributes.ArtifactName, name);
            activity.SetTag(Attributes.ArtifactVersion, version);
        }

        var started = Stopwatch.GetTimestamp();
        T value;
        try
        {
            record ??= await GetToLoadAsync(name, version, cancellationToken).ConfigureAwait(false);
            value = await LoadCoreAsync<T>(record, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Instruments.Fail(activity, e);
            Instruments.LoadDuration.Record(Instruments.SecondsSince(started), Instruments.ErrorTag(e));
            throw;
        }

        Instruments.LoadDuration.Record(Instruments.SecondsSince(started));
        Instruments.BytesRead.Add(record.Size);
        Describe(activity, record);
        if (Logs.Artifacts.IsEnabled(LogLevel.Debug))
        {
            Logs.Artifacts.Loaded(record.Name, record.Version, record.Size, StoreLogs.Shown(record.StorageRoot));
        }

        return value;
    }

    private async Task<T> GetOrComputeObservedAsync<T>(string name, ArtifactCode code, string inputsHash, IReadOnlyList<InputDigest>? exactInputs, Func<CancellationToken, Task<T>> compute, CancellationToken cancellationToken)
    {
        using var activity = Instruments.Source.StartActivity(Spans.GetOrCompute);
        var lookup = new CacheLookup(this, activity, name, code?.CodeVersion);
        var started = Stopwatch.GetTimestamp();
        T value;
        try
        {
            value = await GetOrComputeCoreAsync(name, code!, inputsHash, exactInputs, compute, lookup, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Instruments.Fail(activity, e);
            Instruments.GetOrComputeDuration.Record(Instruments.SecondsSince(started), lookup.HitTag, Instruments.ErrorTag(e));
            throw;
        }

        Instruments.GetOrComputeDuration.Record(Instruments.SecondsSince(started), lookup.HitTag);
        return value;
    }

    private static void Describe(Activity? activity, ArtifactRecord record)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(Attributes.ArtifactName, record.Name);
        activity.SetTag(Attributes.ArtifactVersion, record.Version);
        activity.SetTag(Attributes.ArtifactSize, record.Size);
        activity.SetTag(Attributes.StorageRoot, StoreLogs.Shown(record.StorageRoot));
    }

    /// <summary>What one observed GetOrCompute found: a stored version (a hit) or nothing (a miss, then the version it saved).</summary>
    private sealed class CacheLookup(ArtifactStore store, Activity? activity, string name, string? codeVersion)
    {
        private bool? _hit;

        /// <summary>The <c>lineage.cache.hit</c> tag of the duration; absent when the call failed before the lookup.</summary>
        public KeyValuePair<string, object?> HitTag => new(Attributes.CacheHit, _hit);

        public void Hit(ArtifactRecord stored)
        {
            _hit = true;
            Instruments.CacheHits.Add(1);
            if (activity is not null)
            {
                activity.SetTag(Attributes.CacheHit, true);
                activity.SetTag(Attributes.CodeVersion, codeVersion);
                Describe(activity, stored);
            }

            store.Logs.Artifacts.CacheHit(stored.Name, stored.Version, codeVersion ?? string.Empty);
        }

        public void Miss()
        {
            _hit = false;
            Instruments.CacheMisses.Add(1);
            if (activity is not null)
            {
                activity.SetTag(Attributes.ArtifactName, name);
                activity.SetTag(Attributes.CacheHit, false);
                activity.SetTag(Attributes.CodeVersion, codeVersion);
            }

            store.Logs.Artifacts.CacheMiss(name, codeVersion ?? string.Empty);
        }

        public void Saved(ArtifactRecord saved) => Describe(activity, saved);
    }

    private void LogOpened()
    {
        var log = Logs.Metadata;
        if (!log.IsEnabled(LogLevel.Information))
        {
            return;
        }

        foreach (var migration in _metadata.MigrationsApplied)
        {
            log.SchemaMigrationApplied(migration.Version, migration.Name, Options.MaskedDatabaseUrl);
        }

        log.StoreOpened(Options.MaskedDatabaseUrl, InstanceUid, StoreLogs.Shown(DefaultTarget.Storage.Root));
    }
}
