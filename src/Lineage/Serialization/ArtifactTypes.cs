using System.Collections.Concurrent;
using System.ComponentModel;

namespace Lineage.Serialization;

/// <summary>
/// The member layout of each <c>[Artifact]</c> type, registered by generated code at start-up. A save records
/// the layout; a load compares it with the current one, so a value saved by an older shape loads when members
/// were only added at the end, and otherwise fails naming what changed.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ArtifactTypes
{
    private static readonly ConcurrentDictionary<Type, string> Schemas = new();

    /// <summary>Called by generated code: <paramref name="schema"/> is <c>member:type</c> pairs in serialization order, separated by <c>;</c>.</summary>
    public static void Register<T>(string schema) => Schemas[typeof(T)] = schema;

    internal static string? SchemaOf(Type type) => Schemas.TryGetValue(type, out var schema) ? schema : null;

    /// <summary>Why a value written with <paramref name="saved"/> cannot be read with <paramref name="current"/>, or null when it can.</summary>
    internal static string? Incompatibility(string saved, string current)
    {
        var before = Split(saved);
        var now = Split(current);
        var problems = new List<string>();
        for (var i = 0; i < before.Length; i++)
        {
            var (name, type) = before[i];
            var match = Array.FindIndex(now, m => m.Name == name);
            if (match < 0)
            {
                problems.Add(i >= now.Length
                    ? $"'{name}' ({type}) is not in this version of the type: the value was saved by a newer version, or the member was removed"
                    : $"'{name}' ({type}) was removed or renamed");
            }
            else if (now[match].Type != type)
            {
                problems.Add($"'{name}' changed type from {type} to {now[match].Type}");
            }
            else if (match != i)
            {
                problems.Add($"'{name}' moved from position {i + 1} to {match + 1}");
            }
        }

        return problems.Count == 0
            ? null
            : string.Join("; ", problems) + ". Only members added after the existing ones keep old values loadable.";
    }

    private static (string Name, string Type)[] Split(string schema) =>
        [.. schema.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(member =>
        {
            var colon = member.IndexOf(':', StringComparison.Ordinal);
            return (member[..colon], member[(colon + 1)..]);
        })];
}
