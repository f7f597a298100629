using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage rm NAME@VERSION [--permanent] [--remove-aliases]</c>: to the trash, or gone for good; an aliased version only with its aliases.</summary>
public static class RemoveCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var reference = new Argument<string>("NAME@VERSION") { Description = "The version to delete (NAME@ALIAS: the version the alias points to)" };
        var permanent = new Option<bool>("--permanent") { Description = "Remove the metadata and the stored value instead of moving the version to the trash" };
        var removeAliases = new Option<bool>("--remove-aliases") { Description = "Also remove the aliases that point at the version (each removal kept in the alias's history); without it an aliased version is refused" };
        var command = new Command("rm", "Move an artifact version to the trash (or delete it permanently)") { reference, permanent, removeAliases };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = References.ParseVersion(parsed.GetValue(reference)!);
            var isPermanent = parsed.GetValue(permanent);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var version = await References.VersionOfAsync(store, wanted, ct);
            IReadOnlyList<string> released;
            try
            {
                released = parsed.GetValue(removeAliases)
                    ? [.. (await store.Aliases.ListAsync(wanted.Name, ct)).Where(a => a.Version == version).Select(a => a.Alias)]
                    : [];
                await store.DeleteAsync(wanted.Name, version, isPermanent, deleteInPlaceFile: false, parsed.GetValue(removeAliases), ct);
            }
            catch (AliasedVersionException e)
            {
                var several = e.Aliases.Count > 1;
                var aliases = string.Join(" and ", e.Aliases.Select(a => $"'{a}'"));
                var commands = string.Join(" and ", e.Aliases.Select(a => $"'lineage alias rm {e.Name} {a}'"));
                await terminal.Error.WriteLineAsync(
                    $"error: {(several ? "aliases" : "alias")} {aliases} of {e.Name} {(several ? "point" : "points")} at {e.Name}@{e.Version}, so it was not {(isPermanent ? "deleted" : "moved to the trash")}. " +
                    $"Move {(several ? "them" : "it")} to another version ('lineage alias set {e.Name} {e.Aliases[0]} VERSION'), remove {(several ? "them" : "it")} ({commands}), " +
                    $"or pass --remove-aliases to remove {(several ? "them" : "it")} along with the version.");
                return LineageCli.Failure;
            }

            var text = $"{wanted.Name}@{version}";
            if (terminal.IsJson)
            {
                terminal.WriteJson(new { wanted.Name, Version = version, Branch = isPermanent ? "deleted" : "trash", RemovedAliases = released });
            }
            else
            {
                terminal.Line(isPermanent
                    ? $"Deleted {text} permanently."
                    : $"Moved {text} to the trash; 'lineage restore {text}' brings it back.");
                if (released.Count > 0)
                {
                    terminal.Line($"Removed {(released.Count > 1 ? "aliases" : "alias")} {string.Join(" and ", released.Select(a => $"'{a}'"))} (see 'lineage alias history {wanted.Name} {released[0]}').");
                }
            }

            return 0;
        });
        return command;
    }
}
