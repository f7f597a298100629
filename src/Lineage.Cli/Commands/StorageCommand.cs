using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lineage.Cli.Output;
using Spectre.Console;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage storage ls|add|default|rm|migrate</c>: the registry of storage locations.</summary>
public static class StorageCommand
{
    /// <summary>Builds the command and its subcommands.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("storage", "List, add, switch, remove and migrate storage locations");
        command.Add(List(globals));
        command.Add(Add(globals));
        command.Add(Default(globals));
        command.Add(Remove(globals));
        command.Add(Migrate(globals));
        return command;
    }

    private static Command List(GlobalOptions globals)
    {
        var command = new Command("ls", "Every registered storage location, who writes it, and which one new artifacts go to");
        command.SetAction(async (parsed, ct) =>
        {
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var locations = await store.Storages.ListAsync(ct);
            var rows = locations.Select(s => new StorageJson(s, store)).ToList();
            if (terminal.IsJson)
            {
                terminal.WriteJson(rows);
                return 0;
            }

            terminal.Table(
                ["", "ROOT", "TYPE", "HOST", "WRITER", "SPACE", "DESCRIPTION"],
                rows.Select(r => (IReadOnlyList<string>)
                    [r.IsDefault ? "*" : r.IsLocalStorage ? "L" : string.Empty, r.Root, r.Type, r.Host ?? "-", Writer(r), r.Space, r.Description ?? string.Empty]));
            terminal.Line();
            terminal.Line("* default location for new artifacts" + (store.Storages.Local is null ? string.Empty : "; L local location (keep-artifacts-local)"));
            return 0;
        });
        return command;
    }

    private static Command Add(GlobalOptions globals)
    {
        var root = new Argument<string>("root") { Description = "A folder, s3://bucket/prefix or az://container/prefix" };
        var description = new Option<string?>("--description") { Description = "What the location is for" };
        var host = new Option<string?>("--host") { Description = "For a folder: the machine it is on (default: this one)" };
        var command = new Command("add", "Register a storage location (claimed for this instance when it has no owner)") { root, description, host };
        command.SetAction(async (parsed, ct) =>
        {
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var storage = await store.Storages.AddAsync(parsed.GetValue(root)!, parsed.GetValue(description), parsed.GetValue(host), ct);
            var row = new StorageJson(storage, store);
            if (terminal.IsJson)
            {
                terminal.WriteJson(row);
                return 0;
            }

            terminal.Line($"Registered {storage}: {Writer(row)}.");
            return 0;
        });
        return command;
    }

    private static Command Default(GlobalOptions globals)
    {
        var root = new Argument<string>("root") { Description = "A registered location this instance writes" };
        var command = new Command("default", "Make a registered location the default for new artifacts (writes artifact_storage_dir to {home}/config.json)") { root };
        command.SetAction(async (parsed, ct) =>
        {
            var terminal = Terminal.For(parsed, globals);
            string configPath;
            StorageRecord storage;
            await using (var store = await globals.OpenStoreAsync(parsed, ct))
            {
                await store.Storages.SetDefaultAsync(parsed.GetValue(root)!, ct);
                storage = store.Storages.Default;
                configPath = store.Options.UserConfigPath;
            }

            await SetUserSettingAsync(configPath, "artifact_storage_dir", storage.Root, ct);
            var resolved = ArtifactStore.ResolveOptions(globals.StoreOptions(parsed));
            var overridden = resolved.ArtifactStorageDir != storage.Root;
            if (terminal.IsJson)
            {
                terminal.WriteJson(new { Default = storage.Root, ConfigFile = configPath, OverriddenBy = overridden ? Formats.Source(resolved.ArtifactStorageDirSource) : null });
            }
            else
            {
                terminal.Line($"New artifacts go to {storage.Root} (artifact_storage_dir in {configPath}).");
                if (overridden)
                {
                    await terminal.Error.WriteLineAsync(
                        $"note: artifact_storage_dir is also set by the {Formats.Source(resolved.ArtifactStorageDirSource)} ({resolved.ArtifactStorageDir}), which takes precedence over {configPath}.");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command Remove(GlobalOptions globals)
    {
        var root = new Argument<string>("root") { Description = "A registered location with no artifacts" };
        var host = new Option<string?>("--host") { Description = "For a folder: the machine it is on (default: this one)" };
        var command = new Command("rm", "Remove an empty storage location from the registry (refused while artifacts live there)") { root, host };
        command.SetAction(async (parsed, ct) =>
        {
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var storage = await store.Storages.GetAsync(parsed.GetValue(root)!, parsed.GetValue(host), ct);
            await store.Storages.DeleteAsync(storage.Root, permanent: true, storage.Host, ct);
            if (terminal.IsJson)
            {
                terminal.WriteJson(new { Removed = storage.Root, storage.Host });
            }
            else
            {
                terminal.Line($"Removed {storage} from the registry.");
            }

            return 0;
        });
        return command;
    }

    private static Command Migrate(GlobalOptions globals)
    {
        var from = new Argument<string>("from") { Description = "The registered location to move artifacts out of" };
        var to = new Argument<string>("to") { Description = "The location to move them to (registered first if it is not yet)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only show what would move" };
        var deleteSource = new Option<bool>("--delete-source") { Description = "Delete each source value once its artifact points at the verified copy" };
        var batchSize = new Option<int>("--batch-size") { Description = "Artifacts re-pointed per transaction", DefaultValueFactory = _ => 100 };
        var command = new Command("migrate", "Copy every value to another location, verify each copy, and re-point the artifacts (resumable)")
        {
            from, to, dryRun, deleteSource, batchSize,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var source = await store.Storages.GetAsync(parsed.GetValue(from)!, cancellationToken: ct);
            var destination = parsed.GetValue(to)!;
            var options = new MigrationOptions
            {
                DryRun = parsed.GetValue(dryRun),
                DeleteSource = parsed.GetValue(deleteSource),
                BatchSize = parsed.GetValue(batchSize),
                RegisterDestination = true,
            };

            MigrationResult result;
            if (terminal.IsTerminal && !terminal.IsJson && !options.DryRun)
            {
                result = null!;
                await terminal.Console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask("Migrating", maxValue: 1);
                        result = await store.Storages.MigrateAsync(source.Root, destination, options, new BarProgress(task), ct);
                        task.Value = task.MaxValue;
                    });
            }
            else
            {
                result = await store.Storages.MigrateAsync(source.Root, destination, options, progress: null, ct);
            }

            if (terminal.IsJson)
            {
                terminal.WriteJson(new
                {
                    result.From,
                    result.To,
                    result.DryRun,
                    result.Artifacts,
                    result.Bytes,
                    result.Moved,
                    result.BytesCopied,
                    result.Failures,
                    result.DestinationIsNew,
                    result.DestinationUnregistered,
                    Planned = result.Planned.Select(r => new { r.Name, r.Version, Branch = r.Branch.ToString().ToLowerInvariant(), r.Key, r.Size }),
                });
            }
            else if (result.DryRun)
            {
                foreach (var record in result.Planned)
                {
                    terminal.Line($"would {(options.DeleteSource ? "move" : "copy")} {Formats.Reference(record)}  {Formats.Size(record.Size)}  {record.Key}");
                }

                var registers = result.DestinationIsNew ? $" ({result.To} is not registered yet; the real run registers it)" : string.Empty;
                terminal.Line($"Dry run: {result.Artifacts} artifact version(s), {Formats.Size(result.Bytes)}, would {(options.DeleteSource ? "move" : "copy")} from {result.From} to {result.To}{registers}.");
            }
            else
            {
                foreach (var failure in result.Failures)
                {
                    terminal.Line($"FAILED  {failure.Name}@{failure.Version.ToString(CultureInfo.InvariantCulture)}  {failure.Problem}");
                }

                terminal.Line(Summary(result, options, source));
                if (result.DestinationUnregistered)
                {
                    terminal.Line($"{result.To} was registered for this migration; nothing moved into it, so it is not left registered.");
                }
            }

            return result.Failures.Count == 0 ? 0 : LineageCli.Failure;
        });
        return command;
    }

    /// <summary>
    /// What a migration did. Without --delete-source the source values stay; no artifact points at them any more, so gc finds
    /// them in a source this instance writes (files registered in place lie outside .lineage/, and gc leaves them).
    /// </summary>
    private static string Summary(MigrationResult result, MigrationOptions options, StorageRecord source)
    {
        var counts = $"{result.Moved} of {result.Artifacts} artifact version(s) from {result.From} to {result.To} ({Formats.Size(result.BytesCopied)} copied)";
        if (options.DeleteSource)
        {
            return $"Moved {counts}.";
        }

        var cleanup = result.Moved == 0
            ? string.Empty
            : source.IsWritable
                ? $" The source values stay in {result.From}: no artifact points at them any more, so 'lineage gc --delete' removes them (add '--older-than 0' for values written in the last hour); files registered in place are left to you."
                : $" The source values stay in {result.From}, which this instance only reads.";
        return $"Copied {counts}; the artifacts now point at {result.To}.{cleanup}";
    }

    private static string Writer(StorageJson row) =>
        row.WritingInstance is null ? "unmanaged, read-only" : row.IsWritable ? "this instance" : $"instance {row.WritingInstance} (read-only here)";

    /// <summary>Sets one key of the user config file, keeping the others; written to a temporary file and renamed.</summary>
    private static async Task SetUserSettingAsync(string configPath, string key, string value, CancellationToken cancellationToken)
    {
        var config = File.Exists(configPath)
            ? JsonNode.Parse(await File.ReadAllTextAsync(configPath, cancellationToken), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new LineageException($"{configPath} does not hold a JSON object.")
            : [];
        config[key] = value;
        Directory.CreateDirectory(Path.GetDirectoryName(configPath)!);
        var temporary = configPath + ".partial";
        await File.WriteAllTextAsync(temporary, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + Environment.NewLine, cancellationToken);
        File.Move(temporary, configPath, overwrite: true);
    }

    /// <summary>Moves the progress bar as bytes are migrated; called inline by the migration.</summary>
    private sealed class BarProgress(ProgressTask task) : IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value)
        {
            task.MaxValue = Math.Max(1, value.BytesTotal);
            task.Value = value.BytesDone;
            if (value.Current is { } current)
            {
                task.Description = Markup.Escape(current);
            }
        }
    }

    private sealed record StorageJson
    {
        public StorageJson(StorageRecord storage, ArtifactStore store)
        {
            Root = storage.Root;
            Type = storage.Type;
            Host = storage.Host;
            Description = storage.Description;
            Region = storage.Region;
            WritingInstance = storage.InstanceUid;
            IsWritable = storage.IsWritable;
            Space = storage.Space;
            IsDefault = storage.Uid == store.Storages.Default.Uid;
            IsLocalStorage = storage.Uid == store.Storages.Local?.Uid;
            Uid = storage.Uid;
            CreatedAt = storage.CreatedAt;
            CreatedBy = storage.CreatedBy;
        }

        public string Root { get; }
        public string Type { get; }
        public string? Host { get; }
        public string? Description { get; }
        public string? Region { get; }
        public string? WritingInstance { get; }
        public bool IsWritable { get; }
        public string Space { get; }
        public bool IsDefault { get; }
        public bool IsLocalStorage { get; }
        public string Uid { get; }
        public DateTimeOffset CreatedAt { get; }
        public string CreatedBy { get; }
    }
}
