using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Lineage.DependencyInjection;

/// <summary>
/// Points <see cref="ArtifactStore.Default"/> at the host's location when the host starts (<see cref="LineageBuilder.UseAsDefault"/>).
/// The claim lasts as long as the process, as <see cref="ArtifactStore.Default"/> does once open.
/// </summary>
/// <remarks>Services are resolved in <see cref="StartAsync"/>, not injected: the host builds every hosted service before it validates options.</remarks>
internal sealed class DefaultStoreClaim(IServiceProvider services) : IHostedService
{
    private static readonly object Gate = new();
    private static ResolvedOptions? _claimed;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = services.GetRequiredService<IOptions<LineageOptions>>().Value;
        var location = services.GetRequiredService<ArtifactStore>().Options;
        lock (Gate)
        {
            if (_claimed is { } claimed)
            {
                return SameLocation(claimed, location)
                    ? Task.CompletedTask
                    : throw new InvalidOperationException(Conflict("Another host in this process already made ArtifactStore.Default", claimed, location));
            }

            try
            {
                ArtifactStore.ConfigureDefault(options);
            }
            catch (InvalidOperationException e)
            {
                // Code used ArtifactStore.Default before the host started: it is open, and can only be shared.
                var open = ArtifactStore.Default.Options;
                if (!SameLocation(open, location))
                {
                    throw new InvalidOperationException(Conflict("ArtifactStore.Default was opened before this host started, and is", open, location), e);
                }
            }

            _claimed = location;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool SameLocation(ResolvedOptions a, ResolvedOptions b) =>
        string.Equals(a.DatabaseUrl, b.DatabaseUrl, StringComparison.Ordinal)
        && string.Equals(a.ArtifactStorageDir, b.ArtifactStorageDir, StringComparison.Ordinal)
        && string.Equals(a.LocalStorageDir, b.LocalStorageDir, StringComparison.Ordinal);

    private static string Conflict(string what, ResolvedOptions current, ResolvedOptions wanted) =>
        $"{what} the store on {current.MaskedDatabaseUrl} (root {current.ArtifactStorageDir}); this host's store is on " +
        $"{wanted.MaskedDatabaseUrl} (root {wanted.ArtifactStorageDir}). A process has one ArtifactStore.Default: call UseAsDefault() " +
        "in one host only, and elsewhere pass the store to the generated accessors (Artifacts.X.Load(store: store)).";
}
