using System.CommandLine;
using System.Globalization;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage du</c>: bytes per name and per root, and what deduplication saved.</summary>
public static class DuCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("du", "Show the bytes each artifact and each storage root takes, and what deduplication saved");
        command.SetAction(async (parsed, ct) =>
        {
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var usage = await store.UsageAsync(ct);
            if (terminal.IsJson)
            {
                terminal.WriteJson(new { usage.Names, Roots = usage.Roots.Select(r => new { r.Root, r.Versions, r.StoredBytes, r.LogicalBytes, r.SavedBytes, r.RegisteredBytes }) });
                return 0;
            }

            terminal.Table(["NAME", "VERSIONS", "SIZE", "IN TRASH"], usage.Names.Select(n => (IReadOnlyList<string>)
                [n.Name, n.Versions.ToString(CultureInfo.InvariantCulture), Formats.Size(n.Bytes), Formats.Size(n.TrashBytes)]));
            terminal.Line();
            terminal.Table(["ROOT", "VERSIONS", "STORED", "WITHOUT DEDUP", "SAVED", "REGISTERED"], usage.Roots.Select(r => (IReadOnlyList<string>)
            [
                r.Root, r.Versions.ToString(CultureInfo.InvariantCulture), Formats.Size(r.StoredBytes), Formats.Size(r.LogicalBytes),
                Formats.Size(r.SavedBytes), Formats.Size(r.RegisteredBytes),
            ]));
            var saved = usage.Roots.Sum(r => r.SavedBytes);
            terminal.Line($"Deduplication saved {Formats.Size(saved)} ({saved.ToString(CultureInfo.InvariantCulture)} bytes).");
            return 0;
        });
        return command;
    }
}
