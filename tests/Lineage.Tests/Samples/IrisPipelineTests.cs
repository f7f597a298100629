using Lineage.Tests.Backends;

namespace Lineage.Tests.Samples;

/// <summary>Runs the generator sample as a user would: the first run computes, the second reuses the stored result.</summary>
public sealed class IrisPipelineTests
{
    [Fact]
    public async Task Second_run_reuses_the_model_computed_by_the_same_code_from_the_same_inputs()
    {
        using var home = new TestHome();
        var settings = new Dictionary<string, string> { ["LINEAGE_HOME"] = home.Path };

        var first = await ProgramRunner.RunAsync("IrisPipeline", [], settings);
        var second = await ProgramRunner.RunAsync("IrisPipeline", [], settings);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains("Trained iris-model: computed and saved as v1", first.Output);
        Assert.Contains("Evaluation: mean absolute error", first.Output);
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Contains("Trained iris-model: reused v1 (same code version and inputs)", second.Output);
        Assert.Contains("iris-model v1 was produced by IrisPipeline", second.Output);
        Assert.Contains("private static (float[] Weights, float Bias) Step(", second.Output);
        Assert.Contains("public static float Predict(", second.Output);

        // The three steps' lineage is exact: each argument equal to a stored version is recorded as that version.
        Assert.Contains("Prepared iris-data: 6 flowers", first.Output);
        Assert.Contains("  iris-model@production is v1, tagged iris, linear", first.Output);
        Assert.Contains("  iris-model@1 (exact: an argument equal to this version)", first.Output);
        Assert.Contains("  iris-data@1 (exact: an argument equal to this version)", first.Output);
        using var store = ArtifactStore.Open(new LineageOptions { Home = home.Path });
        var graph = store.Lineage.Graph("iris-evaluation");
        Assert.Equal(["iris-evaluation@1", "iris-data@1", "iris-model@1"], graph.Nodes.Where(n => n.Kind == LineageNodeKind.Version).Select(n => n.Label));
        Assert.Equal(["iris-data@1"], store.Lineage.Inputs("iris-model").Select(i => $"{i.Name}@{i.Version}"));
        var model = store.Get("iris-model@production");
        Assert.Equal("Linear model of petal length", model.Description);
        Assert.Equal(["iris", "linear"], model.Tags);
        Assert.Equal(["production"], model.Aliases);

        // One implicit run saved all three from different inputs: a run node per set of inputs, so no version feeds itself.
        Assert.Equal(2, graph.Nodes.Count(n => n.Kind == LineageNodeKind.Run));
        Assert.DoesNotContain(graph.Edges, e => graph.Edges.Any(o => o.From == e.To && o.To == e.From));
        Assert.All(graph.Edges.Where(e => e.Kind == LineageEdgeKind.Input), e => Assert.True(e.IsExact));
    }
}
