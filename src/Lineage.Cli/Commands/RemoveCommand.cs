using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage rm NAME@VERSION [--permanent]</c>: to the trash, or gone for good.</summary>
public static class RemoveCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var reference = new Argument<string>("NAME@VERSION") { Description = "The version to delete (NAME@ALIAS: the version the alias points to)" };
        var permanent = new Option<bool>("--permanent") { Description = "Remove the metadata and the stored value instead of moving the version to the trash" };
        var command = new Command("rm", "Move an artifact version to the trash (or delete it permanently)") { reference, permanent };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = References.ParseVersion(parsed.GetValue(reference)!);
            var isPermanent = parsed.GetValue(permanent);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var version = await References.VersionOfAsync(store, wanted, ct);
            await store.DeleteAsync(wanted.Name, version, isPermanent, ct);
            var text = $"{wanted.Name}@{version}";
            if (terminal.IsJson)
            {
                terminal.WriteJson(new { wanted.Name, Version = version, Branch = isPermanent ? "deleted" : "trash" });
            }
            else
            {
                terminal.Line(isPermanent
                    ? $"Deleted {text} permanently."
                    : $"Moved {text} to the trash; 'lineage restore {text}' brings it back.");
            }

            return 0;
        });
        return command;
    }
}
