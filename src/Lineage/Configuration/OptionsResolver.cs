namespace Lineage.Configuration;

/// <summary>
/// Resolves each setting from the highest level that states it:
/// explicit options &gt; environment &gt; project config &gt; user config file &gt; defaults.
/// </summary>
internal static class OptionsResolver
{
    public const string HomeVariable = "LINEAGE_HOME";
    public const string DatabaseUrlVariable = "LINEAGE_DATABASE_URL";
    public const string ArtifactStorageDirVariable = "LINEAGE_ARTIFACT_STORAGE_DIR";
    public const string LocalStorageVariable = "LINEAGE_LOCAL_STORAGE";
    public const string HostVariable = "LINEAGE_HOST";
    public const string UserVariable = "LINEAGE_USER";
    public const string UserConfigFileName = "config.json";

    /// <summary>Resolves against this process's environment, working directory and user profile.</summary>
    public static ResolvedOptions Resolve(LineageOptions? options) =>
        Resolve(
            options,
            Environment.GetEnvironmentVariable,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify),
            Directory.GetCurrentDirectory(),
            options?.ProjectConfigFile is { } projectFile
                ? ProjectConfigurationFile(projectFile)
                : ProjectConfiguration.FromEntryAssembly(Directory.GetCurrentDirectory()));

    private static ConfigLayer ProjectConfigurationFile(string path)
    {
        var full = Path.GetFullPath(path);
        return ConfigFile.TryRead(full, SettingSource.ProjectConfig)
            ?? throw new LineageConfigurationException($"The project configuration file '{full}' does not exist.");
    }

    public static ResolvedOptions Resolve(
        LineageOptions? options,
        Func<string, string?> environment,
        string userHome,
        string workingDirectory,
        ConfigLayer? projectConfig = null)
    {
        options ??= new LineageOptions();

        var home = First(
            (options.Home, SettingSource.Explicit),
            (environment(HomeVariable), SettingSource.Environment))
            is { } stated
            ? (LocalPaths.Resolve(stated.Value, workingDirectory, userHome), stated.Source)
            : (Path.Combine(userHome, ".lineage"), SettingSource.Default);

        var userConfigPath = Path.Combine(home.Item1, UserConfigFileName);
        ConfigLayer?[] layers =
        [
            new ConfigLayer(SettingSource.Explicit, workingDirectory, options.DatabaseUrl, options.ArtifactStorageDir,
                options.StorageOptions.Count > 0 ? new Dictionary<string, string>(options.StorageOptions) : null,
                options.LocalStorage, options.Host),
            new ConfigLayer(SettingSource.Environment, workingDirectory,
                environment(DatabaseUrlVariable), environment(ArtifactStorageDirVariable),
                LocalStorage: environment(LocalStorageVariable), Host: environment(HostVariable)),
            projectConfig,
            ConfigFile.TryRead(userConfigPath, SettingSource.UserConfig),
            new ConfigLayer(SettingSource.Default, home.Item1,
                "sqlite:///" + LocalPaths.ToUrlPath(Path.Combine(home.Item1, "db.sqlite")),
                Path.Combine(home.Item1, "artifacts"),
                new Dictionary<string, string>(),
                Host: Environment.MachineName),
        ];

        var databaseLayer = layers.First(l => !string.IsNullOrWhiteSpace(l?.DatabaseUrl))!;
        var storageLayer = layers.First(l => !string.IsNullOrWhiteSpace(l?.ArtifactStorageDir))!;
        var optionsLayer = layers.First(l => l?.StorageOptions is not null)!;
        var localLayer = layers.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l?.LocalStorage));
        var hostLayer = layers.First(l => !string.IsNullOrWhiteSpace(l?.Host))!;
        var user = First((options.User, SettingSource.Explicit), (environment(UserVariable), SettingSource.Environment))
            ?? (Environment.UserName, SettingSource.Default);

        StorageLocation? localStorage = null;
        if (localLayer is not null)
        {
            localStorage = StorageLocation.Parse(localLayer.LocalStorage!, localLayer.BaseDirectory, userHome);
            if (!localStorage.IsLocal)
            {
                throw new LineageConfigurationException(
                    $"local_storage '{Backends.UrlText.Mask(localLayer.LocalStorage!)}' (from {Describe(localLayer.Source)}) must be a local folder: it is where artifacts stay before they are uploaded to artifact_storage_dir.");
            }
        }

        StorageOptionKeys.Validate(optionsLayer.StorageOptions!.Keys, "the storage options of " + Describe(optionsLayer.Source));

        return new ResolvedOptions(
            home,
            DatabaseLocation.Parse(databaseLayer.DatabaseUrl!, databaseLayer.BaseDirectory, userHome),
            databaseLayer.Source,
            StorageLocation.Parse(storageLayer.ArtifactStorageDir!, storageLayer.BaseDirectory, userHome),
            storageLayer.Source,
            optionsLayer.StorageOptions!,
            optionsLayer.Source,
            userConfigPath)
        {
            LocalStorage = localStorage,
            LocalStorageSource = localLayer?.Source,
            Host = hostLayer.Host!.Trim(),
            HostSource = hostLayer.Source,
            User = user.Value.Trim(),
            UserSource = user.Source,
            ProjectConfigFile = options.ProjectConfigFile is { } projectFile ? Path.GetFullPath(projectFile, workingDirectory) : null,
        };
    }

    private static (string Value, SettingSource Source)? First(params (string? Value, SettingSource Source)[] candidates)
    {
        foreach (var (value, source) in candidates)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                return (value, source);
            }
        }

        return null;
    }

    /// <summary>Where a setting came from, as an error message names it.</summary>
    private static string Describe(SettingSource source) => source switch
    {
        SettingSource.Explicit => "the LineageOptions given in code",
        SettingSource.Environment => "the environment (LINEAGE_* variables)",
        SettingSource.ProjectConfig => "the project configuration ([assembly: ArtifactStorage] or lineage.json)",
        SettingSource.UserConfig => "the user config file",
        _ => "the defaults",
    };
}
