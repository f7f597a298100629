namespace Lineage.Configuration;

/// <summary>
/// The settings one configuration level states. Relative paths in it resolve against
/// <see cref="BaseDirectory"/> (the working directory for code and environment, the file's folder for files).
/// </summary>
internal sealed record ConfigLayer(
    SettingSource Source,
    string BaseDirectory,
    string? DatabaseUrl = null,
    string? ArtifactStorageDir = null,
    IReadOnlyDictionary<string, string>? StorageOptions = null,
    string? LocalStorage = null,
    string? Host = null);
