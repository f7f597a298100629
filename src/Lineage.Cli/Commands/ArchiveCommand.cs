using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage archive NAME@VERSION</c>: hidden from listings and "latest", still loadable by version.</summary>
public static class ArchiveCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var reference = new Argument<string>("NAME@VERSION") { Description = "The version to archive (NAME@ALIAS: the version the alias points to)" };
        var command = new Command("archive", "Archive an artifact version: hidden from listings, still loadable by version") { reference };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = References.ParseVersion(parsed.GetValue(reference)!);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var version = await References.VersionOfAsync(store, wanted, ct);
            await store.ArchiveAsync(wanted.Name, version, ct);
            if (terminal.IsJson)
            {
                terminal.WriteJson(new { wanted.Name, Version = version, Branch = "archive" });
            }
            else
            {
                terminal.Line($"Archived {wanted.Name}@{version}; 'lineage restore {wanted.Name}@{version}' brings it back.");
            }

            return 0;
        });
        return command;
    }
}
