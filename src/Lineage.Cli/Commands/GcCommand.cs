using System.CommandLine;
using Lineage.Cli.Output;
using Spectre.Console;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage gc</c>: files under the storage root's <c>.lineage/</c> that no metadata row points to, and S3 uploads there never finished.</summary>
public static class GcCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var delete = new Option<bool>("--delete") { Description = "Remove the unreferenced files (default: only list them)" };
        var minutes = new Option<int>("--older-than") { Description = "Only files and uploads last written at least this many minutes ago (a save in flight writes its value before its row)", DefaultValueFactory = _ => 60 };
        var command = new Command("gc", "List (or --delete) value files no artifact points to and unfinished S3 uploads, in every storage location this instance writes") { delete, minutes };
        command.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(minutes) < 0)
            {
                throw new UsageException("--older-than takes a number of minutes, 0 or more.");
            }

            var terminal = Terminal.For(parsed, globals);
            var deleting = parsed.GetValue(delete);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var minimumAge = TimeSpan.FromMinutes(parsed.GetValue(minutes));
            IReadOnlyList<UnreferencedValue> found = null!;
            if (deleting && terminal.IsTerminal && !terminal.IsJson)
            {
                await terminal.Console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask("Removing", maxValue: 1);
                        found = await store.FindUnreferencedValuesAsync(minimumAge, delete: true, new InlineProgress<RemovalProgress>(p =>
                        {
                            task.MaxValue = Math.Max(1, p.BytesTotal);
                            task.Value = p.BytesRemoved;
                            task.Description = Markup.Escape(p.Current.Key);
                        }), ct);
                        task.Value = task.MaxValue;
                    });
            }
            else
            {
                found = await store.FindUnreferencedValuesAsync(minimumAge, deleting, ct);
            }

            var files = found.Where(f => f.Kind == UnreferencedValueKind.File).ToList();
            var uploads = found.Where(f => f.Kind == UnreferencedValueKind.Upload).ToList();
            if (terminal.IsJson)
            {
                terminal.WriteJson(new
                {
                    Root = store.Options.ArtifactStorageDir,
                    Deleted = deleting,
                    Files = files.Select(f => new { f.Root, f.Key, f.Size, f.LastModified }),
                    Uploads = uploads.Select(u => new { u.Root, u.Key, u.UploadId, u.Size, u.LastModified }),
                    TotalSize = found.Sum(f => f.Size),
                });
                return 0;
            }

            if (found.Count == 0)
            {
                terminal.Line($"No unreferenced files in the storage locations this instance writes ({store.Options.ArtifactStorageDir}{(store.Storages.List().Count > 1 ? " and others" : string.Empty)}).");
                return 0;
            }

            var roots = found.Select(f => f.Root).Distinct(StringComparer.Ordinal).ToList();
            if (roots.Count == 1)
            {
                terminal.Table(["KEY", "SIZE", "MODIFIED"], found.Select(f => (IReadOnlyList<string>)[Shown(f), Formats.Size(f.Size), Formats.Time(f.LastModified)]));
            }
            else
            {
                terminal.Table(["KEY", "SIZE", "MODIFIED", "ROOT"], found.Select(f => (IReadOnlyList<string>)[Shown(f), Formats.Size(f.Size), Formats.Time(f.LastModified), f.Root]));
            }

            var total = Formats.Size(found.Sum(f => f.Size));
            var where = roots.Count == 1 ? roots[0] : $"{roots.Count} storage locations";
            var andUploads = uploads.Count == 0 ? string.Empty : $" and {(deleting ? "aborted " : string.Empty)}{uploads.Count} unfinished upload(s)";
            terminal.Line(deleting
                ? $"Deleted {files.Count} unreferenced file(s){andUploads}, {total}, from {where}."
                : $"{files.Count} unreferenced file(s){andUploads}, {total}, in {where}; run again with --delete to remove them.");
            return 0;
        });
        return command;
    }

    // An upload has no object at its key: saying so keeps anyone from looking for a file there.
    private static string Shown(UnreferencedValue value) =>
        value.Kind == UnreferencedValueKind.Upload ? $"{value.Key} (unfinished upload)" : value.Key;
}
