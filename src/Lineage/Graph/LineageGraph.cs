using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Lineage;

/// <summary>Which way a lineage graph reaches from its version.</summary>
public enum LineageDirection
{
    /// <summary>What the version was computed from, and what that was computed from.</summary>
    Upstream,

    /// <summary>What was computed from the version, and so on.</summary>
    Downstream,

    /// <summary>Both.</summary>
    Both,
}

/// <summary>An input of a version: a version that still exists, or the tombstone of one deleted permanently.</summary>
/// <param name="Name">The input's artifact name.</param>
/// <param name="Version">Its version number.</param>
/// <param name="Record">The input version's metadata; null when it was deleted permanently.</param>
/// <param name="IsExact">True when the input was matched by content hash (a <c>GetOrCompute</c> argument); false when it was loaded in the run that saved the version.</param>
public sealed record LineageInput(string Name, int Version, ArtifactRecord? Record, bool IsExact)
{
    /// <summary>True when the input was deleted permanently: only its name and version remain.</summary>
    public bool IsDeleted => Record is null;

    /// <summary><c>NAME@VERSION</c>.</summary>
    public override string ToString() => $"{Name}@{Version.ToString(CultureInfo.InvariantCulture)}{(IsDeleted ? " (deleted)" : string.Empty)}";
}

/// <summary>What a node of a lineage graph stands for.</summary>
public enum LineageNodeKind
{
    /// <summary>An artifact version.</summary>
    Version,

    /// <summary>A version deleted permanently: only its name and version remain.</summary>
    DeletedVersion,

    /// <summary>A run, between the versions it read and the versions it wrote.</summary>
    Run,
}

