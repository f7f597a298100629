using System.Text.Json;

namespace Lineage.Cli.Tests;

/// <summary><c>ls</c>, <c>versions</c>, <c>show</c> and <c>code</c>.</summary>
public sealed class ListingCommandTests
{
    private const string TrainCode = """
        [Artifact("iris-model")]
        public static float[] Train(float[] x) => Normalize(x);

        static float[] Normalize(float[] x) => x.Select(v => v / x.Max()).ToArray();
        """;

    [Fact]
    public async Task Ls_shows_the_latest_of_each_name_and_all_shows_every_live_version()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("iris-weights", new[] { 1f, 2f });
            store.Save("iris-weights", new[] { 1f, 3f });
            store.Save("labels", new[] { "setosa", "virginica" });
        }

        var latest = await home.RunAsync("ls");
        var all = await home.RunAsync("ls", "--all");

        Assert.True(latest.ExitCode == 0, latest.ToString());
        var lines = latest.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^NAME\s+VERSION\s+SIZE\s+TYPE\s+CODE\s+CREATED\s+BY$", lines[0]);
        Assert.Matches(@"^iris-weights\s+2\s+\d+ B\s+float\[\]\s+-\s+\d{4}-", lines[1]);
        Assert.Matches(@"^labels\s+1\s", lines[2]);
        Assert.Equal(0, all.ExitCode);
        Assert.Equal(4, all.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Matches(@"(?m)^iris-weights\s+1\s", all.Output);
    }

    [Fact]
    public async Task Ls_json_lists_records_with_snake_case_properties()
    {
        using var home = new CliHome();
        ArtifactRecord saved;
        using (var store = home.Open())
        {
            saved = store.Save("iris-weights", new[] { 1f, 2f });
        }

        var result = await home.RunAsync("ls", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var item = Assert.Single(result.Json().EnumerateArray().ToList());
        Assert.Equal("iris-weights", item.GetProperty("name").GetString());
        Assert.Equal(1, item.GetProperty("version").GetInt32());
        Assert.Equal("main", item.GetProperty("branch").GetString());
        Assert.Equal(saved.Uid, item.GetProperty("uid").GetString());
        Assert.Equal(saved.Hash, item.GetProperty("hash").GetString());
        Assert.Equal(saved.Size, item.GetProperty("size").GetInt64());
        Assert.Equal(saved.TypeName, item.GetProperty("type_name").GetString());
        Assert.Equal(saved.Key, item.GetProperty("key").GetString());
        Assert.Equal(saved.CreatedAt, item.GetProperty("created_at").GetDateTimeOffset());
        Assert.False(item.GetProperty("has_source_code").GetBoolean());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("code_version").ValueKind);
    }

    [Fact]
    public async Task Ls_json_and_versions_json_write_the_bytes_the_serializer_writes_for_every_field_over_many_chunks()
    {
        // ls --json streams its records through ArtifactJsonWriter in 32 KiB chunks, from pages of 1,000 names read one after
        // another; its bytes must stay those of JsonSerializer over ArtifactJson (the shape docs/cli.md documents), for every field
        // and across chunk and page boundaries.
        using var home = new CliHome();
        List<ArtifactRecord> latest;
        List<ArtifactRecord> versions;
        using (var store = home.Open())
        {
            var options = new SaveOptions
            {
                Description = "weights <b> & \"quoted\" caf\u00e9 \u65e5\u672c \u001b[31m red \u009b31m tab\there",
                Tags = ["nightly", "caf\u00e9"],
                Metadata = { ["accuracy"] = 0.9134, ["epochs"] = 12L, ["dataset"] = "iris <v2>", ["ok"] = true, ["tiny"] = 1e-7 },
            };
            store.Save("model", new[] { 0.5f }, new ArtifactCode("c0de", TrainCode, "IrisPipeline", "1.2.0", "abc123"), options);
            store.Save("model", new[] { 0.7f }, options);
            store.Aliases.Set("model", "production", 2);
            for (var i = 0; i < 1_050; i++)
            {
                store.Save($"name-{i:D4}", i);
            }

            latest = [.. store.List()];
            versions = [.. store.Versions("model")];
        }

        var ls = await home.RunAsync("ls", "--json");
        var model = await home.RunAsync("versions", "model", "--json");

        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.True(ls.Output.Length > 4 * 32 * 1024, $"{ls.Output.Length} characters: fewer than four chunks");
        Assert.True(latest.Count > 1_000, $"{latest.Count} names: the listing fits one page");
        Assert.Equal(Serialized(latest), ls.Output);
        Assert.Equal(Serialized(versions), model.Output);
        Assert.Contains("\\u001B[31m", ls.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', ls.Output);
        Assert.DoesNotContain('\u009b', ls.Output);
    }

    private static string Serialized(IEnumerable<ArtifactRecord> records) =>
        Lineage.Cli.Output.EscapingWriter.Escape(Lineage.Cli.Output.Terminal.ToJson(records.Select(r => Lineage.Cli.Output.ArtifactJson.From(r)))) + Environment.NewLine;

    [Fact]
    public async Task Ls_shows_a_page_and_how_many_names_follow_with_the_command_for_the_next_page()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            foreach (var name in new[] { "e", "a", "d", "b", "c" })
            {
                store.Save(name, 1);
            }
        }

        var first = await home.RunAsync("ls", "--limit", "2");
        var next = Assert.Single(first.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("more", StringComparison.Ordinal));
        var command = System.Text.RegularExpressions.Regex.Match(next, @"^3 more names: lineage ls --after (\S+) --limit 2$");
        var second = await home.RunAsync("ls", "--after", command.Groups[1].Value, "--limit", "2");
        var cursor = System.Text.RegularExpressions.Regex.Match(second.Output, @"lineage ls --after (\S+)").Groups[1].Value;
        var last = await home.RunAsync("ls", "--after", cursor, "--limit", "2");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(command.Success, first.Output);
        Assert.Equal(["NAME", "a", "b"], Names(first.Output));
        Assert.Equal(["NAME", "c", "d"], Names(second.Output));
        Assert.Contains("1 more name: lineage ls --after", second.Output, StringComparison.Ordinal);
        Assert.Equal(["NAME", "e"], Names(last.Output));
        Assert.DoesNotContain("more", last.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ls_json_with_a_limit_keeps_stdout_one_array_and_says_what_follows_on_stderr()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("a", 1);
            store.Save("b", 1);
            store.Save("c", 1);
        }

        var paged = await home.RunAsync("ls", "--json", "--limit", "2");
        var whole = await home.RunAsync("ls", "--json");

        Assert.True(paged.ExitCode == 0, paged.ToString());
        Assert.Equal(["a", "b"], paged.Json().EnumerateArray().Select(i => i.GetProperty("name").GetString()));
        Assert.Matches(@"^1 more name: lineage ls --after \S+ --limit 2$", paged.Error.Trim());
        Assert.Equal(3, whole.Json().GetArrayLength());
        Assert.Equal(string.Empty, whole.Error.Trim());
    }

    [Fact]
    public async Task Ls_refuses_a_cursor_it_did_not_print_and_paging_options_with_other_listings()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("a", 1);
        }

        var cursor = await home.RunAsync("ls", "--after", "a");
        var trash = await home.RunAsync("ls", "--trash", "--limit", "5");
        var zero = await home.RunAsync("ls", "--limit", "0");

        Assert.NotEqual(0, cursor.ExitCode);
        Assert.Contains("--after 'a' is not a cursor", cursor.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, trash.ExitCode);
        Assert.Contains("do not combine with --all, --trash or --archive", trash.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, zero.ExitCode);
        Assert.Contains("--limit takes a number from 1", zero.Error, StringComparison.Ordinal);
    }

    private static List<string> Names(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.Contains("more", StringComparison.Ordinal)).Select(l => l.Split(' ')[0])];

    [Fact]
    public async Task Ls_on_an_empty_store_says_so_and_json_is_an_empty_array()
    {
        using var home = new CliHome();

        var text = await home.RunAsync("ls");
        var json = await home.RunAsync("ls", "--json");

        Assert.Equal("No artifacts.", text.Output.Trim());
        Assert.Equal(0, json.Json().GetArrayLength());
    }

    [Fact]
    public async Task Versions_lists_live_versions_oldest_first()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
            store.Save("model", 2);
            store.Save("model", 3);
            store.Delete("model", 2);
        }

        var text = await home.RunAsync("versions", "model");
        var json = await home.RunAsync("versions", "model", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        var rows = text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.Equal(2, rows.Length);
        Assert.Matches(@"^model\s+1\s", rows[0]);
        Assert.Matches(@"^model\s+3\s", rows[1]);
        Assert.Equal([1, 3], json.Json().EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task Show_prints_all_metadata_of_a_version_and_json_includes_the_source_code()
    {
        using var home = new CliHome();
        ArtifactRecord first;
        using (var store = home.Open())
        {
            first = store.Save("iris-model", new[] { 0.5f }, new ArtifactCode("c0de", TrainCode, "IrisPipeline", "1.2.0", "abc123"));
            store.Save("iris-model", new[] { 0.7f });
        }

        var text = await home.RunAsync("show", "iris-model@1");
        var latest = await home.RunAsync("show", "iris-model");
        var json = await home.RunAsync("show", "iris-model@1", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("name:            iris-model", text.Output);
        Assert.Contains("version:         1", text.Output);
        Assert.Contains($"uid:             {first.Uid}", text.Output);
        Assert.Contains($"hash:            sha256:{first.Hash}", text.Output);
        Assert.Contains("code_version:    c0de", text.Output);
        Assert.Contains("assembly:        IrisPipeline 1.2.0", text.Output);
        Assert.Contains("source_revision: abc123", text.Output);
        Assert.Contains("source_code:     4 lines (lineage code iris-model@1)", text.Output);
        Assert.Contains("version:         2", latest.Output);
        Assert.Contains("source_code:     not recorded", latest.Output);
        var root = json.Json();
        Assert.Equal(TrainCode, root.GetProperty("source_code").GetString());
        Assert.Equal("c0de", root.GetProperty("code_version").GetString());
        Assert.Equal("IrisPipeline", root.GetProperty("assembly_name").GetString());
        Assert.Equal(first.StorageRoot, root.GetProperty("storage_root").GetString());
    }

    [Fact]
    public async Task Code_prints_the_recorded_source_code()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("iris-model", new[] { 0.5f }, new ArtifactCode("c0de", TrainCode, "IrisPipeline", "1.2.0"));
        }

        var text = await home.RunAsync("code", "iris-model");
        var json = await home.RunAsync("code", "iris-model@1", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Equal(TrainCode + Environment.NewLine, text.Output);
        Assert.Equal(TrainCode, json.Json().GetProperty("source_code").GetString());
        Assert.Equal("c0de", json.Json().GetProperty("code_version").GetString());
    }

    [Fact]
    public async Task Code_of_a_version_saved_without_code_fails_with_a_clear_message()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("labels", new[] { "a" });
        }

        var result = await home.RunAsync("code", "labels@1");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Contains("No code was recorded with labels@1", result.Error);
    }
}
