using System.CommandLine;
using System.Globalization;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage trash ls</c> and <c>lineage trash empty [--older-than 7d] [--dry-run]</c>.</summary>
public static class TrashCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var list = new Command("ls", "List the versions in the trash");
        list.SetAction(async (parsed, ct) =>
        {
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var trash = await store.ListAllVersionsAsync(ArtifactBranch.Trash, ct);
            if (terminal.IsJson)
            {
                terminal.WriteJson(trash.Select(r => new { r.Name, r.Version, r.Size, r.CreatedAt, r.TrashedAt, r.IsShared }));
                return 0;
            }

            if (trash.Count == 0)
            {
                terminal.Line("The trash is empty.");
                return 0;
            }

            terminal.Table(["VERSION", "SIZE", "TRASHED", "SHARED"], trash.Select(r => (IReadOnlyList<string>)
            [
                Formats.Reference(r), Formats.Size(r.Size),
                r.TrashedAt?.ToString("yyyy-MM-dd HH:mm:ssZ", CultureInfo.InvariantCulture) ?? "before it was recorded",
                r.IsShared ? "yes" : "no",
            ]));
            return 0;
        });

        var olderThan = new Option<string?>("--older-than") { Description = "Only versions trashed before this: a span ago (7d, 12h) or an ISO 8601 time" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would be deleted and the bytes freed; change nothing" };
        var empty = new Command("empty", "Delete the versions in the trash permanently, with their values where no other version points at them") { olderThan, dryRun };
        empty.SetAction(async (parsed, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            TimeSpan? age = null;
            if (parsed.GetValue(olderThan) is { } text)
            {
                age = now - TimeArgument.Parse(text, "--older-than", now);
                if (age < TimeSpan.Zero)
                {
                    throw new UsageException($"--older-than '{text}' is in the future.");
                }
            }

            var isDryRun = parsed.GetValue(dryRun);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var result = await store.EmptyTrashAsync(age, isDryRun, ct);
            if (terminal.IsJson)
            {
                terminal.WriteJson(new { result.DryRun, Deleted = result.Deleted.Select(r => new { r.Name, r.Version, r.Size }), result.BytesFreed });
                return 0;
            }

            foreach (var record in result.Deleted)
            {
                terminal.Line($"{(isDryRun ? "would delete" : "deleted")} {Formats.Reference(record)}  {Formats.Size(record.Size)}");
            }

            terminal.Line($"{(isDryRun ? "Dry run: would delete" : "Deleted")} {result.Deleted.Count} version(s) permanently, freeing {Formats.Size(result.BytesFreed)} ({result.BytesFreed.ToString(CultureInfo.InvariantCulture)} bytes).");
            return 0;
        });

        return new Command("trash", "The versions deleted to the trash: list them, or empty it") { list, empty };
    }
}
