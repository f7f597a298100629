using Microsoft.Extensions.Logging;

namespace Lineage.Telemetry;

/// <summary>
/// Events of category <see cref="LineageTelemetry.ArtifactsCategory"/> (ids 1000–1199). Names, versions, sizes, code versions and
/// masked roots only: never a value, never a credential.
/// </summary>
internal static partial class ArtifactLog
{
    [LoggerMessage(EventId = 1001, EventName = "ArtifactSaved", Level = LogLevel.Debug,
        Message = "Saved {ArtifactName} version {ArtifactVersion}: {SizeBytes} bytes to {StorageRoot}")]
    public static partial void Saved(this ILogger logger, string artifactName, int artifactVersion, long sizeBytes, string storageRoot);

    [LoggerMessage(EventId = 1002, EventName = "ArtifactLoaded", Level = LogLevel.Debug,
        Message = "Loaded {ArtifactName} version {ArtifactVersion}: {SizeBytes} bytes from {StorageRoot}")]
    public static partial void Loaded(this ILogger logger, string artifactName, int artifactVersion, long sizeBytes, string storageRoot);

    [LoggerMessage(EventId = 1003, EventName = "CacheHit", Level = LogLevel.Debug,
        Message = "GetOrCompute {ArtifactName}: cache hit, version {ArtifactVersion} computed by code {CodeVersion}")]
    public static partial void CacheHit(this ILogger logger, string artifactName, int artifactVersion, string codeVersion);

    [LoggerMessage(EventId = 1004, EventName = "CacheMiss", Level = LogLevel.Debug,
        Message = "GetOrCompute {ArtifactName}: cache miss for code {CodeVersion}; computing")]
    public static partial void CacheMiss(this ILogger logger, string artifactName, string codeVersion);

    [LoggerMessage(EventId = 1101, EventName = "LostAnswerRecovered", Level = LogLevel.Warning,
        Message = "Saving {ArtifactName}: the database's answer was lost, but version {ArtifactVersion} was recorded; the save stands")]
    public static partial void LostAnswerRecovered(this ILogger logger, string artifactName, int artifactVersion);

    [LoggerMessage(EventId = 1102, EventName = "FailedSaveSettled", Level = LogLevel.Information,
        Message = "The earlier failed save of {ArtifactName} is settled: {Outcome}")]
    public static partial void FailedSaveSettled(this ILogger logger, string artifactName, string outcome);

    [LoggerMessage(EventId = 1103, EventName = "SettlingFailed", Level = LogLevel.Warning,
        Message = "Settling {PendingCount} earlier failed save(s) failed; the next successful save tries again, and gc removes what stays")]
    public static partial void SettlingFailed(this ILogger logger, Exception exception, int pendingCount);

    [LoggerMessage(EventId = 1104, EventName = "ValueNotRemoved", Level = LogLevel.Warning,
        Message = "The value {ValueKey} of a save that did not complete could not be removed from {StorageRoot}; gc removes it")]
    public static partial void ValueNotRemoved(this ILogger logger, Exception exception, string valueKey, string storageRoot);

    [LoggerMessage(EventId = 1105, EventName = "NoteNotWritten", Level = LogLevel.Warning,
        Message = "The note {NoteKey} of the failed save of {ArtifactName} could not be written to {StorageRoot}; gc removes its value once it is older than gc's minimum age")]
    public static partial void NoteNotWritten(this ILogger logger, Exception exception, string noteKey, string artifactName, string storageRoot);
}
