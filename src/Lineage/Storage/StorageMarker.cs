using System.Text.Json;

namespace Lineage.Storage;

/// <summary>
/// The file <c>&lt;root&gt;/.lineage/storage.json</c> that names the one instance (metadata database)
/// allowed to write a storage root.
/// </summary>
internal sealed record StorageMarker(string StorageUid, string InstanceUid, string Database, DateTimeOffset CreatedAt)
{
    public const string Key = ".lineage/storage.json";

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("lineage_storage", 1);
            json.WriteString("storage_uid", StorageUid);
            json.WriteString("instance_uid", InstanceUid);
            json.WriteString("database", Database);
            json.WriteString("created_at", CreatedAt.UtcDateTime);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a marker; <see langword="null"/> when the content is not a Lineage marker.</summary>
    public static StorageMarker? TryParse(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            return new StorageMarker(
                root.GetProperty("storage_uid").GetString()!,
                root.GetProperty("instance_uid").GetString()!,
                root.TryGetProperty("database", out var database) ? database.GetString() ?? string.Empty : string.Empty,
                root.TryGetProperty("created_at", out var created) ? created.GetDateTimeOffset() : DateTimeOffset.MinValue);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
