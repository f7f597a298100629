using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage restore NAME@VERSION</c>: back from the trash or the archive.</summary>
public static class RestoreCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var reference = new Argument<string>("NAME@VERSION") { Description = "The version to bring back" };
        var command = new Command("restore", "Bring an artifact version back from the trash or the archive") { reference };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = ArtifactReference.Parse(parsed.GetValue(reference)!, versionRequired: true);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            await store.RestoreAsync(wanted.Name, wanted.Version!.Value, ct);
            if (terminal.IsJson)
            {
                terminal.WriteJson(new { wanted.Name, wanted.Version, Branch = "main" });
            }
            else
            {
                terminal.Line($"Restored {wanted.Name}@{wanted.Version}.");
            }

            return 0;
        });
        return command;
    }
}
