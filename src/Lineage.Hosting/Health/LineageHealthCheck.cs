using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Lineage.Health;

/// <summary>The store opens, its database answers, its default root allows what the host needs.</summary>
internal sealed class LineageHealthCheck(IServiceProvider services, LineageStorageAccess access) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failure = context.Registration.FailureStatus;
        ArtifactStore store;
        try
        {
            store = services.GetRequiredService<ArtifactStore>();
        }
        catch (Exception e) when (e is LineageException or OptionsValidationException)
        {
            // The store's messages mask the URL; scrubbing what it resolved to is the guarantee, not the hope.
            return new HealthCheckResult(failure, SecretScrubber.Scrub("Lineage store cannot open: " + e.Message, TryResolve()));
        }

        var options = store.Options;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["database"] = options.MaskedDatabaseUrl,
            ["root"] = options.ArtifactStorageDir,
        };

        try
        {
            await store.Storages.ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, Describe($"Lineage database {options.MaskedDatabaseUrl} does not answer", e, options), data: data);
        }

        try
        {
            var status = await store.GetStorageStatusAsync(cancellationToken).ConfigureAwait(false);
            data["writable"] = status.IsWritable;
            if (access == LineageStorageAccess.ReadWrite)
            {
                if (!status.IsWritable)
                {
                    return new HealthCheckResult(failure, SecretScrubber.Scrub(
                        $"Lineage storage root {status.Root} is not writable by the instance of {options.MaskedDatabaseUrl}: {status.Problem ?? "its marker names " + (status.OwnerDatabase ?? status.OwnerInstanceUid ?? "another instance")}.",
                        options), data: data);
                }

                await ProbeWriteAsync(status.Root, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, Describe($"Lineage storage root {options.ArtifactStorageDir} is not {(access == LineageStorageAccess.ReadWrite ? "writable" : "readable")}", e, options), data: data);
        }

        return HealthCheckResult.Healthy(
            $"Lineage store on {options.MaskedDatabaseUrl}, root {options.ArtifactStorageDir} {(access == LineageStorageAccess.ReadWrite ? "writable" : "readable")}.",
            data);
    }

    /// <summary>
    /// For a local root, creates and deletes a file beside the values: ownership says this instance may write, not that the disk
    /// lets it (a volume mounted read-only, a full disk, lost permissions). Object storage has no such cheap probe.
    /// </summary>
    private static async Task ProbeWriteAsync(string root, CancellationToken cancellationToken)
    {
        if (!Path.IsPathFullyQualified(root))
        {
            return;
        }

        var probe = Path.Combine(root, ".lineage", $"health-{Guid.NewGuid():N}.probe");
        var file = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (file.ConfigureAwait(false))
        {
            await file.WriteAsync(new byte[] { 1 }, cancellationToken).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Describe(string what, Exception e, ResolvedOptions options) =>
        SecretScrubber.Scrub($"{what}: {e.Message}", options);

    private ResolvedOptions? TryResolve()
    {
        try
        {
            return ArtifactStore.ResolveOptions(services.GetRequiredService<IOptions<LineageOptions>>().Value);
        }
        catch (Exception e) when (e is LineageException or OptionsValidationException)
        {
            return null;
        }
    }
}
