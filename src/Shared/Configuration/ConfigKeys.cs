#nullable enable
using System.Collections.Generic;

namespace Lineage.Configuration;

/// <summary>
/// The settings a Lineage config file holds, read by the runtime (<c>ConfigFile</c>) and checked by the analyzers
/// (<c>ProjectStorageFile</c>, for <c>lineage.json</c>) from this one list.
/// </summary>
internal static class ConfigKeys
{
    public const string DatabaseUrl = "database_url";
    public const string ArtifactStorageDir = "artifact_storage_dir";
    public const string StorageOptions = "storage_options";
    public const string LocalStorage = "local_storage";
    public const string Host = "host";

    /// <summary>The settings a project file (<c>lineage.json</c>) may hold: those describing the project's storage.</summary>
    public static readonly IReadOnlyList<string> ProjectKeys = [ArtifactStorageDir, DatabaseUrl, StorageOptions];

    /// <summary>Every setting a user config file may hold.</summary>
    public static readonly IReadOnlyList<string> AllKeys = [ArtifactStorageDir, DatabaseUrl, StorageOptions, LocalStorage, Host];

    /// <summary>True for a setting that describes a machine, not a project, and so never belongs in a project file.</summary>
    public static bool IsMachineSetting(string key) => key is LocalStorage or Host;

    /// <summary>Why a machine setting in the project file <paramref name="origin"/> is refused.</summary>
    public static string MachineSettingInProject(string key, string origin) =>
        $"'{key}' in the project configuration '{origin}' describes a machine, not a project: set it in the user config file, the environment or code";

    /// <summary>"Known settings[ in a project file]: a, b, c", ending an unknown-setting message.</summary>
    public static string KnownSettings(bool projectFile) =>
        $"Known settings{(projectFile ? " in a project file" : string.Empty)}: {string.Join(", ", projectFile ? ProjectKeys : AllKeys)}";
}
