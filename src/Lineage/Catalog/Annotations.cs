using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lineage;

/// <summary>What to record with a save besides the value: a description, tags and metadata.</summary>
/// <example><code>store.Save("iris-model", model, new SaveOptions { Tags = ["iris"], Metadata = { ["accuracy"] = 0.93, ["dataset"] = "iris" } });</code></example>
public sealed class SaveOptions
{
    /// <summary>A sentence or two about the version.</summary>
    public string? Description { get; init; }

    /// <summary>Labels to find it by (each 1–100 characters; duplicates count once).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>
    /// A JSON object of strings, numbers and booleans (metrics, parameters, dataset names): numbers stay numbers, so
    /// <c>lineage find --where "accuracy &gt; 0.9"</c> compares them numerically. Nested objects, arrays and null are refused.
    /// </summary>
    public IDictionary<string, object> Metadata { get; init; } = new Dictionary<string, object>(StringComparer.Ordinal);
}

/// <summary>The rules and the JSON of annotations (tags and metadata), shared by saves, <c>Annotate</c> and queries.</summary>
internal static class Annotations
{
    public const int MaxTagLength = 100;
    public const int MaxKeyLength = 200;
    public const int MaxStringLength = 10_000;
    public const int MaxEntries = 1_000;

    /// <summary>The tags, validated, trimmed, distinct and sorted.</summary>
    public static IReadOnlyList<string> Tags(IEnumerable<string>? tags)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var tag in tags ?? [])
        {
            var trimmed = tag?.Trim() ?? string.Empty;
            if (trimmed.Length is 0 or > MaxTagLength || trimmed.Any(char.IsControl))
            {
                throw new ArgumentException($"Tag '{tag}' is not valid: tags are 1–{MaxTagLength} characters without control characters.", nameof(tags));
            }

            result.Add(trimmed.Normalize(NormalizationForm.FormC));
        }

        return result.Count > MaxEntries ? throw new ArgumentException($"A version holds at most {MaxEntries} tags.", nameof(tags)) : [.. result];
    }

    /// <summary>One metadata value in its canonical form: string, long, double or bool.</summary>
    public static object Value(string key, object? value)
    {
        if (key.Length is 0 or > MaxKeyLength || key.Any(char.IsControl))
        {
            throw new ArgumentException($"Metadata key '{key}' is not valid: keys are 1–{MaxKeyLength} characters without control characters.", nameof(value));
        }

        return value switch
        {
            string s when s.Length > MaxStringLength => throw new ArgumentException($"Metadata '{key}' is {s.Length} characters long; values hold at most {MaxStringLength}.", nameof(value)),
            string s => s,
            bool b => b,
            sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ulong u when u <= long.MaxValue => (long)u,
            float or double or decimal or ulong => Number(key, Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            JsonElement { ValueKind: JsonValueKind.String } e => Value(key, e.GetString()),
            JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False } e => e.GetBoolean(),
            JsonElement { ValueKind: JsonValueKind.Number } e => e.TryGetInt64(out var l) ? (object)l : Number(key, e.GetDouble()),
            null => throw new ArgumentException($"Metadata '{key}' is null: metadata values are strings, numbers or booleans. To remove a key, use Annotate with removeMetadata.", nameof(value)),
            _ => throw new ArgumentException(
                $"Metadata '{key}' is a {value.GetType().Name}: metadata values are strings, numbers or booleans (nested objects and arrays are refused; store them as a JSON string, or save them as an artifact).", nameof(value)),
        };
    }

    public static IReadOnlyDictionary<string, object> Metadata(IEnumerable<KeyValuePair<string, object>>? metadata)
    {
        var result = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in metadata ?? [])
        {
            result[key] = Value(key, value);
        }

        return result.Count > MaxEntries ? throw new ArgumentException($"A version holds at most {MaxEntries} metadata keys.", nameof(metadata)) : result;
    }

    public static string? TagsJson(IReadOnlyList<string> tags) => tags.Count == 0 ? null : global::Lineage.Metadata.JsonText.Array(tags);

    public static string? MetadataJson(IReadOnlyDictionary<string, object> metadata)
    {
        if (metadata.Count == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                switch (value)
                {
                    case string s:
                        json.WriteString(key, s);
                        break;
                    case bool b:
                        json.WriteBoolean(key, b);
                        break;
                    case long l:
                        json.WriteNumber(key, l);
                        break;
                    case double d:
                        json.WriteNumber(key, d);
                        break;
                    default:
                        throw new InvalidOperationException($"Metadata '{key}' was not normalized.");
                }
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static IReadOnlyDictionary<string, object> ReadMetadata(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return ValueMap.Empty;
        }

        using var document = JsonDocument.Parse(json);
        var result = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            result[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => property.Value.TryGetInt64(out var l) ? (object)l : property.Value.GetDouble(),
                _ => property.Value.GetRawText(),
            };
        }

        return new ValueMap(result);
    }

    public static IReadOnlyList<string> ReadTags(string? json) => string.IsNullOrEmpty(json) ? ValueList.Empty : new ValueList(global::Lineage.Metadata.JsonText.ReadArray(json));

    private static double Number(string key, double value) => double.IsFinite(value)
        ? value
        : throw new ArgumentException($"Metadata '{key}' is {value}: JSON numbers are finite.", nameof(value));
}

