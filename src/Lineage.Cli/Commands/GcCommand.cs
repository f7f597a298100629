using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage gc</c>: files under the storage root's <c>.lineage/</c> that no metadata row points to.</summary>
public static class GcCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var delete = new Option<bool>("--delete") { Description = "Remove the unreferenced files (default: only list them)" };
        var minutes = new Option<int>("--older-than") { Description = "Only files last written at least this many minutes ago (a save in flight writes its value before its row)", DefaultValueFactory = _ => 60 };
        var command = new Command("gc", "List (or --delete) value files in the storage root that no artifact points to") { delete, minutes };
        command.SetAction(async (parsed, ct) =>
        {
            if (parsed.GetValue(minutes) < 0)
            {
                throw new UsageException("--older-than takes a number of minutes, 0 or more.");
            }

            var terminal = Terminal.For(parsed, globals);
            var deleting = parsed.GetValue(delete);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var found = await store.FindUnreferencedValuesAsync(TimeSpan.FromMinutes(parsed.GetValue(minutes)), deleting, ct);
            if (terminal.IsJson)
            {
                terminal.WriteJson(new
                {
                    Root = store.Options.ArtifactStorageDir,
                    Deleted = deleting,
                    Files = found.Select(f => new { f.Key, f.Size, f.LastModified }),
                    TotalSize = found.Sum(f => f.Size),
                });
                return 0;
            }

            if (found.Count == 0)
            {
                terminal.Line($"No unreferenced files in {store.Options.ArtifactStorageDir}.");
                return 0;
            }

            terminal.Table(["KEY", "SIZE", "MODIFIED"], found.Select(f => (IReadOnlyList<string>)[f.Key, Formats.Size(f.Size), Formats.Time(f.LastModified)]));
            var total = Formats.Size(found.Sum(f => f.Size));
            terminal.Line(deleting
                ? $"Deleted {found.Count} unreferenced file(s), {total}, from {store.Options.ArtifactStorageDir}."
                : $"{found.Count} unreferenced file(s), {total}, in {store.Options.ArtifactStorageDir}; run again with --delete to remove them.");
            return 0;
        });
        return command;
    }
}
