using Microsoft.Extensions.Logging;

namespace Lineage.Telemetry;

/// <summary>Events of category <see cref="LineageTelemetry.MetadataCategory"/> (ids 3000–3199). Database URLs are masked.</summary>
internal static partial class MetadataLog
{
    [LoggerMessage(EventId = 3001, EventName = "StoreOpened", Level = LogLevel.Information,
        Message = "Opened the store on {DatabaseUrl} (instance {InstanceUid}), writing to {StorageRoot}")]
    public static partial void StoreOpened(this ILogger logger, string databaseUrl, string instanceUid, string storageRoot);

    [LoggerMessage(EventId = 3002, EventName = "SchemaMigrationApplied", Level = LogLevel.Information,
        Message = "Applied schema migration {SchemaVersion} ({MigrationName}) to {DatabaseUrl}")]
    public static partial void SchemaMigrationApplied(this ILogger logger, int schemaVersion, string migrationName, string databaseUrl);

    [LoggerMessage(EventId = 3003, EventName = "RunNotFinished", Level = LogLevel.Warning,
        Message = "Run {RunUid} could not be marked finished when the store closed; it stays 'running', as after a crash")]
    public static partial void RunNotFinished(this ILogger logger, Exception exception, string runUid);
}
