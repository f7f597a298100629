namespace Lineage.Generators.Tests;

/// <summary>The run-time type behind <c>Artifacts.Graph</c>: names, edges both ways, and a stable Mermaid rendering.</summary>
public sealed class DeclaredGraphTests
{
    private static readonly DeclaredGraph Graph = new(
    [
        ("train", ["features", "labels"]),
        ("features", ["raw"]),
        ("evaluate", ["train", "features"]),
        ("train", ["features"]),
    ]);

    [Fact]
    public void Names_hold_every_artifact_produced_or_only_read_sorted_ordinally() =>
        Assert.Equal(["evaluate", "features", "labels", "raw", "train"], Graph.Names);

    [Fact]
    public void Upstream_and_downstream_are_sorted_and_a_name_given_twice_has_the_union_of_its_reads()
    {
        Assert.Equal(["features", "labels"], Graph.Upstream("train"));
        Assert.Equal(["evaluate", "train"], Graph.Downstream("features"));
        Assert.Empty(Graph.Upstream("raw"));
        Assert.Empty(Graph.Downstream("evaluate"));
    }

    [Fact]
    public void An_unknown_name_is_a_KeyNotFoundException_naming_it()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Graph.Upstream("trian"));
        Assert.Contains("'trian'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToMermaid_draws_a_left_to_right_flowchart_with_edges_from_upstream_to_downstream_in_a_stable_order()
    {
        var reordered = new DeclaredGraph([("evaluate", ["features", "train"]), ("train", ["labels", "features"]), ("features", ["raw"])]);

        Assert.Equal(
            """
            flowchart LR
                n0["evaluate"]
                n1["features"]
                n2["labels"]
                n3["raw"]
                n4["train"]
                n1 --> n0
                n1 --> n4
                n2 --> n4
                n3 --> n1
                n4 --> n0

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            Graph.ToMermaid());
        Assert.Equal(Graph.ToMermaid(), reordered.ToMermaid());
    }
}
