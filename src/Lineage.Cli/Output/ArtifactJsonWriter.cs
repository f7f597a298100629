using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Lineage.Cli.Output;

/// <summary>
/// A JSON array of <see cref="ArtifactJson"/> written straight from the records with a <see cref="Utf8JsonWriter"/>, a chunk at
/// a time: the same bytes <see cref="Terminal.WriteJson{T}"/> writes for <c>records.Select(r =&gt; ArtifactJson.From(r))</c>, without
/// the reflection serializer or the whole listing in memory (<c>ls --json</c> over many names; docs/benchmarks.md, CLI start).
/// </summary>
public static class ArtifactJsonWriter
{
    /// <summary>
    /// How many bytes collect before they go to the output. Under 42,500, so the text a chunk becomes (two bytes a character) stays
    /// out of the large-object heap: 64 KiB chunks made a large object every eighty-odd records.
    /// </summary>
    private const int ChunkBytes = 32 * 1024;

    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        Encoder = Terminal.JsonEncoder,
    };

    /// <summary>Writes <paramref name="records"/> to <paramref name="output"/> as one indented JSON array and a line break.</summary>
    public static async Task WriteAsync(TextWriter output, IAsyncEnumerable<ArtifactRecord> records, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(ChunkBytes + 8 * 1024);
        await using var writer = new Utf8JsonWriter(buffer, Options);
        writer.WriteStartArray();
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            Write(writer, record);
            if (writer.BytesPending + buffer.WrittenCount >= ChunkBytes)
            {
                await writer.FlushAsync(cancellationToken);
                await output.WriteAsync(Drain(buffer));
            }
        }

        writer.WriteEndArray();
        await writer.FlushAsync(cancellationToken);
        await output.WriteLineAsync(Drain(buffer));
    }

    /// <inheritdoc cref="WriteAsync"/>
    public static void Write(TextWriter output, IEnumerable<ArtifactRecord> records)
    {
        var buffer = new ArrayBufferWriter<byte>(ChunkBytes + 8 * 1024);
        using var writer = new Utf8JsonWriter(buffer, Options);
        writer.WriteStartArray();
        foreach (var record in records)
        {
            Write(writer, record);
            if (writer.BytesPending + buffer.WrittenCount >= ChunkBytes)
            {
                writer.Flush();
                output.Write(Drain(buffer));
            }
        }

        writer.WriteEndArray();
        writer.Flush();
        output.WriteLine(Drain(buffer));
    }

    /// <summary>The bytes written so far as text; a chunk always ends after a whole record, never inside a character.</summary>
    private static string Drain(ArrayBufferWriter<byte> buffer)
    {
        var text = Encoding.UTF8.GetString(buffer.WrittenSpan);
        buffer.ResetWrittenCount();
        return text;
    }

    /// <summary>One record, its properties in <see cref="ArtifactJson"/>'s order and with its names (the source code left out, as <c>From(r)</c> does).</summary>
    private static void Write(Utf8JsonWriter writer, ArtifactRecord r)
    {
        writer.WriteStartObject();
        writer.WriteString("uid", r.Uid);
        writer.WriteString("name", r.Name);
        writer.WriteNumber("version", r.Version);
        writer.WriteString("branch", r.Branch switch
        {
            ArtifactBranch.Main => "main",
            ArtifactBranch.Trash => "trash",
            ArtifactBranch.Archive => "archive",
            _ => r.Branch.ToString().ToLowerInvariant(),
        });
        writer.WriteString("created_at", r.CreatedAt);
        writer.WriteString("created_by", r.CreatedBy);
        writer.WriteString("host", r.Host);
        writer.WriteNumber("size", r.Size);
        writer.WriteString("hash", r.Hash);
        writer.WriteString("type_name", r.TypeName);
        writer.WriteString("format", r.Format);
        writer.WriteString("storage_root", r.StorageRoot);
        writer.WriteString("key", r.Key);
        writer.WriteString("code_version", r.CodeVersion);
        writer.WriteString("assembly_name", r.AssemblyName);
        writer.WriteString("assembly_version", r.AssemblyVersion);
        writer.WriteString("source_revision", r.SourceRevision);
        writer.WriteString("inputs_hash", r.InputsHash);
        writer.WriteString("type_schema", r.TypeSchema);
        writer.WriteBoolean("has_source_code", r.SourceCode is not null);
        writer.WriteNull("source_code");
        writer.WriteString("run_uid", r.RunUid);
        writer.WriteString("description", r.Description);
        WriteStrings(writer, "aliases", r.Aliases);
        WriteStrings(writer, "tags", r.Tags);
        writer.WriteStartObject("metadata");
        foreach (var (key, value) in r.Metadata)
        {
            writer.WritePropertyName(key);
            switch (value)
            {
                case string s:
                    writer.WriteStringValue(s);
                    break;
                case long l:
                    writer.WriteNumberValue(l);
                    break;
                case double d:
                    writer.WriteNumberValue(d);
                    break;
                case bool b:
                    writer.WriteBooleanValue(b);
                    break;
                default:
                    // Annotations keeps metadata to strings, longs, doubles and booleans; anything else as the serializer writes it.
                    JsonSerializer.Serialize(writer, value, Terminal.JsonOptions);
                    break;
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter writer, string property, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(property);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
