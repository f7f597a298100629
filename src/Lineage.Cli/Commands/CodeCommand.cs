using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage code REF</c>: the source code recorded with a version.</summary>
public static class CodeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var reference = new Argument<string>("REF") { Description = "NAME (the latest version), NAME@VERSION or NAME@ALIAS" };
        var command = new Command("code", "Print the source code that produced an artifact version") { reference };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = References.Parse(parsed.GetValue(reference)!);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var record = await References.FindAsync(store, wanted, ct);
            if (record.SourceCode is null)
            {
                throw new LineageException(
                    $"No code was recorded with {Formats.Reference(record)}: it was saved without an ArtifactCode. " +
                    "Values saved through a generated accessor (Artifacts.X.Save, GetOrCompute) record the code that produced them.");
            }

            if (terminal.IsJson)
            {
                terminal.WriteJson(new CodeJson(record.Name, record.Version, record.CodeVersion, record.AssemblyName, record.AssemblyVersion, record.SourceRevision, record.SourceCode));
                return 0;
            }

            terminal.Out.Write(record.SourceCode);
            if (!record.SourceCode.EndsWith('\n'))
            {
                terminal.Line();
            }

            return 0;
        });
        return command;
    }

    private sealed record CodeJson(string Name, int Version, string? CodeVersion, string? AssemblyName, string? AssemblyVersion, string? SourceRevision, string SourceCode);
}
