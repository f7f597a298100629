using System.Text.Json;
using Lineage.Cli.Commands;

namespace Lineage.Cli.Tests;

/// <summary><c>lineage annotate</c>: descriptions, tags and typed metadata, and what it refuses.</summary>
public sealed class AnnotateCommandTests
{
    [Fact]
    public async Task Set_values_keep_their_json_type_and_set_string_forces_a_string()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
        }

        var result = await home.RunAsync(
            "annotate", "model@1", "--json",
            "--set", "epochs=40", "--set", "accuracy=0.93", "--set", "big=1e3", "--set", "quantized=true", "--set", "dataset=iris",
            "--set", "version=0.9.1", "--set", "code=007", "--set", "empty=", "--set", "nothing=null", "--set", "padded= 42",
            "--set", "expr=a=b", "--set-string", "build=0042", "--set-string", "flag=false");

        Assert.True(result.ExitCode == 0, result.ToString());
        var metadata = result.Json().GetProperty("metadata");
        Assert.Equal(40, metadata.GetProperty("epochs").GetInt64());
        Assert.Equal(0.93, metadata.GetProperty("accuracy").GetDouble());
        Assert.Equal(1000, metadata.GetProperty("big").GetDouble());
        Assert.Equal(JsonValueKind.True, metadata.GetProperty("quantized").ValueKind);
        foreach (var (key, text) in new[] { ("dataset", "iris"), ("version", "0.9.1"), ("code", "007"), ("empty", ""), ("nothing", "null"), ("padded", " 42"), ("expr", "a=b"), ("build", "0042"), ("flag", "false") })
        {
            Assert.Equal(JsonValueKind.String, metadata.GetProperty(key).ValueKind);
            Assert.Equal(text, metadata.GetProperty(key).GetString());
        }

        using var reopened = home.Open();
        var record = reopened.Get("model@1");
        Assert.IsType<long>(record.Metadata["epochs"]);
        Assert.IsType<double>(record.Metadata["accuracy"]);
        Assert.IsType<bool>(record.Metadata["quantized"]);
        Assert.Equal("0042", record.Metadata["build"]);
        Assert.Single(reopened.Find(new ArtifactQuery { Where = "epochs > 39 and code = '007' and flag = 'false'" }));
    }

    [Fact]
    public async Task Annotate_adds_and_removes_tags_and_keys_and_prints_the_version_as_it_now_stands()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
            store.Save("model", 2, new SaveOptions { Description = "first", Tags = ["old", "iris"], Metadata = { ["stale"] = 1, ["kept"] = "yes" } });
            store.Aliases.Set("model", "production", 2);
        }

        var result = await home.RunAsync(
            "annotate", "model@production", "--description", "tuned\nwith more epochs", "--tag", "best", "--untag", "old", "--unset", "stale", "--set", "f1=0.91");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
        Assert.Equal(
        [
            "annotated:   model@2",
            "aliases:     production",
            "tags:        best, iris",
            "description: tuned",
            "             with more epochs",
            "metadata:    f1 = 0.91",
            "             kept = 'yes'",
        ], lines);
        using var reopened = home.Open();
        var record = reopened.Get("model@2");
        Assert.Equal("tuned\nwith more epochs", record.Description);
        Assert.Equal(["best", "iris"], record.Tags);
        Assert.Equal(["f1", "kept"], record.Metadata.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(reopened.Get("model@1").Tags);
    }

    [Fact]
    public async Task SQL_in_keys_values_and_tags_is_stored_as_data()
    {
        using var home = new CliHome();
        const string Hostile = "x'); DROP TABLE artifacts; --";
        using (var store = home.Open())
        {
            store.Save("model", 1);
            store.Save("model", 2);
        }

        var result = await home.RunAsync("annotate", "model@1", "--set", $"{Hostile}={Hostile}", "--set", "q=\"quoted\" \\ 'single'", "--tag", Hostile, "--description", Hostile);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var reopened = home.Open();
        var record = reopened.Get("model@1");
        Assert.Equal(Hostile, record.Metadata[Hostile]);
        Assert.Equal("\"quoted\" \\ 'single'", record.Metadata["q"]);
        Assert.Equal([Hostile], record.Tags);
        Assert.Equal(Hostile, record.Description);
        Assert.Equal(2, reopened.Versions("model").Count);
        Assert.Empty(reopened.Get("model@2").Metadata);
    }

    [Theory]
    [InlineData("Nothing to change")]
    [InlineData("takes KEY=VALUE; 'novalue' has no '='", "--set", "novalue")]
    [InlineData("has no key before '='", "--set-string", "=1")]
    [InlineData("both --tag and --untag", "--tag", "a", "--untag", "a")]
    [InlineData("both --set and --unset", "--set", "a=1", "--unset", "a")]
    [InlineData("tags are 1–100 characters", "--tag", "TAG101")]
    [InlineData("keys are 1–200 characters", "--set", "KEY201=1")]
    [InlineData("values hold at most 10000", "--set", "k=VALUE10001")]
    [InlineData("JSON numbers are finite", "--set", "k=1e999")]
    public async Task Bad_annotations_are_usage_errors_and_change_nothing(string message, params string[] options)
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1, new SaveOptions { Tags = ["kept"] });
        }

        var expanded = options.Select(o => o
            .Replace("TAG101", new string('t', 101), StringComparison.Ordinal)
            .Replace("KEY201", new string('k', 201), StringComparison.Ordinal)
            .Replace("VALUE10001", new string('v', 10_001), StringComparison.Ordinal)).ToArray();

        var result = await home.RunAsync(["annotate", "model@1", .. expanded]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", result.Error, StringComparison.Ordinal);
        using var reopened = home.Open();
        Assert.Equal(["kept"], reopened.Get("model@1").Tags);
        Assert.Empty(reopened.Get("model@1").Metadata);
    }

    [Fact]
    public async Task Annotating_an_unknown_alias_is_not_found()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
        }

        var result = await home.RunAsync("annotate", "model@production", "--tag", "x");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("has no alias 'production'", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("42", 42L)]
    [InlineData("-0.5", -0.5)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("True", "True")]
    [InlineData("1_000", "1_000")]
    [InlineData("+1", "+1")]
    [InlineData(".5", ".5")]
    [InlineData("\"x\"", "\"x\"")]
    [InlineData("[1]", "[1]")]
    [InlineData("{}", "{}")]
    public void Scalar_reads_json_numbers_and_booleans_and_keeps_anything_else_as_text(string text, object expected)
    {
        var value = AnnotateCommand.Scalar(text);

        var actual = value is JsonElement element
            ? element.ValueKind switch
            {
                JsonValueKind.Number => element.TryGetInt64(out var l) ? (object)l : element.GetDouble(),
                _ => (object)element.GetBoolean(),
            }
            : value;
        Assert.Equal(expected, actual);
    }
}
