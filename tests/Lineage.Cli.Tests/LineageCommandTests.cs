using System.Text.Json;
using System.Text.RegularExpressions;

namespace Lineage.Cli.Tests;

/// <summary><c>graph</c>, <c>runs</c>, <c>run</c> and the lineage lines of <c>show</c>, on a three-step pipeline saved through the API.</summary>
public sealed partial class LineageCommandTests
{
    private static readonly ArtifactCode TrainCode = new("train-v1", "static float[] Train(float[] data) => [data.Average()];") { Upstream = ["iris-data"] };

    /// <summary>ingest saves iris-data; train loads it and GetOrComputes iris-model from it (an exact input); evaluate loads both and saves iris-report.</summary>
    private sealed record Pipeline(string Ingest, string Train, string Evaluate);

    private static Pipeline SavePipeline(CliHome home)
    {
        using var store = home.Open();
        string ingest, train, evaluate;
        using (var run = store.Runs.Start("ingest", new Dictionary<string, string> { ["source"] = "iris.csv" }))
        {
            store.Save("iris-data", new[] { 5.1f, 4.9f, 7.0f });
            ingest = run.Uid;
        }

        using (var run = store.Runs.Start("train", new Dictionary<string, string> { ["epochs"] = "200", ["lr"] = "0.05" }))
        {
            var data = store.Load<float[]>("iris-data");
            using var inputs = new InputHasher().Add(data);
            store.GetOrCompute("iris-model", TrainCode, inputs, () => new[] { data.Average() });
            train = run.Uid;
        }

        using (var run = store.Runs.Start("evaluate"))
        {
            store.Load<float[]>("iris-model");
            store.Load<float[]>("iris-data");
            store.Save("iris-report", "mean error 0.12");
            evaluate = run.Uid;
        }

        return new Pipeline(ingest, train, evaluate);
    }

    private static string[] Lines(CliResult result) => result.Output.TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToArray();

    [Fact]
    public async Task Graph_prints_a_tree_of_each_version_with_its_run_and_what_it_was_computed_from()
    {
        using var home = new CliHome();
        var p = SavePipeline(home);

        var tree = await home.RunAsync("graph", "iris-report");
        var asked = await home.RunAsync("graph", "iris-report@1", "--format", "tree");

        Assert.True(tree.ExitCode == 0, tree.ToString());
        Assert.Equal(
            [
                $"iris-report@1  ← run evaluate ({p.Evaluate}, succeeded)",
                $"├── iris-data@1  ← run ingest ({p.Ingest}, succeeded)",
                $"└── iris-model@1  ← run train ({p.Train}, succeeded)",
                $"    └── iris-data@1 (exact)  ← run ingest ({p.Ingest}, succeeded)",
            ],
            Lines(tree));
        Assert.Equal(tree.Output, asked.Output);
    }

    [Fact]
    public async Task Graph_downstream_follows_what_was_computed_from_a_version_and_both_shows_the_two_sides()
    {
        using var home = new CliHome();
        var p = SavePipeline(home);

        var downstream = await home.RunAsync("graph", "iris-data", "--downstream");
        var both = await home.RunAsync("graph", "iris-model", "--both");
        var leaf = await home.RunAsync("graph", "iris-report", "--downstream");

        Assert.True(downstream.ExitCode == 0, downstream.ToString());
        Assert.Equal(
            [
                $"iris-data@1  ← run ingest ({p.Ingest}, succeeded)",
                $"├── iris-report@1  ← run evaluate ({p.Evaluate}, succeeded)",
                $"└── iris-model@1 (exact)  ← run train ({p.Train}, succeeded)",
                $"    └── iris-report@1  ← run evaluate ({p.Evaluate}, succeeded)",
            ],
            Lines(downstream));
        Assert.Equal(
            [
                $"iris-model@1  ← run train ({p.Train}, succeeded)",
                "├── upstream (computed from)",
                $"│   └── iris-data@1 (exact)  ← run ingest ({p.Ingest}, succeeded)",
                "└── downstream (computed from it)",
                $"    └── iris-report@1  ← run evaluate ({p.Evaluate}, succeeded)",
            ],
            Lines(both));
        Assert.Equal([$"iris-report@1  ← run evaluate ({p.Evaluate}, succeeded)", "Nothing recorded as computed from it."], Lines(leaf));
    }

