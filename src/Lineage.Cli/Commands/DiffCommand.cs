using System.CommandLine;
using Lineage.Cli.Diff;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage diff NAME@A NAME@B</c>: what changed in the recorded source code between two versions.</summary>
public static class DiffCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var from = new Argument<string>("NAME@A") { Description = "The version to compare from: NAME@VERSION, NAME@ALIAS, or NAME alone for the latest" };
        var to = new Argument<string>("NAME@B") { Description = "The version to compare to: NAME@VERSION, NAME@ALIAS, or NAME alone for the latest" };
        var context = new Option<int>("--context", "-U") { Description = "Unchanged lines shown around each change", DefaultValueFactory = _ => 3 };
        var command = new Command("diff", "Show what changed in the recorded source code between two artifact versions, as a unified diff") { from, to, context };
        command.SetAction(async (parsed, ct) =>
        {
            var oldReference = References.Parse(parsed.GetValue(from)!);
            var newReference = References.Parse(parsed.GetValue(to)!);
            if (parsed.GetValue(context) < 0)
            {
                throw new UsageException("--context takes a number of lines, 0 or more.");
            }

            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var old = await References.FindAsync(store, oldReference, ct);
            var @new = await References.FindAsync(store, newReference, ct);
            var withoutCode = new[] { old, @new }.Where(r => r.SourceCode is null).Select(Formats.Reference).Distinct().ToList();
            if (withoutCode.Count > 0)
            {
                throw new LineageException(
                    $"No code was recorded with {string.Join(" or ", withoutCode)}, so there is no code to compare: {(withoutCode.Count == 1 ? "it was" : "they were")} saved without an ArtifactCode. " +
                    "Values saved through a generated accessor (Artifacts.X.Save, GetOrCompute) record the code that produced them.");
            }

            var comparison = CodeComparison.Between(old, @new, parsed.GetValue(context));
            if (terminal.IsJson)
            {
                terminal.WriteJson(new DiffJson(
                    VersionJson.From(old), VersionJson.From(@new), comparison.SameCodeVersion, comparison.Hunks.Count == 0,
                    comparison.Added, comparison.Removed, [.. comparison.Hunks.Select(HunkJson.From)]));
                return 0;
            }

            Print(terminal, comparison);
            return 0;
        });
        return command;
    }

    private static void Print(Terminal terminal, CodeComparison comparison)
    {
        var (old, @new) = (comparison.Old, comparison.New);
        var pair = $"{Formats.Reference(old)} and {Formats.Reference(@new)}";
        if (comparison.SameCodeVersion)
        {
            var same = $"{pair}: same code (CodeVersion {Formats.Abbreviated(old.CodeVersion)}…)";
            if (comparison.Hunks.Count == 0)
            {
                terminal.Line(same);
                return;
            }

            // CodeVersion ignores trivia: equal versions with different text differ only in comments or layout.
            terminal.Line(same + "; the recorded text differs only in comments or formatting:");
        }
        else if (comparison.Hunks.Count == 0)
        {
            terminal.Line($"{pair}: different code versions ({Formats.Abbreviated(old.CodeVersion)}…, {Formats.Abbreviated(@new.CodeVersion)}…) but the same recorded source text.");
            return;
        }

        terminal.Line($"--- {Formats.Reference(old)}\t{Describe(old)}");
        terminal.Line($"+++ {Formats.Reference(@new)}\t{Describe(@new)}");
        foreach (var hunk in comparison.Hunks)
        {
            terminal.Line(hunk.Header);
            foreach (var line in hunk.Lines)
            {
                var marker = line.Kind switch
                {
                    DiffLineKind.Removed => '-',
                    DiffLineKind.Added => '+',
                    _ => ' ',
                };
                terminal.Line(marker + line.Text);
            }
        }
    }

    private static string Describe(ArtifactRecord record)
    {
        var parts = new List<string> { $"CodeVersion {Formats.Abbreviated(record.CodeVersion)}" };
        if (record.AssemblyName is not null)
        {
            parts.Add($"{record.AssemblyName} {record.AssemblyVersion}".TrimEnd());
        }

        if (record.SourceRevision is not null)
        {
            parts.Add($"revision {record.SourceRevision}");
        }

        return string.Join(", ", parts);
    }

    private sealed record VersionJson(string Name, int Version, string? CodeVersion, string? AssemblyName, string? AssemblyVersion, string? SourceRevision)
    {
        public static VersionJson From(ArtifactRecord r) => new(r.Name, r.Version, r.CodeVersion, r.AssemblyName, r.AssemblyVersion, r.SourceRevision);
    }

    private sealed record HunkJson(string Header, int OldStart, int OldLines, int NewStart, int NewLines, IReadOnlyList<DiffLine> Lines)
    {
        public static HunkJson From(DiffHunk h) => new(h.Header, h.OldStart, h.OldLines, h.NewStart, h.NewLines, h.Lines);
    }

    private sealed record DiffJson(VersionJson Old, VersionJson New, bool Same, bool SameText, int Added, int Removed, IReadOnlyList<HunkJson> Hunks);
}
