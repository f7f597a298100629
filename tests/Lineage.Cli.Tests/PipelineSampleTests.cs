namespace Lineage.Cli.Tests;

/// <summary>The tool on the store that <c>samples/IrisPipeline</c> writes: the recorded code, and values of its <c>[Artifact]</c> types as JSON.</summary>
public sealed class PipelineSampleTests
{
    [Fact]
    public async Task Code_shows_the_train_method_and_the_helpers_it_reaches_as_the_pipeline_recorded_them()
    {
        using var home = new CliHome();
        var pipeline = await home.RunSampleAsync("IrisPipeline");

        var text = await home.RunAsync("code", "iris-model");
        var json = await home.RunAsync("code", "iris-model@1", "--json");

        Assert.True(pipeline.ExitCode == 0, pipeline.ToString());
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("public static IrisModel Train(IrisDataset data, int epochs = 200)", text.Output);
        Assert.Contains("(weights, bias) = Step(features, targets, weights, bias);", text.Output);
        Assert.Contains("private static (float[] Weights, float Bias) Step(", text.Output);
        Assert.Contains("public static float Predict(", text.Output);
        Assert.DoesNotContain("EvaluateAsync", text.Output);
        var root = json.Json();
        Assert.Equal("IrisPipeline", root.GetProperty("assembly_name").GetString());
        Assert.Matches("^[0-9a-f]{64}$", root.GetProperty("code_version").GetString());
        Assert.Equal(text.Output.TrimEnd(), root.GetProperty("source_code").GetString()!.ReplaceLineEndings().TrimEnd());
    }

    [Fact]
    public async Task Get_format_json_names_the_unknown_artifact_type_and_renders_it_once_its_assembly_is_given()
    {
        using var home = new CliHome();
        var pipeline = await home.RunSampleAsync("IrisPipeline");
        Assert.True(pipeline.ExitCode == 0, pipeline.ToString());
        var model = home.Sub("model.json");
        var report = home.Sub("report.json");

        var unknown = await home.RunAsync("get", "iris-model", "--format", "json", "-o", model);
        var rendered = await home.RunAsync("get", "iris-model", "--format", "json", "-o", model, "--assembly", CliHome.BuiltAssembly("IrisPipeline"));
        var nested = await home.RunAsync("get", "iris-evaluation", "--format", "json", "-o", "-", "--assembly", CliHome.BuiltAssembly("IrisPipeline"));

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("its type IrisPipeline.IrisModel is not a framework type", unknown.Error);
        Assert.Contains("--assembly", unknown.Error);
        Assert.Contains("leave out --format json to write the stored bytes", unknown.Error);
        Assert.DoesNotContain("   at ", unknown.Error);
        Assert.True(rendered.ExitCode == 0, rendered.ToString());
        Assert.Contains("Wrote iris-model@1 as JSON (IrisPipeline.IrisModel;", rendered.Output);
        using (var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(model)))
        {
            Assert.Equal(2, json.RootElement.GetProperty("Weights").GetArrayLength());
            Assert.InRange(json.RootElement.GetProperty("Bias").GetSingle(), 3f, 4f);
        }

        Assert.True(nested.ExitCode == 0, nested.ToString());
        var evaluation = nested.Json();
        Assert.StartsWith("mean absolute error", evaluation.GetProperty("Summary").GetString());
        Assert.Equal(6, evaluation.GetProperty("Losses").GetArrayLength());
        Assert.Equal(6, evaluation.GetProperty("Predicted").GetProperty("Setosa").GetInt32());
        Assert.Equal(2, evaluation.GetProperty("Model").GetProperty("Weights").GetArrayLength());
        Assert.False(File.Exists(report));
    }
}
