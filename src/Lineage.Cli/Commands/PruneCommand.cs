using System.CommandLine;
using System.Globalization;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary>
/// <c>lineage prune [NAME|--all] [--keep-last N] [--older-than 30d] [--dry-run]</c>: old versions to the trash, never aliased ones
/// and never the inputs (transitively) of versions that stay.
/// </summary>
public static class PruneCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string?>("NAME") { Description = "The artifact to prune (or --all)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Prune every artifact" };
        var keepLast = new Option<int?>("--keep-last") { Description = "Keep the N newest live versions of each name (N ≥ 1)" };
        var olderThan = new Option<string?>("--older-than") { Description = "Only versions saved before this: a span ago (30d, 12h, 2w) or an ISO 8601 time" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Say what would go, and the bytes emptying the trash would then free; change nothing" };
        var command = new Command("prune", "Move old versions to the trash, keeping aliased versions and the inputs of the versions kept")
        {
            name, all, keepLast, olderThan, dryRun,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var target = parsed.GetValue(name);
            if ((target is null) == !parsed.GetValue(all))
            {
                throw new UsageException(target is null
                    ? "prune needs an artifact NAME or --all."
                    : "prune takes an artifact NAME or --all, not both.");
            }

            var keep = parsed.GetValue(keepLast);
            if (keep is < 1)
            {
                throw new UsageException($"--keep-last must be 1 or more (was {keep}): it is how many of the newest versions of each name stay.");
            }

            var now = DateTimeOffset.UtcNow;
            TimeSpan? age = null;
            if (parsed.GetValue(olderThan) is { } text)
            {
                age = now - TimeArgument.Parse(text, "--older-than", now);
                if (age <= TimeSpan.Zero)
                {
                    throw new UsageException($"--older-than '{text}' is not in the past.");
                }
            }

            if (keep is null && age is null)
            {
                throw new UsageException("prune needs --keep-last N, --older-than AGE, or both: without a rule it would select every version.");
            }

            var isDryRun = parsed.GetValue(dryRun);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var result = await store.PruneAsync(new RetentionPolicy { KeepLast = keep, OlderThan = age }, target, isDryRun, ct);
            if (terminal.IsJson)
            {
                terminal.WriteJson(new
                {
                    result.DryRun,
                    Removed = result.Removed.Select(r => new { r.Name, r.Version, r.Size, r.CreatedAt, r.IsShared }),
                    Protected = result.Protected.Select(r => new { r.Name, r.Version, Reason = r.Aliases.Count > 0 ? "aliased" : "input of a kept version" }),
                    result.BytesFreed,
                    result.EmptiedNames,
                });
                return 0;
            }

            var verb = isDryRun ? "would move" : "moved";
            foreach (var record in result.Removed)
            {
                terminal.Line($"{(isDryRun ? "would trash" : "trashed")} {Formats.Reference(record)}  {Formats.Size(record.Size)}{(record.IsShared ? "  (shared value)" : string.Empty)}  saved {record.CreatedAt.ToString("yyyy-MM-dd HH:mm:ssZ", CultureInfo.InvariantCulture)}");
            }

            foreach (var record in result.Protected)
            {
                terminal.Line($"kept {Formats.Reference(record)}: {(record.Aliases.Count > 0 ? $"aliased ({string.Join(", ", record.Aliases)})" : "an input of a version that is kept")}");
            }

            terminal.Line($"{(isDryRun ? "Dry run: " : string.Empty)}{verb} {result.Removed.Count} version(s) to the trash; emptying the trash {(isDryRun ? "would then free" : "frees")} {Formats.Size(result.BytesFreed)} ({result.BytesFreed.ToString(CultureInfo.InvariantCulture)} bytes).");
            if (result.EmptiedNames.Count > 0)
            {
                terminal.Line($"This removes every live version of {string.Join(", ", result.EmptiedNames)}.");
            }

            return 0;
        });
        return command;
    }
}
