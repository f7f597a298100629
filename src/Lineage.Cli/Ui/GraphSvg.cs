using System.Globalization;
using System.Text;
using Microsoft.Msagl.Core.Geometry;
using Microsoft.Msagl.Core.Geometry.Curves;
using Microsoft.Msagl.Core.Layout;
using Microsoft.Msagl.Layout.Layered;
using Microsoft.Msagl.Miscellaneous;

namespace Lineage.Cli.Ui;

/// <summary>
/// A lineage graph drawn as SVG: MSAGL's layered (Sugiyama) layout, turned to flow left to right (inputs on the left),
/// edges routed as its splines; each version and run node is a link to its page.
/// </summary>
internal static class GraphSvg
{
    private const double CharWidth = 7.4, NodeHeight = 30, Padding = 14, Margin = 16;

    /// <summary>The SVG of <paramref name="graph"/>.</summary>
    public static string Render(LineageGraph graph)
    {
        var layout = new GeometryGraph();
        var nodes = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            var nodeWidth = Math.Max(60, (Label(node).Length * CharWidth) + (2 * Padding));
            var shape = new Node(CurveFactory.CreateRectangleWithRoundedCorners(nodeWidth, NodeHeight, 6, 6, new Point()), node);
            nodes[node.Id] = shape;
            layout.Nodes.Add(shape);
        }

        var edges = new List<(LineageEdge Edge, Edge Shape)>();
        foreach (var edge in graph.Edges)
        {
            if (nodes.TryGetValue(edge.From, out var from) && nodes.TryGetValue(edge.To, out var to) && from != to)
            {
                var shape = new Edge(from, to);
                layout.Edges.Add(shape);
                edges.Add((edge, shape));
            }
        }

        var settings = new SugiyamaLayoutSettings
        {
            // Layers run top to bottom; a quarter turn makes them run left to right, upstream first.
            Transformation = PlaneTransformation.Rotation(Math.PI / 2),
            LayerSeparation = 50,
            NodeSeparation = 18,
        };
        LayoutHelpers.CalculateLayout(layout, settings, null);

        var box = layout.BoundingBox;
        var width = box.Width + (2 * Margin);
        var height = box.Height + (2 * Margin);

        // MSAGL's y grows upward, SVG's downward: flip, then move the box to the margin.
        string X(double x) => F(x - box.Left + Margin);
        string Y(double y) => F(box.Top - y + Margin);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(width)}\" height=\"{F(height)}\" viewBox=\"0 0 {F(width)} {F(height)}\" role=\"img\" aria-label=\"lineage of {Html.Text(graph.Root.Label)}\">");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#59636e\"/></marker></defs>");
        foreach (var (edge, shape) in edges)
        {
            var points = Points(shape);
            var path = string.Join(' ', points.Select((p, i) => $"{(i == 0 ? 'M' : 'L')}{X(p.X)},{Y(p.Y)}"));
            var css = edge.IsExact ? "edge exact" : "edge";
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"{css}\" data-from=\"{Html.Text(edge.From)}\" data-to=\"{Html.Text(edge.To)}\" d=\"{path}\" marker-end=\"url(#arrow)\"/>");
        }

        foreach (var node in graph.Nodes)
        {
            var shape = nodes[node.Id];
            var b = shape.BoundingBox;
            var css = node.Kind switch
            {
                LineageNodeKind.Run => "node run",
                LineageNodeKind.DeletedVersion => "node deleted",
                _ => "node version",
            };
            if (node.Id == graph.Root.Id)
            {
                css += " root";
            }

            var rect = $"<rect x=\"{X(b.Left)}\" y=\"{Y(b.Top)}\" width=\"{F(b.Width)}\" height=\"{F(b.Height)}\" rx=\"6\"/>"
                + $"<text x=\"{X(b.Center.X)}\" y=\"{Y(b.Center.Y)}\" text-anchor=\"middle\" dominant-baseline=\"central\">{Html.Text(Label(node))}</text>"
                + $"<title>{Html.Text(Title(node))}</title>";
            var href = Href(node);
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"{css}\" data-id=\"{Html.Text(node.Id)}\">");
            svg.Append(href is null ? rect : $"<a href=\"{href}\">{rect}</a>");
            svg.Append("</g>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Label(LineageNode node) => node.Kind == LineageNodeKind.Run ? $"run {node.Label}" : node.Label;

    private static string Title(LineageNode node) => node switch
    {
        { Version: { } v } => $"{v.Reference} · {v.CreatedBy} · {Output.Formats.Time(v.CreatedAt)} · {Output.Formats.Size(v.Size)}",
        { Run: { } r } => $"run {r.Name} ({r.Uid}, {Output.Formats.Status(r.Status)})",
        _ => $"{node.Label} (deleted)",
    };

    private static string? Href(LineageNode node) => node switch
    {
        { Version: { } v } => Html.VersionUrl(v.Name, v.Version),
        { Run: { } r } => Html.Url("/run", ("uid", r.Uid)),
        _ => null,
    };

    /// <summary>The edge's route as points: its curve sampled, or a straight line between the node centres when it has none.</summary>
    private static List<Point> Points(Edge edge)
    {
        if (edge.Curve is not { } curve)
        {
            return [edge.Source.Center, edge.Target.Center];
        }

        if (curve is LineSegment line)
        {
            return [line.Start, line.End];
        }

        const int Steps = 24;
        var points = new List<Point>(Steps + 1);
        for (var i = 0; i <= Steps; i++)
        {
            points.Add(curve[curve.ParStart + ((curve.ParEnd - curve.ParStart) * i / Steps)]);
        }

        return points;
    }

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
