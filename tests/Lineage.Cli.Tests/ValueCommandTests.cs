namespace Lineage.Cli.Tests;

/// <summary><c>get</c>, <c>rm</c> and <c>restore</c>.</summary>
public sealed class ValueCommandTests
{
    [Fact]
    public async Task Get_writes_the_stored_bytes_to_the_file()
    {
        using var home = new CliHome();
        var bytes = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        using (var store = home.Open())
        {
            store.Save("blob", new byte[] { 1, 2, 3 });
            store.Save("blob", bytes);
        }

        var target = home.Sub("out", "blob.bin");
        var latest = await home.RunAsync("get", "blob", "-o", target);
        var first = await home.RunAsync("get", "blob@1", "--output", home.Sub("first.bin"), "--json");

        Assert.True(latest.ExitCode == 0, latest.ToString());
        Assert.Equal(bytes, File.ReadAllBytes(target));
        Assert.Contains($"Wrote blob@2 (4.9 KiB, SHA-256 verified) to {target}", latest.Output);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(home.Sub("first.bin")));
        Assert.True(first.Json().GetProperty("verified").GetBoolean());
        Assert.Empty(Directory.GetFiles(home.Sub("out"), "*.partial"));
    }

    [Fact]
    public async Task Get_of_a_corrupt_value_fails_and_leaves_the_target_untouched()
    {
        using var home = new CliHome();
        ArtifactRecord saved;
        using (var store = home.Open())
        {
            saved = store.Save("blob", new byte[] { 1, 2, 3, 4 });
        }

        FlipFirstByte(home.ValueFile(saved));
        var target = home.Sub("blob.bin");
        File.WriteAllText(target, "previous content");

        var result = await home.RunAsync("get", "blob@1", "-o", target);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is corrupt: its SHA-256 is", result.Error);
        Assert.Equal("previous content", File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(home.Path, "*blob.bin*"));
    }

    [Fact]
    public async Task Get_without_an_output_file_is_a_usage_error()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("blob", new byte[] { 7 });
        }

        var result = await home.RunAsync("get", "blob");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("-o FILE", result.Error);
    }

    [Fact]
    public async Task Get_format_json_renders_framework_values_with_their_recorded_types()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("weights", new[] { 0.12f, -0.5f, float.NaN });
            store.Save("metrics", new Dictionary<string, double> { ["accuracy"] = 0.953, ["f1"] = 0.948 });
            store.Save("labels", new List<string> { "setosa", "<virginica>" });
            store.Save("grid", new[,] { { 1, 2 }, { 3, 4 } });
            store.Save("counts", new Dictionary<string, List<long>> { ["a"] = [1, 2] });
        }

        var weights = await home.RunAsync("get", "weights", "--format", "json", "-o", home.Sub("weights.json"));
        var metrics = await home.RunAsync("get", "metrics@1", "--format", "json", "-o", "-");
        var labels = await home.RunAsync("get", "labels", "--format", "json", "-o", "-");
        var grid = await home.RunAsync("get", "grid", "--format", "json", "-o", "-");
        var counts = await home.RunAsync("get", "counts", "--format", "json", "-o", home.Sub("counts.json"), "--json");

        Assert.True(weights.ExitCode == 0, weights.ToString());
        Assert.Contains("Wrote weights@1 as JSON (System.Single[]; 16 B stored, SHA-256 verified)", weights.Output);
        Assert.Equal("""[0.12,-0.5,"NaN"]""", Compact(File.ReadAllText(home.Sub("weights.json"))));
        Assert.True(metrics.ExitCode == 0, metrics.ToString());
        Assert.Equal(0.953, metrics.Json().GetProperty("accuracy").GetDouble());
        Assert.Equal("""["setosa","<virginica>"]""", Compact(labels.Output));
        Assert.Equal("[[1,2],[3,4]]", Compact(grid.Output));
        Assert.True(counts.ExitCode == 0, counts.ToString());
        Assert.Equal("json", counts.Json().GetProperty("format").GetString());
        Assert.Equal("System.Collections.Generic.Dictionary<System.String, System.Collections.Generic.List<System.Int64>>", counts.Json().GetProperty("type_name").GetString());
        Assert.Equal("""{"a":[1,2]}""", Compact(File.ReadAllText(home.Sub("counts.json"))));
        Assert.Empty(Directory.GetFiles(home.Path, "*.partial"));
    }

    [Fact]
    public async Task Get_format_json_of_a_corrupt_value_fails_before_rendering_and_writes_nothing()
    {
        using var home = new CliHome();
        ArtifactRecord saved;
        using (var store = home.Open())
        {
            saved = store.Save("metrics", new Dictionary<string, double> { ["accuracy"] = 0.953 });
        }

        FlipFirstByte(home.ValueFile(saved));

        var result = await home.RunAsync("get", "metrics", "--format", "json", "-o", home.Sub("metrics.json"));

        // Rendering loads the value, and a load verifies the version's fast checksum (the SHA-256 is for verify and exports).
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is corrupt: its checksum is", result.Error);
        Assert.False(File.Exists(home.Sub("metrics.json")));
    }

    [Fact]
    public async Task Get_format_json_of_raw_bytes_says_there_is_no_value_to_render()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("blob", new byte[] { 1, 2, 3 });
        }

        var result = await home.RunAsync("get", "blob", "--format", "json", "-o", home.Sub("blob.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("blob@1 was saved as raw bytes (System.Byte[])", result.Error);
        Assert.Contains("Leave out --format json", result.Error);
        Assert.False(File.Exists(home.Sub("blob.json")));
    }

    [Theory]
    [InlineData("get", "blob", "-o", "out.bin", "--format", "xml")]
    [InlineData("get", "blob", "-o", "out.bin", "--assembly", "Some.dll")]
    [InlineData("get", "blob", "-o", "-")]
    public async Task Get_with_options_that_do_not_fit_together_is_a_usage_error(params string[] args)
    {
        using var home = new CliHome();

        var result = await home.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEqual(string.Empty, result.Error.Trim());
    }

    [Fact]
    public async Task Rm_moves_a_version_to_the_trash_and_restore_brings_it_back()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
            store.Save("model", 2);
        }

        var removed = await home.RunAsync("rm", "model@1");
        var trash = await home.RunAsync("ls", "--trash");
        var trashJson = await home.RunAsync("ls", "--trash", "--json");
        var hidden = await home.RunAsync("show", "model@1");
        var restored = await home.RunAsync("restore", "model@1");
        var after = await home.RunAsync("versions", "model", "--json");
        var emptyTrash = await home.RunAsync("ls", "--trash");

        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("Moved model@1 to the trash; 'lineage restore model@1' brings it back.", removed.Output);
        Assert.Matches(@"(?m)^model\s+1\s", trash.Output);
        Assert.DoesNotMatch(@"(?m)^model\s+2\s", trash.Output);
        Assert.Equal("trash", Assert.Single(trashJson.Json().EnumerateArray().ToList()).GetProperty("branch").GetString());
        Assert.Equal(1, hidden.ExitCode);
        Assert.Contains("is in the trash", hidden.Error);
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Contains("Restored model@1.", restored.Output);
        Assert.Equal([1, 2], after.Json().EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal("The trash is empty.", emptyTrash.Output.Trim());
    }

    [Fact]
    public async Task Rm_permanent_removes_the_row_and_the_value()
    {
        using var home = new CliHome();
        ArtifactRecord saved;
        using (var store = home.Open())
        {
            saved = store.Save("model", 1);
            store.Save("model", 2);
        }

        var result = await home.RunAsync("rm", "model@1", "--permanent");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Deleted model@1 permanently.", result.Output);
        Assert.False(File.Exists(home.ValueFile(saved)));
        Assert.Equal(1, (await home.RunAsync("restore", "model@1")).ExitCode);
    }

    [Fact]
    public async Task Rm_without_a_version_is_a_usage_error()
    {
        using var home = new CliHome();

        var result = await home.RunAsync("rm", "model");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Give a version: model@VERSION", result.Error);
    }

    private static readonly System.Text.Json.JsonSerializerOptions CompactJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Compact(string json) => System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(json).RootElement, CompactJson);

    internal static void FlipFirstByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[0] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
