using System.Text.Json;

namespace Lineage.Configuration;

/// <summary>
/// Reads a Lineage config file: a JSON object with the LineaPy keys <c>artifact_storage_dir</c>,
/// <c>database_url</c> and <c>storage_options</c>, and the LaminDB settings <c>local_storage</c> and <c>host</c>.
/// </summary>
internal static class ConfigFile
{
    public const string DatabaseUrlKey = ConfigKeys.DatabaseUrl;
    public const string ArtifactStorageDirKey = ConfigKeys.ArtifactStorageDir;
    public const string StorageOptionsKey = ConfigKeys.StorageOptions;
    public const string LocalStorageKey = ConfigKeys.LocalStorage;
    public const string HostKey = ConfigKeys.Host;

    private static readonly JsonDocumentOptions ParseOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The layer the file at <paramref name="path"/> states, or <see langword="null"/> when there is no file.</summary>
    public static ConfigLayer? TryRead(string path, SettingSource source)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new LineageConfigurationException($"Cannot read the Lineage config file '{path}': {e.Message}", e);
        }

        return Parse(text, path, source, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    public static ConfigLayer Parse(string json, string origin, SettingSource source, string baseDirectory)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, ParseOptions);
        }
        catch (JsonException e)
        {
            var line = (e.LineNumber ?? 0) + 1;
            var column = (e.BytePositionInLine ?? 0) + 1;
            throw new LineageConfigurationException($"The Lineage config file '{origin}' is not valid JSON (line {line}, column {column}): {e.Message}", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new LineageConfigurationException($"The Lineage config file '{origin}' must hold a JSON object, e.g. {{\"artifact_storage_dir\": \"...\", \"database_url\": \"...\"}}.");
            }

            string? databaseUrl = null;
            string? storageDir = null;
            Dictionary<string, string>? storageOptions = null;
            string? localStorage = null;
            string? host = null;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                switch (property.Name)
                {
                    case DatabaseUrlKey:
                        databaseUrl = ReadString(property, origin);
                        break;
                    case ArtifactStorageDirKey:
                        storageDir = ReadString(property, origin);
                        break;
                    case StorageOptionsKey:
                        storageOptions = ReadStorageOptions(property, origin);
                        break;
                    case LocalStorageKey or HostKey when source == SettingSource.ProjectConfig:
                        throw new LineageConfigurationException(ConfigKeys.MachineSettingInProject(property.Name, origin) + ".");
                    case LocalStorageKey:
                        localStorage = ReadString(property, origin);
                        break;
                    case HostKey:
                        host = ReadString(property, origin);
                        break;
                    default:
                        // A project file takes only the project's settings: listing machine settings there would invite the error above.
                        throw new LineageConfigurationException(
                            $"The Lineage config file '{origin}' has the unknown setting '{property.Name}'. {ConfigKeys.KnownSettings(source == SettingSource.ProjectConfig)}.");
                }
            }

            return new ConfigLayer(source, baseDirectory, databaseUrl, storageDir, storageOptions, localStorage, host);
        }
    }

    private static string? ReadString(JsonProperty property, string origin) => property.Value.ValueKind switch
    {
        JsonValueKind.String => property.Value.GetString(),
        JsonValueKind.Null => null,
        _ => throw new LineageConfigurationException($"'{property.Name}' in '{origin}' must be a string, not {property.Value.ValueKind}."),
    };

    private static Dictionary<string, string> ReadStorageOptions(JsonProperty property, string origin)
    {
        if (property.Value.ValueKind != JsonValueKind.Object)
        {
            throw new LineageConfigurationException($"'{StorageOptionsKey}' in '{origin}' must be a JSON object of option names to values.");
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in property.Value.EnumerateObject())
        {
            options[option.Name] = option.Value.ValueKind switch
            {
                JsonValueKind.String => option.Value.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                JsonValueKind.Number => option.Value.GetRawText(),
                _ => throw new LineageConfigurationException(
                    $"Storage option '{option.Name}' in '{origin}' must be a string, number or boolean, not {option.Value.ValueKind}."),
            };
        }

        StorageOptionKeys.Validate(options.Keys, $"'{origin}'");
        return options;
    }
}
