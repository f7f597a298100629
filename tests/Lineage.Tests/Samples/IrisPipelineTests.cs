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
    }
}
