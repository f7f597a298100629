using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage config</c>: each resolved setting, where it came from, secrets masked. Connects to nothing.</summary>
public static class ConfigCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("config", "Show each resolved setting and where it came from (secrets masked)");
        command.SetAction(parsed =>
        {
            var terminal = Terminal.For(parsed, globals);
            var options = ArtifactStore.ResolveOptions(globals.StoreOptions(parsed));
            var storageOptions = new SortedDictionary<string, string>(new Dictionary<string, string>(options.MaskedStorageOptions), StringComparer.Ordinal);
            if (terminal.IsJson)
            {
                terminal.WriteJson(new ConfigJson(
                    new Setting<string>(options.Home, Formats.Source(options.HomeSource)),
                    new Setting<string>(options.MaskedDatabaseUrl, Formats.Source(options.DatabaseUrlSource)),
                    new Setting<string>(options.ArtifactStorageDir, Formats.Source(options.ArtifactStorageDirSource)),
                    new Setting<IReadOnlyDictionary<string, string>>(storageOptions, Formats.Source(options.StorageOptionsSource)),
                    new Setting<string?>(options.LocalStorageDir, options.LocalStorageSource is { } localSource ? Formats.Source(localSource) : "unset"),
                    new Setting<string>(options.Host, Formats.Source(options.HostSource)),
                    new Setting<string>(options.User, Formats.Source(options.UserSource)),
                    options.UserConfigPath,
                    File.Exists(options.UserConfigPath),
                    options.ProjectConfigFile));
                return 0;
            }

            terminal.Table(
                ["SETTING", "VALUE", "SOURCE"],
                [
                    ["home", options.Home, Formats.Source(options.HomeSource)],
                    ["database_url", options.MaskedDatabaseUrl, Formats.Source(options.DatabaseUrlSource)],
                    ["artifact_storage_dir", options.ArtifactStorageDir, Formats.Source(options.ArtifactStorageDirSource)],
                    ["storage_options", storageOptions.Count == 0 ? "{}" : string.Join(", ", storageOptions.Select(o => $"{o.Key}={o.Value}")), Formats.Source(options.StorageOptionsSource)],
                    ["local_storage", options.LocalStorageDir ?? "-", options.LocalStorageSource is { } source ? Formats.Source(source) : "unset"],
                    ["host", options.Host, Formats.Source(options.HostSource)],
                    ["user", options.User, Formats.Source(options.UserSource)],
                ]);
            terminal.Line();
            if (options.ProjectConfigFile is { } projectFile)
            {
                terminal.Line($"project config file: {projectFile}");
            }

            terminal.Line($"user config file: {options.UserConfigPath}{(File.Exists(options.UserConfigPath) ? string.Empty : " (absent)")}");
            return 0;
        });
        return command;
    }

    private sealed record Setting<T>(T Value, string Source);

    private sealed record ConfigJson(
        Setting<string> Home,
        Setting<string> DatabaseUrl,
        Setting<string> ArtifactStorageDir,
        Setting<IReadOnlyDictionary<string, string>> StorageOptions,
        Setting<string?> LocalStorage,
        Setting<string> Host,
        Setting<string> User,
        string UserConfigFile,
        bool UserConfigFileExists,
        string? ProjectConfigFile);
}
