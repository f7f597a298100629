using Lineage.Health;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Lineage;

/// <summary>Adds the Lineage health check to <c>services.AddHealthChecks()</c>.</summary>
public static class LineageHealthChecksBuilderExtensions
{
    /// <summary>The tags the check carries unless others are given: filter on <c>ready</c> for a readiness endpoint.</summary>
    public static IReadOnlyList<string> DefaultTags { get; } = ["lineage", "ready"];

    /// <summary>
    /// Checks the host's <see cref="ArtifactStore"/> (registered by <c>services.AddLineage(...)</c>): the store opens, its metadata
    /// database answers, and its default storage root is writable by this instance (or readable, with
    /// <see cref="LineageStorageAccess.ReadOnly"/>). An unhealthy result's description names the database URL with its password
    /// masked, and never holds a password or a secret storage option.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="access">What the default root must allow.</param>
    /// <param name="failureStatus">The status reported when the check fails; <see cref="HealthStatus.Unhealthy"/> when null.</param>
    /// <param name="tags">Tags to filter checks by; <see cref="DefaultTags"/> (<c>lineage</c>, <c>ready</c>) when null.</param>
    /// <param name="timeout">How long the check may take; the health check service's default when null.</param>
    public static IHealthChecksBuilder AddLineage(
        this IHealthChecksBuilder builder,
        string name = "lineage",
        LineageStorageAccess access = LineageStorageAccess.ReadWrite,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null,
        TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return builder.Add(new HealthCheckRegistration(
            name,
            provider => new LineageHealthCheck(provider, access),
            failureStatus,
            tags ?? DefaultTags,
            timeout));
    }
}
