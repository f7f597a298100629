using System.Diagnostics;
using Lineage.Metadata;
using Lineage.Telemetry;
using Lineage.Values;
using Microsoft.Extensions.Logging;

namespace Lineage
{
    /// <summary>How <see cref="StorageRegistry.Migrate"/> runs.</summary>
    public sealed record MigrationOptions
    {
        /// <summary>Only report what would move; nothing is copied or changed.</summary>
        public bool DryRun { get; init; }

        /// <summary>Artifacts re-pointed per transaction. Default 100.</summary>
        public int BatchSize { get; init; } = 100;

        /// <summary>Delete each source value once its artifact points at the verified copy. Files registered in place are kept unless <see cref="DeleteInPlaceSources"/>.</summary>
        public bool DeleteSource { get; init; }

        /// <summary>With <see cref="DeleteSource"/>, also delete the source files of artifacts registered in place (files Lineage did not write).</summary>
        public bool DeleteInPlaceSources { get; init; }

        /// <summary>
        /// Register the destination first when it is not registered yet, as <see cref="StorageRegistry.Add"/> would. A dry run only
        /// checks that it could be (nesting, its marker) without registering it or writing a marker. A destination registered this
        /// way that ends up holding no artifact (it turned out not writable by this instance, or nothing could be moved) is
        /// unregistered again, so a failed migration leaves no registration behind.
        /// </summary>
        public bool RegisterDestination { get; init; }
    }

    /// <summary>Where a migration is: artifacts and bytes done out of the total, and how many batches are committed.</summary>
    /// <param name="ArtifactsDone">Artifacts handled so far (moved or failed).</param>
    /// <param name="ArtifactsTotal">Artifacts in the source location when the migration started.</param>
    /// <param name="BytesDone">Bytes of the artifacts handled so far, and of the one being copied as they are copied.</param>
    /// <param name="BytesTotal">Bytes of all artifacts in the source location when the migration started.</param>
    /// <param name="BatchesCommitted">Batches whose artifacts now point at the destination.</param>
    /// <param name="Current">The artifact being (or just) handled, as <c>name@version</c>; null for a report of a committed batch.</param>
    public sealed record MigrationProgress(int ArtifactsDone, int ArtifactsTotal, long BytesDone, long BytesTotal, int BatchesCommitted, string? Current);

    /// <summary>An artifact a migration could not move; it still points at the source location.</summary>
    /// <param name="Name">The artifact name.</param>
    /// <param name="Version">The version.</param>
    /// <param name="Problem">Why, for people to read.</param>
    public sealed record MigrationFailure(string Name, int Version, string Problem);

    /// <summary>What a migration did (or, for a dry run, would do).</summary>
    /// <param name="From">The source root.</param>
    /// <param name="To">The destination root.</param>
    /// <param name="DryRun">True when nothing was changed.</param>
    /// <param name="Artifacts">Artifacts found in the source location.</param>
    /// <param name="Bytes">Their total size.</param>
    /// <param name="Moved">Artifacts now pointing at the destination (0 for a dry run).</param>
    /// <param name="BytesCopied">Bytes actually copied; copies a previous run left and verified are not copied again.</param>
    /// <param name="Failures">Artifacts that stayed behind, and why.</param>
    /// <param name="Planned">For a dry run, the artifacts that would move; empty otherwise.</param>
    public sealed record MigrationResult(
        string From,
        string To,
        bool DryRun,
        int Artifacts,
        long Bytes,
        int Moved,
        long BytesCopied,
        IReadOnlyList<MigrationFailure> Failures,
        IReadOnlyList<ArtifactRecord> Planned)
    {
        /// <summary>
        /// With <see cref="MigrationOptions.RegisterDestination"/>: true when the destination was not registered before this migration;
        /// for a dry run, that the real run would register it.
        /// </summary>
        public bool DestinationIsNew { get; init; }

        /// <summary>True when this migration registered the destination and removed the registration again, as nothing was moved into it.</summary>
        public bool DestinationUnregistered { get; init; }
    }
}

namespace Lineage.Storage
{
    /// <summary>Copies a version's value to the same key under another root, verified (see <see cref="ArtifactStore"/>'s value shapes).</summary>
    /// <returns>The bytes copied; 0 when a verified copy was already there.</returns>
    internal delegate Task<long> ValueCopier(ArtifactRecord record, IValueStore destination, IProgress<long>? progress, CancellationToken cancellationToken);

