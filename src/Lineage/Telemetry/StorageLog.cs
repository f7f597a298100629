using Microsoft.Extensions.Logging;

namespace Lineage.Telemetry;

/// <summary>Events of category <see cref="LineageTelemetry.StorageCategory"/> (ids 2000–2199). Roots are masked.</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 2001, EventName = "RootClaimed", Level = LogLevel.Information,
        Message = "Claimed storage root {StorageRoot} for instance {InstanceUid}: this instance writes it from now on")]
    public static partial void RootClaimed(this ILogger logger, string storageRoot, string instanceUid);

    [LoggerMessage(EventId = 2002, EventName = "RootReadOnly", Level = LogLevel.Warning,
        Message = "Storage root {StorageRoot} is registered read-only for this instance because {Problem}")]
    public static partial void RootReadOnly(this ILogger logger, string storageRoot, string problem);

    [LoggerMessage(EventId = 2003, EventName = "MigrationStarted", Level = LogLevel.Information,
        Message = "Migrating {ArtifactCount} artifact(s) ({SizeBytes} bytes) from {SourceRoot} to {DestinationRoot}")]
    public static partial void MigrationStarted(this ILogger logger, int artifactCount, long sizeBytes, string sourceRoot, string destinationRoot);

    [LoggerMessage(EventId = 2004, EventName = "MigrationFinished", Level = LogLevel.Information,
        Message = "Migrated {MovedCount} of {ArtifactCount} artifact(s) from {SourceRoot} to {DestinationRoot}: {BytesCopied} bytes copied, {FailedCount} left behind")]
    public static partial void MigrationFinished(this ILogger logger, int movedCount, int artifactCount, string sourceRoot, string destinationRoot, long bytesCopied, int failedCount);

    [LoggerMessage(EventId = 2005, EventName = "MigrationArtifactFailed", Level = LogLevel.Warning,
        Message = "{ArtifactName} version {ArtifactVersion} stays in {SourceRoot}: {Problem}")]
    public static partial void MigrationArtifactFailed(this ILogger logger, string artifactName, int artifactVersion, string sourceRoot, string problem);

    [LoggerMessage(EventId = 2006, EventName = "GcFound", Level = LogLevel.Information,
        Message = "gc found {ValueCount} unreferenced value(s) ({SizeBytes} bytes) older than {MinimumAge}")]
    public static partial void GcFound(this ILogger logger, int valueCount, long sizeBytes, TimeSpan minimumAge);

    [LoggerMessage(EventId = 2007, EventName = "GcRemoved", Level = LogLevel.Information,
        Message = "gc removed {ValueCount} unreferenced value(s) ({SizeBytes} bytes)")]
    public static partial void GcRemoved(this ILogger logger, int valueCount, long sizeBytes);
}
