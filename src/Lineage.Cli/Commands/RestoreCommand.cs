using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage restore NAME@VERSION</c>: back from the trash or the archive.</summary>
public static class RestoreCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var reference = new Argument<string>("NAME@VERSION") { Description = "The version to bring back (NAME@ALIAS: the version the alias points to)" };
        var command = new Command("restore", "Bring an artifact version back from the trash or the archive") { reference };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = References.ParseVersion(parsed.GetValue(reference)!);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var version = await References.VersionOfAsync(store, wanted, ct);
            await store.RestoreAsync(wanted.Name, version, ct);
            if (terminal.IsJson)
            {
                terminal.WriteJson(new { wanted.Name, Version = version, Branch = "main" });
            }
            else
            {
                terminal.Line($"Restored {wanted.Name}@{version}.");
            }

            return 0;
        });
        return command;
    }
}