    /// <summary>What a migration works with: the rows it re-points, who may touch which root, the roots' value stores, the store's verified copy, and its log.</summary>
    internal sealed record MigrationServices(IMetadataStore Metadata, StorageAccessRules Access, ValueStoreResolver Values, ValueCopier CopyValue, ILogger Log);

    /// <summary>
    /// Moves artifacts between storage locations: copy, verify the copy, re-point a batch of rows in one transaction, then
    /// (optionally) delete the sources. Every step can be interrupted: rows only ever point at verified values, and a rerun
    /// picks up the artifacts still in the source, reusing copies that are already verified.
    /// </summary>
    /// <param name="services">The metadata whose rows are re-pointed, the access rules, value stores, the verified copy and the log.</param>
    /// <param name="from">The source location.</param>
    /// <param name="to">The destination; for a dry run, possibly a location not registered yet, described by <paramref name="destinationChecked"/>.</param>
    /// <param name="options">How it runs.</param>
    /// <param name="progress">Told after every chunk copied, every artifact and every committed batch.</param>
    /// <param name="destinationChecked">The caller checked that <paramref name="to"/> could be registered and written (it is not registered yet).</param>
    internal sealed class StorageMigration(MigrationServices services, StorageRecord from, StorageRecord to, MigrationOptions options, IProgress<MigrationProgress>? progress, bool destinationChecked = false)
    {
        private int _done;
        private int _total;
        private long _bytesDone;
        private long _bytesTotal;
        private int _batches;

