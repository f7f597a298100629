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

            await using (var value = await store.OpenValueAsync(record, ct))
            {
                if (terminal.IsTerminal && !terminal.IsJson && record.Size >= ProgressThreshold)
                {
                    await terminal.Console.Progress().StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"{Formats.Reference(record)} → {Path.GetFileName(target)}", maxValue: record.Size);
                        await WriteAtomicallyAsync(value, target, n => task.Increment(n), ct);
                    });
                }
                else
                {
                    await WriteAtomicallyAsync(value, target, null, ct);
                }
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

    /// <summary>
    /// Copies to a temporary file beside <paramref name="target"/>, flushes it to disk, then renames it into place:
    /// a reader of <paramref name="target"/> sees the old file or the whole verified value, never a part.
    /// </summary>
    private static async Task WriteAtomicallyAsync(Stream value, string target, Action<long>? progress, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 20];
                int read;
                // The verifying stream throws at its end when size or hash differ, before anything is renamed.
                while ((read = await value.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    progress?.Invoke(read);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