/// <summary>
/// An artifact version as a lineage graph shows it: the columns a graph prints, read by the walk itself. The whole record
/// (source code, storage, annotations) is one call away: <c>store.Get(version.Reference)</c>.
/// </summary>
/// <param name="Uid">Unique id of the version.</param>
/// <param name="Name">The artifact's name.</param>
/// <param name="Version">Its version number.</param>
/// <param name="Branch">Main, trash or archive.</param>
/// <param name="CreatedAt">When it was saved (UTC).</param>
/// <param name="CreatedBy">The user that saved it.</param>
/// <param name="Size">Size of the stored value in bytes.</param>
/// <param name="Hash">SHA-256 of the stored value, lowercase hex.</param>
/// <param name="CodeVersion">Hash of the code that produced it, when known.</param>
/// <param name="Run">The run that saved it; null for versions saved before runs were recorded.</param>
public sealed record LineageVersion(
    string Uid,
    string Name,
    int Version,
    ArtifactBranch Branch,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    long Size,
    string Hash,
    string? CodeVersion,
    LineageRun? Run)
{
    /// <summary><c>NAME@VERSION</c>: what <c>store.Get</c> takes to read the whole record.</summary>
    public string Reference => $"{Name}@{Version.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// A run as a lineage graph shows it. The whole record (parameters, command line, entry assembly, error) is one call away:
/// <c>store.Runs.Get(run.Uid)</c>.
/// </summary>
/// <param name="Uid">Unique id of the run.</param>
/// <param name="Name">Its name; for an implicit run, the entry assembly's (or process's) name.</param>
/// <param name="Status">Running, succeeded or failed.</param>
/// <param name="StartedAt">When it started (UTC).</param>
/// <param name="FinishedAt">When it finished (UTC), or null while running.</param>
/// <param name="IsImplicit">True for the run a store records for its process at its first save outside any explicit run.</param>
public sealed record LineageRun(string Uid, string Name, RunStatus Status, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, bool IsImplicit);

/// <summary>One node of a <see cref="LineageGraph"/>.</summary>
/// <param name="Id">
/// Stable within the graph: <c>v:UID</c> for a version, <c>d:NAME@VERSION</c> for a deleted one, <c>r:UID</c> for a run, or
/// <c>r:UID:N</c> when the run saved versions from different inputs (one node per distinct set of inputs).
/// </param>
/// <param name="Kind">Version, deleted version or run.</param>
/// <param name="Label">What to show: <c>NAME@VERSION</c>, or the run's name.</param>
/// <param name="Depth">Steps from the graph's root (0 for the root).</param>
/// <param name="Version">The version, with the run that saved it, for a live (main, archive or trash) version.</param>
/// <param name="Run">The run, for a run node.</param>
public sealed record LineageNode(string Id, LineageNodeKind Kind, string Label, int Depth, LineageVersion? Version = null, LineageRun? Run = null);

/// <summary>What an edge of a lineage graph says.</summary>
public enum LineageEdgeKind
{
    /// <summary>From a version to the run that read it (or straight to a version saved without a run).</summary>
    Input,

    /// <summary>From a run to a version it wrote.</summary>
    Output,
}

/// <summary>One edge of a <see cref="LineageGraph"/>, from node id to node id, in the direction data flowed.</summary>
/// <param name="From">The upstream node's id.</param>
/// <param name="To">The downstream node's id.</param>
/// <param name="Kind">Input (version → run) or output (run → version).</param>
/// <param name="IsExact">For an input: matched by content hash rather than loaded in the run.</param>
public sealed record LineageEdge(string From, string To, LineageEdgeKind Kind, bool IsExact = false);

/// <summary>
/// The lineage of a version: the versions and runs reachable from it up to a depth, and the edges between them, in the
/// direction data flowed (inputs → run → outputs). Renders as Mermaid, Graphviz DOT and JSON.
/// </summary>
public sealed class LineageGraph
{
    internal LineageGraph(LineageNode root, LineageDirection direction, int depth, IReadOnlyList<LineageNode> nodes, IReadOnlyList<LineageEdge> edges)
    {
        Root = root;
        Direction = direction;
        Depth = depth;
        Nodes = nodes;
        Edges = edges;
    }

    /// <summary>The version the graph was asked for.</summary>
    public LineageNode Root { get; }

    /// <summary>Which way it reaches.</summary>
    public LineageDirection Direction { get; }

    /// <summary>How many version-to-version steps it reaches.</summary>
    public int Depth { get; }

    /// <summary>Every node: the root first, then by depth, kind and label.</summary>
    public IReadOnlyList<LineageNode> Nodes { get; }

    /// <summary>Every edge, in a stable order.</summary>
    public IReadOnlyList<LineageEdge> Edges { get; }

    /// <summary>The node with <paramref name="id"/>, or null.</summary>
    public LineageNode? Find(string id) => Nodes.FirstOrDefault(n => n.Id == id);

    /// <summary>A Mermaid <c>flowchart LR</c>: versions as boxes, runs as rounded nodes, deleted versions struck through, exact inputs as thick arrows.</summary>
    public string ToMermaid()
    {
        var ids = ShortIds();
        var text = new StringBuilder("flowchart LR\n");
        foreach (var node in Nodes)
        {
            var label = MermaidText(node.Kind switch
            {
                LineageNodeKind.Run => $"run {node.Label}",
                LineageNodeKind.DeletedVersion => $"{node.Label} (deleted)",
                _ => node.Label,
            });
            text.Append("    ").Append(ids[node.Id]).Append(node.Kind == LineageNodeKind.Run ? $"([\"{label}\"])" : $"[\"{label}\"]").Append('\n');
        }

        foreach (var edge in Edges)
        {
            text.Append("    ").Append(ids[edge.From]).Append(edge.IsExact ? " ==> " : " --> ").Append(ids[edge.To]).Append('\n');
        }

        text.Append("    classDef root stroke-width:3px\n    class ").Append(ids[Root.Id]).Append(" root\n");
        if (Nodes.Where(n => n.Kind == LineageNodeKind.DeletedVersion).Select(n => ids[n.Id]).ToList() is { Count: > 0 } deleted)
        {
            text.Append("    classDef deleted stroke-dasharray:4 4\n    class ").Append(string.Join(",", deleted)).Append(" deleted\n");
        }

        return text.ToString();
    }

    /// <summary>A Graphviz <c>digraph</c>, laid out left to right: versions as boxes, runs as ellipses, deleted versions dashed.</summary>
    public string ToDot()
    {
        var text = new StringBuilder("digraph lineage {\n    rankdir=LR;\n    node [fontname=\"Helvetica\"];\n");
        foreach (var node in Nodes)
        {
            var attributes = node.Kind switch
            {
                LineageNodeKind.Run => $"label={DotText("run " + node.Label)}, shape=ellipse",
                LineageNodeKind.DeletedVersion => $"label={DotText(node.Label + " (deleted)")}, shape=box, style=dashed",
                _ => $"label={DotText(node.Label)}, shape=box",
            };
            if (node.Id == Root.Id)
            {
                attributes += ", penwidth=3";
            }

            text.Append("    ").Append(DotText(node.Id)).Append(" [").Append(attributes).Append("];\n");
        }

        foreach (var edge in Edges)
        {
            text.Append("    ").Append(DotText(edge.From)).Append(" -> ").Append(DotText(edge.To)).Append(edge.IsExact ? " [style=bold];\n" : ";\n");
        }

        return text.Append("}\n").ToString();
    }

    /// <summary>The graph as JSON: <c>root</c>, <c>direction</c>, <c>depth</c>, <c>nodes</c> and <c>edges</c>.</summary>
    public string ToJson(bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            json.WriteStartObject();
            json.WriteString("root", Root.Id);
            json.WriteString("direction", Direction.ToString().ToLowerInvariant());
            json.WriteNumber("depth", Depth);
            json.WriteStartArray("nodes");
            foreach (var node in Nodes)
            {
                WriteNode(json, node);
            }

            json.WriteEndArray();
            json.WriteStartArray("edges");
            foreach (var edge in Edges)
            {
                json.WriteStartObject();
                json.WriteString("from", edge.From);
                json.WriteString("to", edge.To);
                json.WriteString("kind", edge.Kind == LineageEdgeKind.Input ? "input" : "output");
                if (edge.Kind == LineageEdgeKind.Input)
                {
                    json.WriteBoolean("exact", edge.IsExact);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNode(Utf8JsonWriter json, LineageNode node)
    {
        json.WriteStartObject();
        json.WriteString("id", node.Id);
        json.WriteString("kind", node.Kind switch { LineageNodeKind.Run => "run", LineageNodeKind.DeletedVersion => "deleted", _ => "version" });
        json.WriteString("label", node.Label);
        json.WriteNumber("depth", node.Depth);
        if (node.Version is { } v)
        {
            json.WriteString("uid", v.Uid);
            json.WriteString("name", v.Name);
            json.WriteNumber("version", v.Version);
            json.WriteString("branch", v.Branch.ToString().ToLowerInvariant());
            json.WriteString("created_at", v.CreatedAt);
            json.WriteString("created_by", v.CreatedBy);
            json.WriteString("hash", v.Hash);
            json.WriteNumber("size", v.Size);
            json.WriteString("code_version", v.CodeVersion);
            json.WriteString("run_uid", v.Run?.Uid);
        }

        if (node.Run is { } r)
        {
            json.WriteString("uid", r.Uid);
            json.WriteString("name", r.Name);
            json.WriteString("status", r.Status.ToString().ToLowerInvariant());
            json.WriteString("started_at", r.StartedAt);
            json.WriteBoolean("implicit", r.IsImplicit);
        }

        json.WriteEndObject();
    }

    private Dictionary<string, string> ShortIds() =>
        Nodes.Select((node, index) => (node.Id, Short: $"n{index.ToString(CultureInfo.InvariantCulture)}")).ToDictionary(p => p.Id, p => p.Short, StringComparer.Ordinal);

    // Mermaid labels are quoted; a quote inside one is written as an entity.
    private static string MermaidText(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);

    private static string DotText(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
