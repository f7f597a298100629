using System.Globalization;
using System.Text;
using Lineage.Configuration;

namespace Lineage;

/// <summary>
/// The settings an <see cref="ArtifactStore"/> runs with, each with the level it came from.
/// Paths are absolute. <see cref="ToString"/> masks passwords and secret storage options.
/// </summary>
public sealed class ResolvedOptions
{
    internal ResolvedOptions(
        (string Value, SettingSource Source) home,
        DatabaseLocation database,
        SettingSource databaseSource,
        StorageLocation storage,
        SettingSource storageSource,
        IReadOnlyDictionary<string, string> storageOptions,
        SettingSource storageOptionsSource,
        string userConfigPath)
    {
        Home = home.Value;
        HomeSource = home.Source;
        Database = database;
        DatabaseUrlSource = databaseSource;
        Storage = storage;
        ArtifactStorageDirSource = storageSource;
        StorageOptions = storageOptions;
        StorageOptionsSource = storageOptionsSource;
        UserConfigPath = userConfigPath;
    }

    /// <summary>Lineage's home folder.</summary>
    public string Home { get; }

    /// <summary>Where <see cref="Home"/> came from.</summary>
    public SettingSource HomeSource { get; }

    /// <summary>The metadata database URL (SQLite paths made absolute). May hold a password: show <see cref="MaskedDatabaseUrl"/>.</summary>
    public string DatabaseUrl => Database.Url;

    /// <summary>The database URL with any password replaced by <c>***</c>.</summary>
    public string MaskedDatabaseUrl => Database.MaskedUrl;

    /// <summary>Where <see cref="DatabaseUrl"/> came from.</summary>
    public SettingSource DatabaseUrlSource { get; }

    /// <summary>The root new artifact values are written to (absolute for local folders).</summary>
    public string ArtifactStorageDir => Storage.Root;

    /// <summary>Where <see cref="ArtifactStorageDir"/> came from.</summary>
    public SettingSource ArtifactStorageDirSource { get; }

    /// <summary>Storage settings; may hold secrets.</summary>
    public IReadOnlyDictionary<string, string> StorageOptions { get; }

    /// <summary>The storage options with secrets (those a backend declares so: S3's <c>key</c>, <c>secret</c>, <c>session_token</c>; Azure's <c>account_key</c>, <c>sas_token</c>, <c>connection_string</c>) and URL passwords replaced by <c>***</c>: the form to show.</summary>
    public IReadOnlyDictionary<string, string> MaskedStorageOptions =>
        StorageOptions.ToDictionary(o => o.Key, o => StorageOptionKeys.IsSecret(o.Key) ? "***" : Backends.UrlText.Mask(o.Value), StringComparer.Ordinal);

    /// <summary>Where <see cref="StorageOptions"/> came from.</summary>
    public SettingSource StorageOptionsSource { get; }

    /// <summary>The local root new artifacts are written to before upload (keep-artifacts-local mode); null when not set.</summary>
    public string? LocalStorageDir => LocalStorage?.Root;

    /// <summary>Where <see cref="LocalStorageDir"/> came from; null when it is not set.</summary>
    public SettingSource? LocalStorageSource { get; init; }

    /// <summary>This machine's identifier for local storage roots (default: the machine name).</summary>
    public string Host { get; init; } = Environment.MachineName;

    /// <summary>Where <see cref="Host"/> came from.</summary>
    public SettingSource HostSource { get; init; } = SettingSource.Default;

    /// <summary>The user this store acts as: <c>LINEAGE_USER</c>, or the OS user.</summary>
    public string User { get; init; } = Environment.UserName;

    /// <summary>Where <see cref="User"/> came from.</summary>
    public SettingSource UserSource { get; init; } = SettingSource.Default;

    /// <summary>The project's lineage.json read as the project configuration level (<see cref="LineageOptions.ProjectConfigFile"/>); null when the level came from the entry assembly.</summary>
    public string? ProjectConfigFile { get; init; }

    /// <summary>The user config file that was (or would have been) read: <c>{Home}/config.json</c>.</summary>
    public string UserConfigPath { get; }

    internal DatabaseLocation Database { get; }

    internal StorageLocation Storage { get; }

    internal StorageLocation? LocalStorage { get; init; }

    /// <summary>A one-setting-per-line summary with secrets masked.</summary>
    public override string ToString()
    {
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"home: {Home} ({HomeSource})")
            .AppendLine(CultureInfo.InvariantCulture, $"database_url: {MaskedDatabaseUrl} ({DatabaseUrlSource})")
            .AppendLine(CultureInfo.InvariantCulture, $"artifact_storage_dir: {ArtifactStorageDir} ({ArtifactStorageDirSource})");
        if (LocalStorageDir is { } local)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"local_storage: {local} ({LocalStorageSource})");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"host: {Host} ({HostSource})")
            .AppendLine(CultureInfo.InvariantCulture, $"user: {User} ({UserSource})");
        var options = MaskedStorageOptions.Select(o => $"{o.Key}={o.Value}");
        return text.Append(CultureInfo.InvariantCulture, $"storage_options: {{{string.Join(", ", options)}}} ({StorageOptionsSource})").ToString();
    }
}