/// <summary>A read-only list of strings compared by its items, so records holding one compare by value.</summary>
internal sealed class ValueList(IReadOnlyList<string> items) : IReadOnlyList<string>, IEquatable<ValueList>
{
    public static readonly ValueList Empty = new([]);

    public int Count => items.Count;

    public string this[int index] => items[index];

    public static IReadOnlyList<string> Of(IReadOnlyList<string>? items) => items switch
    {
        null or { Count: 0 } => Empty,
        ValueList list => list,
        _ => new ValueList([.. items]),
    };

    public IEnumerator<string> GetEnumerator() => items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ValueList? other) => other is not null && items.SequenceEqual(other, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ValueList);

    public override int GetHashCode() => items.Aggregate(Count, (hash, item) => HashCode.Combine(hash, StringComparer.Ordinal.GetHashCode(item)));

    public override string ToString() => string.Join(", ", items);
}

/// <summary>A read-only metadata map compared by its entries, so records holding one compare by value.</summary>
internal sealed class ValueMap(IReadOnlyDictionary<string, object> entries) : IReadOnlyDictionary<string, object>, IEquatable<ValueMap>
{
    public static readonly ValueMap Empty = new(new Dictionary<string, object>());

    public int Count => entries.Count;

    public IEnumerable<string> Keys => entries.Keys;

    public IEnumerable<object> Values => entries.Values;

    public object this[string key] => entries[key];

    public static IReadOnlyDictionary<string, object> Of(IReadOnlyDictionary<string, object>? entries) => entries switch
    {
        null or { Count: 0 } => Empty,
        ValueMap map => map,
        _ => new ValueMap(new SortedDictionary<string, object>(entries.ToDictionary(), StringComparer.Ordinal)),
    };

    public bool ContainsKey(string key) => entries.ContainsKey(key);

    public bool TryGetValue(string key, out object value) => entries.TryGetValue(key, out value!);

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ValueMap? other) =>
        other is not null && Count == other.Count && entries.All(p => other.TryGetValue(p.Key, out var v) && Equals(p.Value, v));

    public override bool Equals(object? obj) => Equals(obj as ValueMap);

    public override int GetHashCode() => entries.OrderBy(p => p.Key, StringComparer.Ordinal).Aggregate(Count, (hash, p) => HashCode.Combine(hash, p.Key, p.Value));

    public override string ToString() => string.Join(", ", entries.Select(p => $"{p.Key}={p.Value}"));
}
