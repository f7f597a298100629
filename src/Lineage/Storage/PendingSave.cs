using System.Text.Json;

namespace Lineage.Storage;

/// <summary>
/// A note at <c>&lt;root&gt;/.lineage/pending/&lt;uid&gt;.json</c>, left by a save whose metadata insert failed in a way that hid whether
/// its row was recorded. The value stays until the database can tell; then it is removed if no row points to it, by the store that
/// saved it (after its next successful save) or by gc, at once rather than after gc's age window.
/// </summary>
/// <param name="Uid">The uid of the row that may or may not exist.</param>
/// <param name="Name">The artifact name that was being saved, for people reading the note.</param>
/// <param name="Key">The key of the value the row would point to.</param>
/// <param name="WriterSession">The database session that ran the insert, when it may still commit (see <see cref="MetadataDatabaseException"/>).</param>
/// <param name="FailedAt">When the save failed.</param>
internal sealed record PendingSave(string Uid, string Name, string Key, string? WriterSession, DateTimeOffset FailedAt)
{
    /// <summary>The folder of the notes, under the root.</summary>
    public const string Folder = ".lineage/pending/";

    /// <summary>Where this note is stored under the root.</summary>
    public string NoteKey => $"{Folder}{Uid}.json";

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("lineage_pending_save", 1);
            json.WriteString("uid", Uid);
            json.WriteString("name", Name);
            json.WriteString("key", Key);
            json.WriteString("writer_session", WriterSession);
            json.WriteString("failed_at", FailedAt.UtcDateTime);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a note; <see langword="null"/> when the content is not one (gc then treats the file by its age like any other).</summary>
    public static PendingSave? TryParse(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            var root = document.RootElement;
            var uid = root.GetProperty("uid").GetString()!;
            var key = root.GetProperty("key").GetString()!;
            // A note may only ever point at the value of its own uid: a planted note cannot make gc delete anything else.
            var valuePrefix = $".lineage/{uid}";
            if (uid.Length == 0 || !uid.All(char.IsAsciiLetterOrDigit) || !key.StartsWith(valuePrefix, StringComparison.Ordinal)
                || (key.Length > valuePrefix.Length && key[valuePrefix.Length] != '.') || key.IndexOf('/', ".lineage/".Length) >= 0)
            {
                return null;
            }

            return new PendingSave(uid, root.GetProperty("name").GetString() ?? string.Empty, key,
                root.TryGetProperty("writer_session", out var session) ? session.GetString() : null,
                root.GetProperty("failed_at").GetDateTimeOffset());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
