using System.CommandLine;
using Lineage.Cli.Output;
using Spectre.Console;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage get NAME[@VERSION] -o FILE</c>: the stored bytes, verified, written atomically.</summary>
public static class GetCommand
{
    private const long ProgressThreshold = 16L * 1024 * 1024;

    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var reference = new Argument<string>("NAME[@VERSION]") { Description = "Artifact name, optionally with a version (latest when omitted)" };
        var output = new Option<string>("--output", "-o") { Description = "File to write the stored bytes to", Required = true };
        var command = new Command("get", "Write the stored bytes of an artifact version to a file, verifying size and SHA-256") { reference, output };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = ArtifactReference.Parse(parsed.GetValue(reference)!);
            var target = Path.GetFullPath(parsed.GetValue(output)!);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var record = await ShowCommand.FindAsync(store, wanted, ct);

            if (terminal.IsTerminal && !terminal.IsJson && record.Size >= ProgressThreshold)
            {
                await terminal.Console.Progress().StartAsync(async progress =>
                {
                    var task = progress.AddTask($"{Formats.Reference(record)} → {Path.GetFileName(target)}", maxValue: record.Size);
                    await store.ExportAsync(record, target, new ProgressCallback(n => task.Increment(n)), ct);
                });
            }
            else
            {
                await store.ExportAsync(record, target, cancellationToken: ct);
            }

            if (terminal.IsJson)
            {
                terminal.WriteJson(new { record.Name, record.Version, record.Size, record.Hash, File = target, Verified = true });
            }
            else
            {
                terminal.Line($"Wrote {Formats.Reference(record)} ({Formats.Size(record.Size)}, SHA-256 verified) to {target}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Reports progress on the calling thread (Progress&lt;T&gt; would post it elsewhere).</summary>
    private sealed class ProgressCallback(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
