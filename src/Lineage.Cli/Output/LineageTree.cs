namespace Lineage.Cli.Output;

/// <summary>
/// A lineage graph as an indented tree to read in a terminal: the root version, then what each version was computed from
/// (upstream) or what was computed from it (downstream), each version with the run that saved it. A version reached a
/// second time is printed once more, marked <c>(see above)</c>, and not expanded again, so any graph prints in one pass.
/// </summary>
public sealed class LineageTree
{
    private const string Branch = "├── ", LastBranch = "└── ", Pipe = "│   ", Blank = "    ";

    private readonly Dictionary<string, LineageNode> _nodes;
    private readonly ILookup<string, LineageEdge> _into;
    private readonly ILookup<string, LineageEdge> _outOf;

    private LineageTree(LineageGraph graph)
    {
        _nodes = graph.Nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        _into = graph.Edges.ToLookup(e => e.To, StringComparer.Ordinal);
        _outOf = graph.Edges.ToLookup(e => e.From, StringComparer.Ordinal);
    }

    /// <summary>The tree's lines. Each version names the run that saved it, which the graph carries with the version.</summary>
    public static IReadOnlyList<string> Render(LineageGraph graph)
    {
        var tree = new LineageTree(graph);
        var lines = new List<string> { Line(graph.Root, exact: false, seen: false) };
        switch (graph.Direction)
        {
            case LineageDirection.Upstream:
                tree.Walk(graph.Root.Id, upstream: true, indent: string.Empty, lines, "No inputs recorded.");
                break;
            case LineageDirection.Downstream:
                tree.Walk(graph.Root.Id, upstream: false, indent: string.Empty, lines, "Nothing recorded as computed from it.");
                break;
            default:
                lines.Add(Branch + "upstream (computed from)");
                tree.Walk(graph.Root.Id, upstream: true, indent: Pipe, lines, Pipe + LastBranch + "none recorded");
                lines.Add(LastBranch + "downstream (computed from it)");
                tree.Walk(graph.Root.Id, upstream: false, indent: Blank, lines, Blank + LastBranch + "none recorded");
                break;
        }

        return lines;
    }

    /// <summary>Depth first from <paramref name="rootId"/>, with an explicit stack: a long chain cannot overflow the call stack.</summary>
    private void Walk(string rootId, bool upstream, string indent, List<string> lines, string whenEmpty)
    {
        var expanded = new HashSet<string>(StringComparer.Ordinal) { rootId };
        var rootChildren = Children(rootId, upstream);
        if (rootChildren.Count == 0)
        {
            lines.Add(whenEmpty);
            return;
        }

        var stack = new Stack<(string Id, bool Exact, string Indent, bool Last)>();
        Push(stack, rootChildren, indent);
        while (stack.TryPop(out var item))
        {
            var node = _nodes[item.Id];
            var seen = !expanded.Add(item.Id);
            var children = seen ? [] : Children(item.Id, upstream);
            lines.Add(item.Indent + (item.Last ? LastBranch : Branch) + Line(node, item.Exact, seen && HasChildren(item.Id, upstream)));
            Push(stack, children, item.Indent + (item.Last ? Blank : Pipe));
        }
    }

    private static void Push(Stack<(string, bool, string, bool)> stack, List<(string Id, bool Exact)> children, string indent)
    {
        for (var i = children.Count - 1; i >= 0; i--)
        {
            stack.Push((children[i].Id, children[i].Exact, indent, i == children.Count - 1));
        }
    }

    private bool HasChildren(string id, bool upstream) => Children(id, upstream).Count > 0;

    /// <summary>
    /// Upstream: the inputs of the run that saved the version (or inputs linked straight to it). Downstream: the outputs of
    /// the runs that read it (or versions linked straight from it). Exact when any link between the two was exact.
    /// </summary>
    private List<(string Id, bool Exact)> Children(string id, bool upstream)
    {
        var links = upstream
            ? _into[id].SelectMany(e => _nodes[e.From].Kind == LineageNodeKind.Run ? _into[e.From].Select(i => (i.From, i.IsExact)) : [(e.From, e.IsExact)])
            : _outOf[id].SelectMany(e => _nodes[e.To].Kind == LineageNodeKind.Run ? _outOf[e.To].Select(o => (o.To, e.IsExact)) : [(e.To, e.IsExact)]);
        var children = new List<(string Id, bool Exact)>();
        foreach (var (child, exact) in links)
        {
            var index = children.FindIndex(c => c.Id == child);
            if (index < 0)
            {
                children.Add((child, exact));
            }
            else if (exact)
            {
                children[index] = (child, true);
            }
        }

        return children;
    }

    private static string Line(LineageNode node, bool exact, bool seen)
    {
        var marks = new List<string>();
        if (exact)
        {
            marks.Add("exact");
        }

        if (node.Kind == LineageNodeKind.DeletedVersion)
        {
            marks.Add("deleted");
        }

        var text = node.Label + (marks.Count > 0 ? $" ({string.Join(", ", marks)})" : string.Empty);
        if (node.Version?.Run is { } run)
        {
            text += "  ← " + Formats.Run(run);
        }

        return seen ? text + "  (see above)" : text;
    }
}
