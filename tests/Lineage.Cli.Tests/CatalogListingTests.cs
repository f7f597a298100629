using System.Globalization;
using System.Text.Json;

namespace Lineage.Cli.Tests;

/// <summary>Aliases, tags, descriptions and metadata in <c>ls</c>, <c>versions</c> and <c>show</c>; <c>--as-of</c> on <c>show</c> and <c>get</c>.</summary>
public sealed class CatalogListingTests
{
    [Fact]
    public async Task Ls_and_versions_add_aliases_and_tags_columns_when_a_listed_version_has_them()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1, new SaveOptions { Tags = ["iris", "baseline"] });
            store.Save("model", 2);
            store.Save("plain", 1);
            store.Aliases.Set("model", "production", 1);
            store.Aliases.Set("model", "candidate", 2);
            store.Aliases.Set("model", "newest", 2);
        }

        var versions = await home.RunAsync("versions", "model");
        var ls = await home.RunAsync("ls");
        var plain = await home.RunAsync("versions", "plain");

        Assert.True(versions.ExitCode == 0, versions.ToString());
        var lines = versions.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+VERSION\s+SIZE\s+TYPE\s+CODE\s+CREATED\s+BY\s+ALIASES\s+TAGS$", lines[0]);
        Assert.Matches(@"^model\s+1\s.*\sproduction\s+baseline, iris$", lines[1]);
        Assert.Matches(@"^model\s+2\s.*\scandidate, newest\s+-$", lines[2]);
        Assert.Matches(@"^NAME\s+VERSION\s+SIZE\s+TYPE\s+CODE\s+CREATED\s+BY\s+ALIASES$", ls.Output.Split('\n')[0]);
        Assert.Matches(@"^NAME\s+VERSION\s+SIZE\s+TYPE\s+CODE\s+CREATED\s+BY$", plain.Output.Split('\n')[0]);
    }

    [Fact]
    public async Task Ls_and_versions_json_carry_aliases_tags_description_and_typed_metadata()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1, new SaveOptions { Description = "baseline", Tags = ["iris"], Metadata = { ["n"] = 3, ["x"] = 0.25, ["s"] = "3", ["b"] = false } });
            store.Save("plain", 1);
            store.Aliases.Set("model", "production", 1);
        }

        var ls = await home.RunAsync("ls", "--json");
        var versions = await home.RunAsync("versions", "model", "--json");

        Assert.True(ls.ExitCode == 0, ls.ToString());
        var items = ls.Json().EnumerateArray().ToList();
        var model = items.Single(i => i.GetProperty("name").GetString() == "model");
        Assert.Equal("baseline", model.GetProperty("description").GetString());
        Assert.Equal(["production"], model.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["iris"], model.GetProperty("tags").EnumerateArray().Select(a => a.GetString()));
        var metadata = model.GetProperty("metadata");
        Assert.Equal(JsonValueKind.Number, metadata.GetProperty("n").ValueKind);
        Assert.Equal(3, metadata.GetProperty("n").GetInt64());
        Assert.Equal(0.25, metadata.GetProperty("x").GetDouble());
        Assert.Equal("3", metadata.GetProperty("s").GetString());
        Assert.Equal(JsonValueKind.False, metadata.GetProperty("b").ValueKind);
        var plain = items.Single(i => i.GetProperty("name").GetString() == "plain");
        Assert.Equal(JsonValueKind.Null, plain.GetProperty("description").ValueKind);
        Assert.Empty(plain.GetProperty("aliases").EnumerateArray());
        Assert.Empty(plain.GetProperty("tags").EnumerateArray());
        Assert.Equal(JsonValueKind.Object, plain.GetProperty("metadata").ValueKind);
        Assert.Equal(model.GetRawText(), Assert.Single(versions.Json().EnumerateArray().ToList()).GetRawText());
    }

    [Fact]
    public async Task Show_lists_aliases_tags_description_and_metadata_as_filter_comparisons()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1, new SaveOptions
            {
                Description = "Linear model",
                Tags = ["iris"],
                Metadata = { ["accuracy"] = 0.93, ["dataset"] = "it's iris", ["epochs"] = 40, ["quantized"] = true, ["and"] = "x", ["two words"] = 1 },
            });
            store.Save("plain", 1);
            store.Aliases.Set("model", "production", 1);
        }

        var text = await home.RunAsync("show", "model@production");
        var json = await home.RunAsync("show", "model@production", "--json");
        var plain = await home.RunAsync("show", "plain");

        Assert.True(text.ExitCode == 0, text.ToString());
        var lines = text.Output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var start = Array.FindIndex(lines, l => l.StartsWith("aliases:", StringComparison.Ordinal));
        Assert.Equal(
        [
            "aliases:         production",
            "tags:            iris",
            "description:     Linear model",
            "metadata:        accuracy = 0.93",
            "                 \"and\" = 'x'",
            "                 dataset = 'it''s iris'",
            "                 epochs = 40",
            "                 quantized = true",
            "                 \"two words\" = 1",
        ], lines[start..(start + 9)]);
        Assert.Equal(0.93, json.Json().GetProperty("metadata").GetProperty("accuracy").GetDouble());
        Assert.Equal(40, json.Json().GetProperty("metadata").GetProperty("epochs").GetInt64());
        Assert.Equal(["production"], json.Json().GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        Assert.Matches(@"(?m)^aliases:\s+-$", plain.Output);
        Assert.Matches(@"(?m)^tags:\s+-$", plain.Output);
        Assert.Matches(@"(?m)^description:\s+-$", plain.Output);
        Assert.Matches(@"(?m)^metadata:\s+-$", plain.Output);
    }

    [Fact]
    public async Task Show_and_get_as_of_resolve_an_alias_as_it_stood_then()
    {
        using var home = new CliHome();
        DateTimeOffset between;
        using (var store = home.Open())
        {
            store.Save("model", new byte[] { 1 });
            store.Save("model", new byte[] { 2 });
            store.Aliases.Set("model", "production", 1);
            Thread.Sleep(50);
            store.Aliases.Set("model", "production", 2);
            var history = store.Aliases.History("model", "production");
            between = history[0].MovedAt + ((history[1].MovedAt - history[0].MovedAt) / 2);
        }

        var at = between.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        var then = await home.RunAsync("show", "model@production", "--as-of", at, "--json");
        var now = await home.RunAsync("show", "model@production", "--json");
        var get = await home.RunAsync("get", "model@production", "--as-of", at, "-o", home.Sub("then.bin"));
        var before = await home.RunAsync("show", "model@production", "--as-of", "2000-01-01");
        var bad = await home.RunAsync("show", "model@production", "--as-of", "last week");

        Assert.True(then.ExitCode == 0, then.ToString());
        Assert.Equal(1, then.Json().GetProperty("version").GetInt32());
        Assert.Equal(2, now.Json().GetProperty("version").GetInt32());
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Contains("model@1", get.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(home.Sub("then.bin")));
        Assert.Equal(1, before.ExitCode);
        Assert.Contains("did not point at any version", before.Error, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--as-of 'last week' is not a time", bad.Error, StringComparison.Ordinal);
    }
}
