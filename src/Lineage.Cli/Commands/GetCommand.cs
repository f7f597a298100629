using System.CommandLine;
using Lineage.Cli.Output;
using Lineage.Cli.Rendering;
using Spectre.Console;

namespace Lineage.Cli.Commands;

/// <summary>
/// <c>lineage get REF -o FILE [--format bytes|json] [--assembly PATH]</c>: the stored bytes, or the value
/// rendered as JSON, verified first and written atomically.
/// </summary>
public static class GetCommand
{
    private const long ProgressThreshold = 16L * 1024 * 1024;
    private const string Bytes = "bytes";
    private const string Json = "json";

    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var reference = new Argument<string>("REF") { Description = "NAME (the latest version), NAME@VERSION or NAME@ALIAS" };
        var output = new Option<string>("--output", "-o") { Description = "File to write to ('-': standard output, with --format json); required" };
        var format = new Option<string>("--format") { Description = "bytes: the stored bytes as they are; json: the value rendered as JSON", DefaultValueFactory = _ => Bytes };
        format.AcceptOnlyFromAmong(Bytes, Json);
        var assemblies = new Option<string[]>("--assembly") { Description = "With --format json: a built assembly defining the value's type (repeatable), e.g. bin/Debug/net10.0/MyProject.dll" };
        var asOf = References.AsOfOption();
        var command = new Command("get", "Write an artifact version to a file: its stored bytes, or its value as JSON; size and SHA-256 are verified first") { reference, output, format, assemblies, asOf };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = References.Parse(parsed.GetValue(reference)!);
            var moment = References.AsOf(parsed, asOf);
            var asJson = parsed.GetValue(format) == Json;
            var paths = parsed.GetValue(assemblies) ?? [];
            var toStandardOutput = parsed.GetValue(output) == "-";
            var outputGiven = parsed.GetValue(output) is not null;
            if (!asJson && paths.Length > 0)
            {
                throw new UsageException("--assembly is for --format json: it lets the tool read the value's type.");
            }

            if (!asJson && toStandardOutput)
            {
                throw new UsageException("-o - (standard output) is for --format json; stored bytes go to a file.");
            }

            var terminal = Terminal.For(parsed, globals);
            var loaded = UserAssemblies.Load(paths);
            await using var store = await globals.OpenStoreAsync(parsed, ct);

            // Whether the version exists is the first thing worth knowing; where to write it comes after.
            var record = await References.FindAsync(store, wanted, moment, ct);
            if (!outputGiven)
            {
                throw new UsageException($"get needs -o FILE: where to write {Formats.Reference(record)} (or -o - with --format json for standard output).");
            }

            var target = toStandardOutput ? "-" : Path.GetFullPath(parsed.GetValue(output)!);

            if (asJson)
            {
                var json = await ValueJson.RenderAsync(store, record, loaded, ct);
                if (toStandardOutput)
                {
                    terminal.Out.WriteLine(json);
                    return 0;
                }

                await WriteReplacingAsync(target, json + Environment.NewLine, ct);
            }
            else if (terminal.IsTerminal && !terminal.IsJson && record.Size >= ProgressThreshold)
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
                terminal.WriteJson(new { record.Name, record.Version, record.Size, record.Hash, record.TypeName, Format = asJson ? Json : Bytes, File = target, Verified = true });
            }
            else
            {
                terminal.Line(asJson
                    ? $"Wrote {Formats.Reference(record)} as JSON ({record.TypeName}; {Formats.Size(record.Size)} stored, SHA-256 verified) to {target}"
                    : $"Wrote {Formats.Reference(record)} ({Formats.Size(record.Size)}, SHA-256 verified) to {target}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Writes <paramref name="text"/> (UTF-8) next to <paramref name="path"/> first, flushed to disk, then renames it over: a reader never sees half a file.</summary>
    private static async Task WriteReplacingAsync(string path, string text, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(folder);
        var temporary = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.partial");
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                await file.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Reports progress on the calling thread (Progress&lt;T&gt; would post it elsewhere).</summary>
    private sealed class ProgressCallback(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