        /// <summary>Migrates every artifact in the source location.</summary>
        public async Task<MigrationResult> RunAsync(CancellationToken cancellationToken)
        {
            var all = await StorageRegistry.ArtifactsInAsync(services.Metadata, from, cancellationToken).ConfigureAwait(false);
            return await RunAsync(all, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Migrates the given artifacts, which live in the source location, in a <c>lineage.migrate</c> span.</summary>
        public async Task<MigrationResult> RunAsync(IReadOnlyList<ArtifactRecord> artifacts, CancellationToken cancellationToken)
        {
            using var activity = Instruments.Source.StartActivity(Spans.Migrate);
            if (activity is not null)
            {
                activity.SetTag(Attributes.MigrationSource, StoreLogs.Shown(from.Root));
                activity.SetTag(Attributes.MigrationDestination, StoreLogs.Shown(to.Root));
                activity.SetTag(Attributes.MigrationArtifacts, artifacts.Count);
                activity.SetTag(Attributes.MigrationDryRun, options.DryRun);
            }

            var started = Stopwatch.GetTimestamp();
            MigrationResult result;
            try
            {
                result = await MigrateAsync(artifacts, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Instruments.Fail(activity, e);
                Instruments.MigrateDuration.Record(Instruments.SecondsSince(started), Instruments.ErrorTag(e));
                throw;
            }

            if (!result.DryRun)
            {
                Instruments.MigrateDuration.Record(Instruments.SecondsSince(started));
                if (activity is not null)
                {
                    activity.SetTag(Attributes.MigrationMoved, result.Moved);
                    activity.SetTag(Attributes.MigrationBytesCopied, result.BytesCopied);
                    activity.SetTag(Attributes.MigrationFailed, result.Failures.Count);
                }

                var log = services.Log;
                if (log.IsEnabled(LogLevel.Information))
                {
                    log.MigrationFinished(result.Moved, result.Artifacts, StoreLogs.Shown(from.Root), StoreLogs.Shown(to.Root), result.BytesCopied, result.Failures.Count);
                }
            }

            return result;
        }

        private async Task<MigrationResult> MigrateAsync(IReadOnlyList<ArtifactRecord> artifacts, CancellationToken cancellationToken)
        {
            _total = artifacts.Count;
            _bytesTotal = artifacts.Sum(a => a.Size);
            if (from.Id == to.Id)
            {
                throw new ArgumentException($"'{from}' is both the source and the destination of the migration.");
            }

            // A dry run checks the same rules, so it tells whether the real run would be refused.
            if (!destinationChecked)
            {
                await EnsureCanWriteDestinationAsync(cancellationToken).ConfigureAwait(false);
            }

            if (options.DeleteSource)
            {
                await services.Access.EnsureCanWriteAsync(from, $"delete migrated values from '{from}'", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await services.Access.EnsureCanReadAsync(from.Id, from.Root, from.Host, $"migrate artifacts out of '{from}'", cancellationToken).ConfigureAwait(false);
            }

            if (options.DryRun)
            {
                return new MigrationResult(from.Root, to.Root, true, _total, _bytesTotal, 0, 0, [], artifacts);
            }

            var log = services.Log;
            if (log.IsEnabled(LogLevel.Information))
            {
                log.MigrationStarted(_total, _bytesTotal, StoreLogs.Shown(from.Root), StoreLogs.Shown(to.Root));
            }

            var destination = services.Values.At(to.Root);
            var failures = new List<MigrationFailure>();
            var moved = 0;
            long copied = 0;
            foreach (var batch in artifacts.Chunk(options.BatchSize))
            {
                var verified = new List<ArtifactRecord>(batch.Length);
                foreach (var record in batch)
                {
                    var current = $"{record.Name}@{record.Version}";
                    var bytesBefore = _bytesDone;
                    long bytesOfCurrent = 0;
                    var chunks = progress is null ? null : new ChunkProgress(bytes =>
                    {
                        // A write retried from the start reports its bytes again: the bar never runs past this artifact.
                        bytesOfCurrent = Math.Min(bytesOfCurrent + bytes, record.Size);
                        _bytesDone = bytesBefore + bytesOfCurrent;
                        Report(current);
                    });
                    try
                    {
                        copied += await services.CopyValue(record, destination, chunks, cancellationToken).ConfigureAwait(false);
                        verified.Add(record);
                    }
                    catch (LineageException e)
                    {
                        failures.Add(new MigrationFailure(record.Name, record.Version, e.Message));
                        if (log.IsEnabled(LogLevel.Warning))
                        {
                            log.MigrationArtifactFailed(record.Name, record.Version, StoreLogs.Shown(from.Root), e.Message);
                        }
                    }

                    _done++;
                    _bytesDone = bytesBefore + record.Size;
                    Report(current);
                }

                var switched = await services.Metadata.MoveArtifactsAsync([.. verified.Select(r => r.Uid)], from.Id, to.Id, cancellationToken).ConfigureAwait(false);
                moved += switched;
                _batches++;
                Report(null);
                if (options.DeleteSource)
                {
                    await DeleteSourcesAsync(verified, cancellationToken).ConfigureAwait(false);
                }
            }

            return new MigrationResult(from.Root, to.Root, false, _total, _bytesTotal, moved, copied, failures, []);
        }

        private async Task DeleteSourcesAsync(IEnumerable<ArtifactRecord> switched, CancellationToken cancellationToken)
        {
            var source = services.Values.At(from.Root);
            foreach (var record in switched.Where(r => r.IsManaged || options.DeleteInPlaceSources))
            {
                // Only after the rows point at the copy: an interruption here leaves an unreferenced file, which gc finds. A value other
                // versions in the source still point at (identical bytes are stored once) stays for them.
                if (await services.Metadata.ReleaseValueAsync(from.Id, record.Key, cancellationToken).ConfigureAwait(false))
                {
                    await ArtifactStore.DeleteValueAsync(source, record, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>
        /// The destination must be on this host, written by this instance, and in a space the user is in. Another instance's root
        /// gets its own message: the advice about artifact_storage_dir that fits the default root does not fit a migration target.
        /// </summary>
        private async Task EnsureCanWriteDestinationAsync(CancellationToken cancellationToken)
        {
            var operation = $"migrate artifacts into '{to}'";
            services.Access.EnsureNotForeignTarget(await services.Access.ReadClaimAsync(to.Root, fresh: false, cancellationToken).ConfigureAwait(false), operation);
            await services.Access.EnsureCanWriteAsync(to, operation, cancellationToken).ConfigureAwait(false);
        }

        private void Report(string? current) =>
            progress?.Report(new MigrationProgress(_done, _total, _bytesDone, _bytesTotal, _batches, current));

        /// <summary>Called inline, on the copying thread, so the reports arrive in order and before the copy goes on.</summary>
        private sealed class ChunkProgress(Action<long> report) : IProgress<long>
        {
            public void Report(long value) => report(value);
        }
    }
}
