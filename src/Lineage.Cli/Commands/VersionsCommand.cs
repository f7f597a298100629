using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage versions NAME</c>: the live versions of one name, oldest first.</summary>
public static class VersionsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string>("NAME") { Description = "Artifact name" };
        var command = new Command("versions", "List the live versions of an artifact, oldest first") { name };
        command.SetAction(async (parsed, ct) =>
        {
            var reference = References.Parse(parsed.GetValue(name)!);
            if (!reference.IsLatest)
            {
                throw new UsageException($"'versions' takes a name without a version or alias; did you mean 'lineage show {parsed.GetValue(name)}'?");
            }

            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreForReadingAsync(parsed, ct);
            ListCommand.Print(terminal, await store.VersionsAsync(reference.Name, ct), "No versions.");
            return 0;
        });
        return command;
    }
}
