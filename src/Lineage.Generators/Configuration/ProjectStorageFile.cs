using System.Collections.Generic;
using System.Linq;
using Lineage.Configuration;

namespace Lineage.Generators.Configuration;

/// <summary>What a <c>lineage.json</c> states, with the JSON nodes kept for diagnostics.</summary>
internal sealed class ProjectStorageFile
{
    public const string FileName = "lineage.json";

    public JsonNode? DatabaseUrl { get; private set; }

    public JsonNode? ArtifactStorageDir { get; private set; }

    public JsonObject? StorageOptions { get; private set; }

    /// <summary>Top-level keys that are not settings, and values of the wrong shape: (node, message).</summary>
    public List<(JsonNode Node, string Message)> ShapeProblems { get; } = [];

    /// <summary>Reads the file; throws <see cref="JsonSyntaxException"/> for text that is not JSON.</summary>
    public static ProjectStorageFile Read(string text)
    {
        var file = new ProjectStorageFile();
        if (JsonReader.Parse(text) is not JsonObject root)
        {
            throw new JsonSyntaxException("the file must hold a JSON object, e.g. {\"artifact_storage_dir\": \"...\", \"database_url\": \"...\"}", 0);
        }

        foreach (var property in root.Properties)
        {
            switch (property.Name)
            {
                case ConfigKeys.DatabaseUrl:
                    file.DatabaseUrl = property.Value;
                    break;
                case ConfigKeys.ArtifactStorageDir:
                    file.ArtifactStorageDir = property.Value;
                    break;
                case ConfigKeys.StorageOptions when property.Value is JsonObject options:
                    file.StorageOptions = options;
                    file.ShapeProblems.AddRange(options.Properties
                        .Where(option => option.Value is not JsonString and not JsonScalar || option.Value is JsonScalar { Text: "null" })
                        .Select(option => (option.Value, $"storage option '{option.Name}' must be a string, number or boolean")));
                    break;
                case ConfigKeys.StorageOptions:
                    file.ShapeProblems.Add((property.Value, "'storage_options' must be an object of option names to values"));
                    break;
                case var key when ConfigKeys.IsMachineSetting(key):
                    file.ShapeProblems.Add((new JsonScalar(property.Name, property.NameSpan), ConfigKeys.MachineSettingInProject(key, FileName)));
                    break;
                default:
                    file.ShapeProblems.Add((new JsonScalar(property.Name, property.NameSpan), $"unknown setting '{property.Name}'. {ConfigKeys.KnownSettings(projectFile: true)}"));
                    break;
            }
        }

        return file;
    }

    public static string? StringOf(JsonNode? node) => node is JsonString text ? text.Value : null;

    /// <summary>The storage options as key=value pairs, as compiled into the program.</summary>
    public IEnumerable<string> OptionPairs() =>
        StorageOptions?.Properties.Where(p => p.Value is JsonString or JsonScalar { Text: not "null" })
            .Select(p => p.Name + "=" + (p.Value is JsonString s ? s.Value : ((JsonScalar)p.Value).Text)) ?? [];
}
