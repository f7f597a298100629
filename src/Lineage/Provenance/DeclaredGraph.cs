using System.Text;

namespace Lineage;

/// <summary>
/// A project's declared lineage: each artifact it produces and the artifacts its code reads, as the compiler found them
/// in each <c>[Artifact]</c> method's code slice (<c>Artifacts.Y.Load</c>, <c>Artifacts.Y.GetOrCompute</c>, store loads
/// with a constant name). Known before anything runs; the generated <c>Artifacts.Graph</c> is one.
/// </summary>
public sealed class DeclaredGraph
{
    private readonly SortedDictionary<string, SortedSet<string>> _upstream = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SortedSet<string>> _downstream = new(StringComparer.Ordinal);

    /// <summary>A graph of <paramref name="artifacts"/>: each name with the names it reads (a name given twice has the union).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="artifacts"/>, a name or an upstream list is null.</exception>
    public DeclaredGraph(IEnumerable<(string Name, IReadOnlyList<string> Upstream)> artifacts)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        foreach (var (name, upstream) in artifacts)
        {
            ArgumentNullException.ThrowIfNull(name);
            ArgumentNullException.ThrowIfNull(upstream);
            var reads = Node(_upstream, name);
            Node(_downstream, name);
            foreach (var source in upstream)
            {
                ArgumentNullException.ThrowIfNull(source);
                reads.Add(source);
                Node(_upstream, source);
                Node(_downstream, source).Add(name);
            }
        }

        Names = [.. _upstream.Keys];
    }

    /// <summary>Every artifact in the graph, produced here or only read (a dataset loaded by name), sorted (ordinal).</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The artifacts <paramref name="name"/>'s code reads, sorted (ordinal); empty for one only read here.</summary>
    /// <exception cref="KeyNotFoundException">The graph has no artifact <paramref name="name"/>.</exception>
    public IReadOnlyList<string> Upstream(string name) => [.. Edges(_upstream, name)];

    /// <summary>The artifacts whose code reads <paramref name="name"/>, sorted (ordinal).</summary>
    /// <exception cref="KeyNotFoundException">The graph has no artifact <paramref name="name"/>.</exception>
    public IReadOnlyList<string> Downstream(string name) => [.. Edges(_downstream, name)];

    /// <summary>
    /// The graph as a Mermaid <c>flowchart LR</c>: one node per artifact (in <see cref="Names"/> order, labelled with its
    /// name), then one edge <c>upstream --&gt; downstream</c> per read, sorted: the same graph always gives the same text.
    /// </summary>
    public string ToMermaid()
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = new StringBuilder("flowchart LR\n");
        foreach (var name in Names)
        {
            ids[name] = "n" + ids.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            text.Append("    ").Append(ids[name]).Append("[\"").Append(name.Replace("\"", "#quot;", StringComparison.Ordinal)).Append("\"]\n");
        }

        foreach (var (source, readers) in _downstream)
        {
            foreach (var reader in readers)
            {
                text.Append("    ").Append(ids[source]).Append(" --> ").Append(ids[reader]).Append('\n');
            }
        }

        return text.ToString();
    }

    private static SortedSet<string> Node(SortedDictionary<string, SortedSet<string>> edges, string name)
    {
        if (!edges.TryGetValue(name, out var set))
        {
            set = new SortedSet<string>(StringComparer.Ordinal);
            edges[name] = set;
        }

        return set;
    }

    private static SortedSet<string> Edges(SortedDictionary<string, SortedSet<string>> edges, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return edges.TryGetValue(name, out var set) ? set : throw new KeyNotFoundException($"The declared graph has no artifact '{name}'.");
    }
}