    [Fact]
    public async Task Graph_depth_limits_the_steps_followed_and_is_validated()
    {
        using var home = new CliHome();
        var p = SavePipeline(home);

        var one = await home.RunAsync("graph", "iris-report", "--depth", "1");
        var json = await home.RunAsync("graph", "iris-report", "--depth", "1", "--json");
        var zero = await home.RunAsync("graph", "iris-report", "--depth", "0");
        var tooDeep = await home.RunAsync("graph", "iris-report", "--depth", (LineageQueries.MaxDepth + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var byDefault = await home.RunAsync("graph", "iris-report", "--json");

        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Equal(
            [
                $"iris-report@1  ← run evaluate ({p.Evaluate}, succeeded)",
                $"├── iris-data@1  ← run ingest ({p.Ingest}, succeeded)",
                $"└── iris-model@1  ← run train ({p.Train}, succeeded)",
            ],
            Lines(one));
        Assert.Equal(1, json.Json().GetProperty("depth").GetInt32());
        Assert.Equal(LineageQueries.DefaultDepth, byDefault.Json().GetProperty("depth").GetInt32());
        foreach (var bad in new[] { zero, tooDeep })
        {
            Assert.True(bad.ExitCode == 2, bad.ToString());
            Assert.Contains($"--depth takes a number of steps from 1 to {LineageQueries.MaxDepth}", bad.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Graph_as_mermaid_and_dot_has_the_pipelines_versions_runs_and_edges()
    {
        using var home = new CliHome();
        SavePipeline(home);
        string[] expected =
        [
            "iris-data@1 -> run evaluate", "iris-data@1 => run train", "iris-model@1 -> run evaluate",
            "run evaluate -> iris-report@1", "run train -> iris-model@1",
        ];

        var mermaid = await home.RunAsync("graph", "iris-report", "--format", "mermaid");
        var dot = await home.RunAsync("graph", "iris-report", "--format", "dot");

        Assert.True(mermaid.ExitCode == 0, mermaid.ToString());
        Assert.StartsWith("flowchart LR\n", mermaid.Output, StringComparison.Ordinal);
        var mermaidLabels = MermaidNode().Matches(mermaid.Output).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["label"].Value);
        Assert.Equal(["iris-data@1", "iris-model@1", "iris-report@1", "run evaluate", "run train"], mermaidLabels.Values.Order(StringComparer.Ordinal));
        Assert.Equal(expected, MermaidEdge().Matches(mermaid.Output)
            .Select(m => $"{mermaidLabels[m.Groups["from"].Value]} {(m.Groups["arrow"].Value == "==>" ? "=>" : "->")} {mermaidLabels[m.Groups["to"].Value]}")
            .Order(StringComparer.Ordinal));
        Assert.Matches(@"class n\d+ root", mermaid.Output);
        Assert.Equal("iris-report@1", mermaidLabels[Regex.Match(mermaid.Output, @"class (n\d+) root").Groups[1].Value]);

        Assert.True(dot.ExitCode == 0, dot.ToString());
        Assert.StartsWith("digraph lineage {", dot.Output, StringComparison.Ordinal);
        Assert.EndsWith("}", dot.Output.TrimEnd(), StringComparison.Ordinal);
        var dotLabels = DotNode().Matches(dot.Output).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["label"].Value);
        Assert.Equal(["iris-data@1", "iris-model@1", "iris-report@1", "run evaluate", "run train"], dotLabels.Values.Order(StringComparer.Ordinal));
        Assert.Equal(expected, DotEdge().Matches(dot.Output)
            .Select(m => $"{dotLabels[m.Groups["from"].Value]} {(m.Groups["bold"].Success ? "=>" : "->")} {dotLabels[m.Groups["to"].Value]}")
            .Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Graph_as_json_lists_nodes_and_edges_with_snake_case_names()
    {
        using var home = new CliHome();
        var p = SavePipeline(home);

        var result = await home.RunAsync("graph", "iris-report", "--format", "json");
        var viaFlag = await home.RunAsync("graph", "iris-report", "--json");
        var conflicting = await home.RunAsync("graph", "iris-report", "--json", "--format", "dot");

        Assert.True(result.ExitCode == 0, result.ToString());
        var graph = result.Json();
        var nodes = graph.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.Equal("upstream", graph.GetProperty("direction").GetString());
        Assert.Equal("iris-report@1", nodes[graph.GetProperty("root").GetString()!].GetProperty("label").GetString());
        Assert.Equal(
            ["run:evaluate", "run:train", "version:iris-data@1", "version:iris-model@1", "version:iris-report@1"],
            nodes.Values.Select(n => $"{n.GetProperty("kind").GetString()}:{n.GetProperty("label").GetString()}").Order(StringComparer.Ordinal));
        var train = nodes["r:" + p.Train];
        Assert.Equal("succeeded", train.GetProperty("status").GetString());
        Assert.False(train.GetProperty("implicit").GetBoolean());
        Assert.True(train.TryGetProperty("started_at", out _));
        var report = nodes.Values.Single(n => n.GetProperty("label").GetString() == "iris-report@1");
        Assert.True(report.TryGetProperty("created_at", out _));
        Assert.False(report.TryGetProperty("createdAt", out _));
        Assert.Equal(p.Evaluate, report.GetProperty("run_uid").GetString());
        Assert.False(report.TryGetProperty("source_code", out _));
        var edges = graph.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(5, edges.Count);
        var exact = Assert.Single(edges, e => e.TryGetProperty("exact", out var x) && x.GetBoolean());
        Assert.Equal("iris-data@1", nodes[exact.GetProperty("from").GetString()!].GetProperty("label").GetString());
        Assert.Equal("r:" + p.Train, exact.GetProperty("to").GetString());
        Assert.Equal(result.Output, viaFlag.Output);
        Assert.Equal(2, conflicting.ExitCode);
        Assert.Contains("--json", conflicting.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_permanently_deleted_input_stays_in_the_graph_and_in_show_as_a_tombstone()
    {
        using var home = new CliHome();
        var p = SavePipeline(home);

        var rm = await home.RunAsync("rm", "iris-data@1", "--permanent");
        var tree = await home.RunAsync("graph", "iris-report");
        var json = await home.RunAsync("graph", "iris-report", "--json");
        var mermaid = await home.RunAsync("graph", "iris-report", "--format", "mermaid");
        var show = await home.RunAsync("show", "iris-model");
        var showJson = await home.RunAsync("show", "iris-model", "--json");
        var run = await home.RunAsync("run", p.Train);

        Assert.True(rm.ExitCode == 0, rm.ToString());
        Assert.Equal(
            [
                $"iris-report@1  ← run evaluate ({p.Evaluate}, succeeded)",
                $"├── iris-model@1  ← run train ({p.Train}, succeeded)",
                "│   └── iris-data@1 (exact, deleted)",
                "└── iris-data@1 (deleted)",
            ],
            Lines(tree));
        var deleted = Assert.Single(json.Json().GetProperty("nodes").EnumerateArray(), n => n.GetProperty("kind").GetString() == "deleted");
        Assert.Equal("iris-data@1", deleted.GetProperty("label").GetString());
        Assert.Contains("[\"iris-data@1 (deleted)\"]", mermaid.Output, StringComparison.Ordinal);
        Assert.Contains("inputs:          iris-data@1 (exact, deleted)", show.Output, StringComparison.Ordinal);
        var input = Assert.Single(showJson.Json().GetProperty("inputs").EnumerateArray().ToList());
        Assert.True(input.GetProperty("deleted").GetBoolean());
        Assert.Equal(JsonValueKind.Null, input.GetProperty("uid").ValueKind);
        Assert.Contains("inputs:          iris-data@1 (deleted)", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_graph_with_a_version_reached_twice_expands_it_once()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            using (store.Runs.Start("base"))
            {
                store.Save("a", 1);
            }

            using (store.Runs.Start("left"))
            {
                store.Save("b", store.Load<int>("a") + 1);
            }

            using (store.Runs.Start("right"))
            {
                store.Save("c", store.Load<int>("a") + 2);
            }

            using (store.Runs.Start("join"))
            {
                store.Save("d", store.Load<int>("b") + store.Load<int>("c"));
            }

            using (store.Runs.Start("top"))
            {
                store.Save("e", store.Load<int>("d") + store.Load<int>("b"));
            }
        }

        var result = await home.RunAsync("graph", "e");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result).Select(l => RunSuffix().Replace(l, string.Empty)).ToArray();
        Assert.Equal(
            [
                "e@1",
                "├── b@1",
                "│   └── a@1",
                "└── d@1",
                "    ├── b@1  (see above)",
                "    └── c@1",
                "        └── a@1",
            ],
            lines);
    }

    [Fact]
    public async Task Runs_lists_runs_newest_first_with_implicit_runs_marked()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("loose", 1); // outside any run: the implicit run of this process
        }

        var p = SavePipeline(home);

        var table = await home.RunAsync("runs");
        var limited = await home.RunAsync("runs", "--limit", "2");
        var json = await home.RunAsync("runs", "--json");
        var badLimit = await home.RunAsync("runs", "--limit", "0");

        Assert.True(table.ExitCode == 0, table.ToString());
        var lines = Lines(table);
        Assert.Matches(@"^UID\s+NAME\s+STATUS\s+STARTED\s+DURATION\s+USER\s+HOST$", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.Matches($@"^{p.Evaluate}\s+evaluate\s+succeeded\s+\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+\d+(ms|\.\ds)\s+\S+\s+\S+$", lines[1]);
        Assert.StartsWith(p.Train + " ", lines[2], StringComparison.Ordinal);
        Assert.StartsWith(p.Ingest + " ", lines[3], StringComparison.Ordinal);
        Assert.Matches(@"^\S+\s+\S+ \(implicit\)\s+succeeded\s", lines[4]);
        Assert.Equal(3, Lines(limited).Length);
        var runs = json.Json().EnumerateArray().ToList();
        Assert.Equal([p.Evaluate, p.Train, p.Ingest], runs.Take(3).Select(r => r.GetProperty("uid").GetString()));
        Assert.True(runs[3].GetProperty("implicit").GetBoolean());
        Assert.False(runs[1].GetProperty("implicit").GetBoolean());
        Assert.Equal("200", runs[1].GetProperty("parameters").GetProperty("epochs").GetString());
        Assert.Equal("succeeded", runs[1].GetProperty("status").GetString());
        Assert.True(runs[1].GetProperty("duration_seconds").GetDouble() >= 0);
        Assert.Equal(JsonValueKind.Null, runs[1].GetProperty("error").ValueKind);
        Assert.Equal(2, badLimit.ExitCode);
    }

    [Fact]
    public async Task Run_shows_every_field_its_parameters_inputs_and_outputs()
    {
        using var home = new CliHome();
        var p = SavePipeline(home);
        using (var store = home.Open())
        {
            using var failing = store.Runs.Start("broken");
            failing.Fail(new InvalidOperationException("labels missing"));
        }

        var text = await home.RunAsync("run", p.Train);
        var json = await home.RunAsync("run", p.Evaluate, "--json");
        var failed = await home.RunAsync("runs", "--json");
        var missing = await home.RunAsync("run", "nope");

        Assert.True(text.ExitCode == 0, text.ToString());
        foreach (var line in new[]
        {
            $"uid:             {p.Train}", "name:            train", "status:          succeeded", "kind:            explicit",
            "parameters:      epochs=200", "                 lr=0.05", "error:           -", "inputs:          iris-data@1", "outputs:         iris-model@1",
        })
        {
            Assert.Contains(line + Environment.NewLine, text.Output, StringComparison.Ordinal);
        }

        Assert.Matches(@"(?m)^started_at:\s+\d{4}-", text.Output);
        Assert.Matches(@"(?m)^finished_at:\s+\d{4}-", text.Output);
        Assert.Matches(@"(?m)^command_line:\s+\S", text.Output);
        Assert.Matches(@"(?m)^entry_assembly:\s+\S", text.Output);
        var run = json.Json();
        Assert.Equal("evaluate", run.GetProperty("name").GetString());
        Assert.Equal(["iris-model", "iris-data"], run.GetProperty("inputs").EnumerateArray().Select(i => i.GetProperty("name").GetString()).Order(StringComparer.Ordinal).Reverse());
        Assert.Equal("iris-report", Assert.Single(run.GetProperty("outputs").EnumerateArray().ToList()).GetProperty("name").GetString());
        Assert.Empty(run.GetProperty("parameters").EnumerateObject());
        var broken = failed.Json().EnumerateArray().First();
        Assert.Equal(("broken", "failed"), (broken.GetProperty("name").GetString(), broken.GetProperty("status").GetString()));
        Assert.Equal("System.InvalidOperationException: labels missing", broken.GetProperty("error").GetString());
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No run 'nope'", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_masks_the_password_of_a_url_on_the_recorded_command_line()
    {
        using var home = new CliHome();
        const string Url = "postgresql://ana:s3cret-pw@db.example/lineage";

        var worker = await home.RunSampleAsync("Lineage.SaveWorker", "notes", "1", Url);
        var runs = await home.RunAsync("runs", "--json");
        var uid = Assert.Single(runs.Json().EnumerateArray().ToList()).GetProperty("uid").GetString()!;
        var text = await home.RunAsync("run", uid);
        var json = await home.RunAsync("run", uid, "--json");
        var table = await home.RunAsync("runs");

        Assert.True(worker.ExitCode == 0, worker.ToString());
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches(@"(?m)^command_line:\s+\S*Lineage\.SaveWorker\.dll notes 1 postgresql://ana:\*\*\*@db\.example/lineage$", text.Output);
        Assert.Equal("postgresql://ana:***@db.example/lineage", json.Json().GetProperty("command_line").GetString()!.Split(' ')[^1]);
        foreach (var output in new[] { text, json, runs, table })
        {
            Assert.DoesNotContain("s3cret-pw", output.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Show_names_the_run_inputs_outputs_and_declared_inputs_of_a_version()
    {
        using var home = new CliHome();
        var p = SavePipeline(home);

        var model = await home.RunAsync("show", "iris-model");
        var report = await home.RunAsync("show", "iris-report");
        var json = await home.RunAsync("show", "iris-model", "--json");
        var reportJson = await home.RunAsync("show", "iris-report", "--json");

        Assert.True(model.ExitCode == 0, model.ToString());
        Assert.EndsWith(
            string.Join(Environment.NewLine,
                $"run:             train ({p.Train}, succeeded)",
                "inputs:          iris-data@1 (exact)",
                "outputs:         iris-report@1",
                "declared_inputs: iris-data") + Environment.NewLine,
            model.Output, StringComparison.Ordinal);
        Assert.EndsWith(
            string.Join(Environment.NewLine,
                $"run:             evaluate ({p.Evaluate}, succeeded)",
                "inputs:          iris-model@1 (loaded in run)",
                "                 iris-data@1 (loaded in run)",
                "outputs:         -",
                "declared_inputs: -") + Environment.NewLine,
            report.Output, StringComparison.Ordinal);
        var root = json.Json();
        Assert.Equal(p.Train, root.GetProperty("run_uid").GetString());
        Assert.Equal(p.Train, root.GetProperty("run").GetProperty("uid").GetString());
        Assert.Equal("train", root.GetProperty("run").GetProperty("name").GetString());
        Assert.Equal("succeeded", root.GetProperty("run").GetProperty("status").GetString());
        var input = Assert.Single(root.GetProperty("inputs").EnumerateArray().ToList());
        Assert.Equal(("iris-data", 1, true, false), (input.GetProperty("name").GetString(), input.GetProperty("version").GetInt32(), input.GetProperty("exact").GetBoolean(), input.GetProperty("deleted").GetBoolean()));
        var output = Assert.Single(root.GetProperty("outputs").EnumerateArray().ToList());
        Assert.Equal(("iris-report", 1, "main"), (output.GetProperty("name").GetString(), output.GetProperty("version").GetInt32(), output.GetProperty("branch").GetString()));
        Assert.Equal(["iris-data"], root.GetProperty("declared_inputs").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(2, reportJson.Json().GetProperty("inputs").GetArrayLength());
        Assert.All(reportJson.Json().GetProperty("inputs").EnumerateArray(), i => Assert.False(i.GetProperty("exact").GetBoolean()));
    }

    [Fact]
    public async Task Show_of_a_version_saved_outside_any_run_names_the_implicit_run_and_no_inputs()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("loose", 1);
        }

        var text = await home.RunAsync("show", "loose");
        var json = await home.RunAsync("show", "loose", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches(@"(?m)^run:\s+\S+ \(\w{16}, succeeded, implicit\)$", text.Output);
        Assert.Contains("inputs:          -", text.Output, StringComparison.Ordinal);
        Assert.True(json.Json().GetProperty("run").GetProperty("implicit").GetBoolean());
        Assert.Equal(0, json.Json().GetProperty("inputs").GetArrayLength());
    }

    [GeneratedRegex(@"^\s+(?<id>n\d+)\(?\[""(?<label>[^""]*)""\]\)?$", RegexOptions.Multiline)]
    private static partial Regex MermaidNode();

    [GeneratedRegex(@"^\s+(?<from>n\d+) (?<arrow>-->|==>) (?<to>n\d+)$", RegexOptions.Multiline)]
    private static partial Regex MermaidEdge();

    [GeneratedRegex(@"^\s+""(?<id>[^""]+)"" \[label=""(?<label>[^""]*)""", RegexOptions.Multiline)]
    private static partial Regex DotNode();

    [GeneratedRegex(@"^\s+""(?<from>[^""]+)"" -> ""(?<to>[^""]+)""(?<bold> \[style=bold\])?;$", RegexOptions.Multiline)]
    private static partial Regex DotEdge();

    [GeneratedRegex(@"  ← run \w+ \(\w+, succeeded\)")]
    private static partial Regex RunSuffix();
}
