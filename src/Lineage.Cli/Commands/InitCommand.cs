using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage init</c>: writes <c>{Home}/config.json</c> and creates the store it names.</summary>
public static class InitCommand
{
    private static readonly string[] OverridingVariables = ["LINEAGE_DATABASE_URL", "LINEAGE_ARTIFACT_STORAGE_DIR"];

    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var force = new Option<bool>("--force") { Description = "Overwrite an existing config.json" };
        var command = new Command("init", "Write {home}/config.json (from --database/--storage, else the defaults) and create the store") { force };
        command.SetAction(async (parsed, ct) =>
        {
            var terminal = Terminal.For(parsed, globals);
            var given = globals.StoreOptions(parsed);
            // The home comes from --home, LINEAGE_HOME or the default; what --database/--storage leave out becomes this
            // home's defaults, not whatever the environment says today. Paths are written absolute.
            var home = ArtifactStore.ResolveOptions(new LineageOptions { Home = given.Home, DatabaseUrl = "sqlite:///db.sqlite", ArtifactStorageDir = "artifacts" }).Home;
            var resolved = ArtifactStore.ResolveOptions(new LineageOptions
            {
                Home = home,
                DatabaseUrl = given.DatabaseUrl ?? "sqlite:///" + Path.Combine(home, "db.sqlite").Replace('\\', '/'),
                ArtifactStorageDir = given.ArtifactStorageDir ?? Path.Combine(home, "artifacts"),
            });
            var databaseUrl = resolved.DatabaseUrl;
            var storageDir = resolved.ArtifactStorageDir;

            var configPath = Path.Combine(home, "config.json");
            if (File.Exists(configPath) && !parsed.GetValue(force))
            {
                throw new LineageException($"{configPath} already exists; run 'lineage init --force' to overwrite it, or 'lineage config' to see what it sets.");
            }

            var config = new JsonObject { ["database_url"] = databaseUrl, ["artifact_storage_dir"] = storageDir };
            Directory.CreateDirectory(home);
            var temporary = configPath + ".partial";
            await File.WriteAllTextAsync(temporary, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine, ct);
            File.Move(temporary, configPath, overwrite: true);

            await using (var store = await ArtifactStore.OpenAsync(new LineageOptions { Home = home, DatabaseUrl = databaseUrl, ArtifactStorageDir = storageDir }, ct))
            {
                if (terminal.IsJson)
                {
                    terminal.WriteJson(new { Home = home, ConfigFile = configPath, DatabaseUrl = store.Options.MaskedDatabaseUrl, ArtifactStorageDir = store.Options.ArtifactStorageDir, store.InstanceUid });
                }
                else
                {
                    terminal.Line($"Wrote {configPath}");
                    terminal.Line($"  database_url:         {store.Options.MaskedDatabaseUrl}");
                    terminal.Line($"  artifact_storage_dir: {store.Options.ArtifactStorageDir}");
                    terminal.Line($"Store ready (instance {store.InstanceUid}).");
                }
            }

            foreach (var variable in OverridingVariables)
            {
                if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)))
                {
                    await terminal.Error.WriteLineAsync($"note: {variable} is set in this environment and takes precedence over config.json.");
                }
            }

            return 0;
        });
        return command;
    }
}
