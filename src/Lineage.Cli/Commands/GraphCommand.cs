using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage graph REF [--downstream|--both] [--depth N] [--format tree|mermaid|dot|json]</c>: a version's lineage.</summary>
public static class GraphCommand
{
    private const string Tree = "tree", Mermaid = "mermaid", Dot = "dot", Json = "json";

    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var reference = new Argument<string>("REF") { Description = "NAME (the latest version), NAME@VERSION or NAME@ALIAS" };
        var downstream = new Option<bool>("--downstream") { Description = "What was computed from it, instead of what it was computed from" };
        var both = new Option<bool>("--both") { Description = "Both what it was computed from and what was computed from it" };
        var depth = new Option<int>("--depth") { Description = $"How many version-to-version steps to follow, 1 to {LineageQueries.MaxDepth} (default {LineageQueries.DefaultDepth})", DefaultValueFactory = _ => LineageQueries.DefaultDepth };
        var format = new Option<string?>("--format") { Description = "tree (default): an indented tree; mermaid: a Mermaid flowchart; dot: a Graphviz digraph; json: nodes and edges (same as --json)" };
        format.AcceptOnlyFromAmong(Tree, Mermaid, Dot, Json);
        var command = new Command("graph", "Show a version's lineage: what it was computed from (and what was computed from it), with the runs between") { reference, downstream, both, depth, format };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = References.Parse(parsed.GetValue(reference)!);
            if (parsed.GetValue(downstream) && parsed.GetValue(both))
            {
                throw new UsageException("--downstream and --both cannot be combined: --both already includes downstream.");
            }

            var steps = parsed.GetValue(depth);
            if (steps is < 1 or > LineageQueries.MaxDepth)
            {
                throw new UsageException($"--depth takes a number of steps from 1 to {LineageQueries.MaxDepth.ToString(CultureInfo.InvariantCulture)}.");
            }

            var terminal = Terminal.For(parsed, globals);
            var chosen = parsed.GetValue(format);
            if (terminal.IsJson && chosen is not (null or Json))
            {
                throw new UsageException($"--json prints the graph as JSON; it cannot be combined with --format {chosen}.");
            }

            chosen ??= terminal.IsJson ? Json : Tree;
            var direction = parsed.GetValue(both) ? LineageDirection.Both : parsed.GetValue(downstream) ? LineageDirection.Downstream : LineageDirection.Upstream;
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var graph = await store.Lineage.GraphAsync(wanted.ToString(), direction, steps, ct);
            switch (chosen)
            {
                case Mermaid:
                    terminal.Out.Write(graph.ToMermaid());
                    break;
                case Dot:
                    terminal.Out.Write(graph.ToDot());
                    break;
                case Json:
                    terminal.WriteJson(JsonNode.Parse(graph.ToJson()));
                    break;
                default:
                    foreach (var line in LineageTree.Render(graph))
                    {
                        terminal.Line(line);
                    }

                    break;
            }

            return 0;
        });
        return command;
    }
}
