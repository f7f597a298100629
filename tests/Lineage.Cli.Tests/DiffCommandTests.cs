using System.Text.Json;

namespace Lineage.Cli.Tests;

/// <summary><c>diff NAME@A NAME@B</c>: what changed in the recorded code between two versions.</summary>
public sealed class DiffCommandTests
{
    private const string FirstCode = """
        [Artifact("iris-model")]
        public static float[] Train(float[] x) => Normalize(x);

        static float[] Normalize(float[] x)
        {
            var max = x.Max();
            return x.Select(v => v / max).ToArray();
        }
        """;

    private const string SecondCode = """
        [Artifact("iris-model")]
        public static float[] Train(float[] x) => Normalize(x);

        static float[] Normalize(float[] x)
        {
            var max = x.Select(Math.Abs).Max();
            return x.Select(v => v / max).ToArray();
        }
        """;

    [Fact]
    public async Task Diff_of_versions_made_by_different_code_prints_a_unified_diff_of_the_recorded_source()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("iris-model", new[] { 0.5f }, new ArtifactCode("c0de0001aaaabbbbcccc", FirstCode, "IrisPipeline", "1.0.0"));
            store.Save("iris-model", new[] { 0.7f }, new ArtifactCode("c0de0002aaaabbbbcccc", SecondCode, "IrisPipeline", "1.1.0", "abc123"));
        }

        var result = await home.RunAsync("diff", "iris-model@1", "iris-model@2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            """
            --- iris-model@1	CodeVersion c0de0001aaaa, IrisPipeline 1.0.0
            +++ iris-model@2	CodeVersion c0de0002aaaa, IrisPipeline 1.1.0, revision abc123
            @@ -3,6 +3,6 @@
             
             static float[] Normalize(float[] x)
             {
            -    var max = x.Max();
            +    var max = x.Select(Math.Abs).Max();
                 return x.Select(v => v / max).ToArray();
             }

            """.ReplaceLineEndings(), result.Output);
    }

    [Fact]
    public async Task Diff_json_gives_both_code_versions_and_the_hunks_line_by_line()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("iris-model", new[] { 0.5f }, new ArtifactCode("c0de0001", FirstCode));
            store.Save("iris-model", new[] { 0.7f }, new ArtifactCode("c0de0002", SecondCode));
        }

        var result = await home.RunAsync("diff", "iris-model@1", "iris-model", "--json", "--context", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        var root = result.Json();
        Assert.Equal("c0de0001", root.GetProperty("old").GetProperty("code_version").GetString());
        Assert.Equal(2, root.GetProperty("new").GetProperty("version").GetInt32());
        Assert.Equal("c0de0002", root.GetProperty("new").GetProperty("code_version").GetString());
        Assert.False(root.GetProperty("same").GetBoolean());
        Assert.False(root.GetProperty("same_text").GetBoolean());
        Assert.Equal((1, 1), (root.GetProperty("added").GetInt32(), root.GetProperty("removed").GetInt32()));
        var hunk = Assert.Single(root.GetProperty("hunks").EnumerateArray().ToList());
        Assert.Equal("@@ -5,3 +5,3 @@", hunk.GetProperty("header").GetString());
        Assert.Contains("\"header\": \"@@ -5,3 +5,3 @@\"", result.Output);
        Assert.Equal(5, hunk.GetProperty("old_start").GetInt32());
        var lines = hunk.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(["context", "removed", "added", "context"], lines.Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal("    var max = x.Select(Math.Abs).Max();", lines[2].GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, lines[2].GetProperty("old_line").ValueKind);
        Assert.Equal(6, lines[2].GetProperty("new_line").GetInt32());
    }

    [Fact]
    public async Task Diff_of_versions_with_the_same_code_version_says_same_code_and_exits_0()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("iris-model", new[] { 0.5f }, new ArtifactCode("c0de0001aaaabbbbcccc", FirstCode));
            store.Save("iris-model", new[] { 0.6f }, new ArtifactCode("c0de0001aaaabbbbcccc", FirstCode));
        }

        var text = await home.RunAsync("diff", "iris-model@1", "iris-model@2");
        var json = await home.RunAsync("diff", "iris-model@1", "iris-model@2", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Equal("iris-model@1 and iris-model@2: same code (CodeVersion c0de0001aaaa…)", text.Output.Trim());
        Assert.True(json.Json().GetProperty("same").GetBoolean());
        Assert.True(json.Json().GetProperty("same_text").GetBoolean());
        Assert.Empty(json.Json().GetProperty("hunks").EnumerateArray());
    }

    [Fact]
    public async Task Diff_with_a_version_saved_without_code_fails_naming_that_version()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("iris-model", new[] { 0.5f }, new ArtifactCode("c0de0001", FirstCode));
            store.Save("iris-model", new[] { 0.6f });
        }

        var result = await home.RunAsync("diff", "iris-model@1", "iris-model@2");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Contains("No code was recorded with iris-model@2, so there is no code to compare", result.Error);
        Assert.DoesNotContain("iris-model@1", result.Error);
    }

    [Theory]
    [InlineData("diff", "iris-model@1")]
    [InlineData("diff", "iris-model@1", "iris-model@0")]
    [InlineData("diff", "iris-model@1", "iris-model@2", "--context", "-1")]
    public async Task Diff_with_a_malformed_command_line_exits_2(params string[] args)
    {
        using var home = new CliHome();

        var result = await home.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEqual(string.Empty, result.Error.Trim());
    }
}
