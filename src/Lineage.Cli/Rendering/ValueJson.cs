using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Lineage.Cli.Output;

namespace Lineage.Cli.Rendering;

/// <summary>
/// A stored MemoryPack value rendered as JSON: the recorded type is resolved, the value loaded through
/// <see cref="ArtifactStore.LoadAsync{T}"/> (size and SHA-256 verified before anything is deserialized, the saved
/// type schema checked), then written by System.Text.Json with the type's own member names.
/// </summary>
public static class ValueJson
{
    // Formats as ArtifactRecord.Format records them.
    private const string MemoryPackFormat = "memorypack";
    private const string RawFormat = "raw";

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        IncludeFields = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        ReferenceHandler = ReferenceHandler.IgnoreCycles,
        // A file for people and tools to read, never embedded in HTML: keep '<', '>' and non-ASCII text as written.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter(), new MultidimensionalArrayConverter() },
    };

    private static readonly MethodInfo LoadBoxed =
        typeof(ValueJson).GetMethod(nameof(LoadBoxedAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>The value of <paramref name="record"/> as indented JSON.</summary>
    /// <param name="store">The store holding it.</param>
    /// <param name="record">The version to render.</param>
    /// <param name="assemblies">User assemblies that may define its type (<c>--assembly</c>).</param>
    /// <param name="cancellationToken">Cancels the load.</param>
    /// <exception cref="LineageException">It is raw bytes, its type cannot be found or read, or JSON cannot express it.</exception>
    public static async Task<string> RenderAsync(ArtifactStore store, ArtifactRecord record, IReadOnlyList<Assembly> assemblies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(record);
        var reference = Formats.Reference(record);
        if (record.Format == RawFormat)
        {
            throw new LineageException(
                $"{reference} was saved as raw bytes ({record.TypeName}), not as a .NET value: there is nothing to render as JSON. " +
                "Leave out --format json to write the bytes as they are.");
        }

        if (record.Format != MemoryPackFormat)
        {
            throw new LineageException($"{reference} uses the value format '{record.Format}', which this version of the tool cannot render: leave out --format json to write the stored bytes.");
        }

        Type? type;
        try
        {
            type = RecordedTypeName.Resolve(record.TypeName, assemblies);
        }
        catch (FormatException)
        {
            type = null;
        }

        if (type is null)
        {
            throw new LineageException(
                $"Cannot render {reference} as JSON: its type {record.TypeName} is not a framework type" +
                (assemblies.Count == 0 ? string.Empty : $" and is in none of the assemblies given ({string.Join(", ", assemblies.Select(a => a.GetName().Name))})") +
                ". Pass the assembly that defines it with --assembly (e.g. --assembly bin/Debug/net10.0/MyProject.dll), " +
                "or leave out --format json to write the stored bytes.");
        }

        var value = await ((Task<object?>)LoadBoxed.MakeGenericMethod(type).Invoke(null, [store, record, cancellationToken])!).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Serialize(value, type, Options);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException)
        {
            throw new LineageException(
                $"{reference} was read and verified as {record.TypeName}, but JSON cannot express it: {e.Message} Leave out --format json to write the stored bytes.", e);
        }
    }

    private static async Task<object?> LoadBoxedAsync<T>(ArtifactStore store, ArtifactRecord record, CancellationToken cancellationToken) =>
        await store.LoadAsync<T>(record.Name, record.Version, cancellationToken).ConfigureAwait(false);

    /// <summary>Writes <c>T[,]</c>, <c>T[,,]</c>, … (which System.Text.Json refuses) as nested arrays, one level per dimension.</summary>
    private sealed class MultidimensionalArrayConverter : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.IsArray && typeToConvert.GetArrayRank() > 1;

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) => new Writer();

        private sealed class Writer : JsonConverter<Array>
        {
            public override bool CanConvert(Type typeToConvert) => typeToConvert.IsArray && typeToConvert.GetArrayRank() > 1;

            public override Array Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
                throw new NotSupportedException("Multi-dimensional arrays are rendered, not read.");

            public override void Write(Utf8JsonWriter writer, Array value, JsonSerializerOptions options) =>
                WriteDimension(writer, value, new int[value.Rank], 0, options);

            private static void WriteDimension(Utf8JsonWriter writer, Array array, int[] indices, int dimension, JsonSerializerOptions options)
            {
                writer.WriteStartArray();
                for (var i = array.GetLowerBound(dimension); i <= array.GetUpperBound(dimension); i++)
                {
                    indices[dimension] = i;
                    if (dimension == array.Rank - 1)
                    {
                        JsonSerializer.Serialize(writer, array.GetValue(indices), array.GetType().GetElementType()!, options);
                    }
                    else
                    {
                        WriteDimension(writer, array, indices, dimension + 1, options);
                    }
                }

                writer.WriteEndArray();
            }
        }
    }
}
