using Lineage.Tests.Servers;

namespace Lineage.Tests.LineageGraphs;

/// <summary>Runs, inputs and outputs, exact inputs by content hash, and the lineage graph, on every backend.</summary>
public sealed class RunsAndLineageTests(PostgresServer postgres, S3Server s3)
{
    private static readonly ArtifactCode Code = new("code-1", "static int Train(int[] data) => data.Sum();");

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_run_records_who_what_and_how_it_ended(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        string succeeded, failed;
        using (var run = store.Runs.Start("train", new Dictionary<string, string> { ["epochs"] = "10", ["lr"] = "0.1" }))
        {
            Assert.Same(run, ArtifactRun.Current);
            Assert.Equal(RunStatus.Running, store.Runs.Get(run.Uid).Status);
            store.Save("model", 1);
            succeeded = run.Uid;
        }

        Assert.Null(ArtifactRun.Current);
        using (var run = store.Runs.Start("evaluate"))
        {
            run.Fail(new InvalidOperationException("labels missing"));
            failed = run.Uid;
        }

        var done = store.Runs.Get(succeeded);
        Assert.Equal(("train", RunStatus.Succeeded, false), (done.Name, done.Status, done.IsImplicit));
        Assert.Equal(new Dictionary<string, string> { ["epochs"] = "10", ["lr"] = "0.1" }, done.Parameters);
        Assert.Equal(store.Options.User, done.User);
        Assert.Equal(store.Options.Host, done.Host);
        Assert.NotNull(done.FinishedAt);
        Assert.True(done.FinishedAt >= done.StartedAt);
        Assert.False(string.IsNullOrEmpty(done.EntryAssembly));
        Assert.False(string.IsNullOrEmpty(done.CommandLine));

        var broken = store.Runs.Get(failed);
        Assert.Equal(RunStatus.Failed, broken.Status);
        Assert.Equal("System.InvalidOperationException: labels missing", broken.Error);

        Assert.Equal([failed, succeeded], store.Runs.List().Where(r => !r.IsImplicit).Select(r => r.Uid));
        Assert.Equal(succeeded, store.Get("model").RunUid);
        var missing = Assert.Throws<RunNotFoundException>(() => store.Runs.Get("nope"));
        Assert.Contains("'nope'", missing.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Versions_loaded_in_a_run_before_a_save_are_its_inputs_and_the_save_is_their_output(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("raw", new[] { 1, 2 });
        store.Save("raw", new[] { 1, 2, 3 });
        store.Save("labels", "abc");
        store.Save("unused", 0);

        ArtifactRecord model;
        string runUid;
        using (var run = store.Runs.Start("train"))
        {
            runUid = run.Uid;
            var raw = store.Load<int[]>("raw@1");
            store.Load<string>("labels");
            model = store.Save("model", raw.Sum());
            store.Load<int>("unused"); // loaded after the save: cannot have fed it
            Assert.Equal(["raw", "labels", "unused"], run.Inputs.Select(i => i.Name));
            Assert.Equal([model], run.Outputs);
        }

        Assert.Equal(runUid, model.RunUid);
        Assert.Equal(model, store.Get("model"));
        Assert.Equal(["raw@1", "labels@1"], store.Lineage.Inputs("model").Select(i => i.ToString()));
        Assert.All(store.Lineage.Inputs("model"), i => Assert.False(i.IsExact));
        Assert.Equal(["model"], store.Lineage.Outputs("raw@1").Select(o => o.Name));
        Assert.Empty(store.Lineage.Outputs("raw@2"));
        Assert.Empty(store.Lineage.Outputs("unused"));

        var (inputs, outputs) = store.Runs.InputsAndOutputs(runUid);
        Assert.Equal(["labels@1", "raw@1", "unused@1"], inputs.Select(i => i.ToString()));
        Assert.Equal(["model"], outputs.Select(o => o.Name));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Outside_a_run_a_save_records_the_implicit_run_of_its_process_and_loads_are_not_inputs(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        string implicitUid;
        using (var store = environment.Open())
        {
            store.Save("a", 1);
            store.Load<int>("a");
            var second = store.Save("b", 2);
            implicitUid = second.RunUid!;
            Assert.Equal(implicitUid, store.Get("a").RunUid);
            Assert.Empty(store.Lineage.Inputs("b"));
            var run = store.Runs.Get(implicitUid);
            Assert.True(run.IsImplicit);
            Assert.Equal(RunStatus.Running, run.Status);
        }

        using (var reopened = environment.Open())
        {
            Assert.Equal(RunStatus.Succeeded, reopened.Runs.Get(implicitUid).Status);
            Assert.Empty(reopened.Runs.InputsAndOutputs(implicitUid).Inputs);
            Assert.Equal(["a", "b"], reopened.Runs.InputsAndOutputs(implicitUid).Outputs.Select(o => o.Name));
        }
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task GetOrCompute_records_exactly_the_arguments_that_are_stored_versions_even_inside_a_run(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        var first = store.Save("dataset", new[] { 1, 2, 3 });
        store.Save("dataset", new[] { 4, 5, 6 });
        store.Save("noise", "n");

        using (store.Runs.Start("pipeline"))
        {
            store.Load<string>("noise");
            var data = new[] { 1, 2, 3 }; // equal to version 1, though it never came from the store
            using var hasher = new InputHasher().Add(data).Add(7);
            Assert.Equal(6, store.GetOrCompute("total", Code, hasher, () => data.Sum()));
        }

        var inputs = store.Lineage.Inputs("total");
        var input = Assert.Single(inputs);
        Assert.Equal(("dataset", 1, true), (input.Name, input.Version, input.IsExact));
        Assert.Equal(first, input.Record);
        Assert.Equal(first.Hash, new InputHasher().Add(new[] { 1, 2, 3 }).Inputs[0].Hash);

        // Inside a run whose arguments match nothing stored, the run's loads are the inputs.
        using (store.Runs.Start("pipeline"))
        {
            store.Load<string>("noise");
            using var hasher = new InputHasher().Add(new[] { 9 });
            store.GetOrCompute("other", Code, hasher, () => 9);
        }

        Assert.Equal(["noise@1"], store.Lineage.Inputs("other").Select(i => i.ToString()));
    }

    [Fact]
    public void An_input_is_hashed_over_exactly_the_bytes_a_save_stores()
    {
        var samples = new object[] { new[] { 1.5f, 2.5f }, new[] { true, false }, new[] { 'a', 'é' }, new List<string> { "x", "y" }, "text", 42L, new byte[] { 1, 2, 3 } };
        foreach (var sample in samples)
        {
            var expected = sample is byte[] raw ? raw : MemoryPack.MemoryPackSerializer.Serialize(sample.GetType(), sample);
            var digest = Hash(sample);
            Assert.Equal((expected.LongLength, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(expected)).ToLowerInvariant()), (digest.Size, digest.Hash));
        }

        static InputDigest Hash(object value) => value switch
        {
            float[] v => new InputHasher().Add(v).Inputs[0],
            bool[] v => new InputHasher().Add(v).Inputs[0],
            char[] v => new InputHasher().Add(v).Inputs[0],
            List<string> v => new InputHasher().Add(v).Inputs[0],
            string v => new InputHasher().Add(v).Inputs[0],
            long v => new InputHasher().Add(v).Inputs[0],
            byte[] v => new InputHasher().Add(v).Inputs[0],
            _ => throw new InvalidOperationException(),
        };
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task The_graph_walks_a_pipeline_both_ways_with_runs_between_versions_and_renders(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("raw", 1);
        string prepareRun, trainRun;
        using (var run = store.Runs.Start("prepare"))
        {
            store.Save("features", store.Load<int>("raw") + 1);
            prepareRun = run.Uid;
        }

        using (var run = store.Runs.Start("train"))
        {
            store.Save("model", store.Load<int>("features") + 1);
            trainRun = run.Uid;
        }

        var up = store.Lineage.Graph("model");
        Assert.Equal("model@1", up.Root.Label);
        Assert.Equal(["model@1", "features@1", "raw@1"], up.Nodes.Where(n => n.Kind == LineageNodeKind.Version).Select(n => n.Label));
        Assert.Equal(["prepare", "train"], up.Nodes.Where(n => n.Kind == LineageNodeKind.Run).Select(n => n.Label).Order());
        var ids = up.Nodes.ToDictionary(n => n.Label, n => n.Id);
        Assert.Contains(new LineageEdge(ids["features@1"], "r:" + trainRun, LineageEdgeKind.Input), up.Edges);
        Assert.Contains(new LineageEdge("r:" + trainRun, ids["model@1"], LineageEdgeKind.Output), up.Edges);
        Assert.Contains(new LineageEdge(ids["raw@1"], "r:" + prepareRun, LineageEdgeKind.Input), up.Edges);
        Assert.Equal(4, up.Edges.Count);

        var shallow = store.Lineage.Graph("model", LineageDirection.Upstream, depth: 1);
        Assert.Equal(["model@1", "features@1"], shallow.Nodes.Where(n => n.Kind == LineageNodeKind.Version).Select(n => n.Label));

        var down = store.Lineage.Graph("raw", LineageDirection.Downstream);
        Assert.Equal(["raw@1", "features@1", "model@1"], down.Nodes.Where(n => n.Kind == LineageNodeKind.Version).Select(n => n.Label));
        var both = store.Lineage.Graph("features", LineageDirection.Both);
        Assert.Equal(3, both.Nodes.Count(n => n.Kind == LineageNodeKind.Version));

        var mermaid = up.ToMermaid();
        Assert.StartsWith("flowchart LR\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("[\"raw@1\"]", mermaid, StringComparison.Ordinal);
        Assert.Contains("([\"run train\"])", mermaid, StringComparison.Ordinal);
        var dot = up.ToDot();
        Assert.Contains("rankdir=LR", dot, StringComparison.Ordinal);
        Assert.Contains($"\"r:{trainRun}\" -> \"{ids["model@1"]}\"", dot, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(up.ToJson());
        Assert.Equal(5, json.RootElement.GetProperty("nodes").GetArrayLength());
        Assert.Equal(4, json.RootElement.GetProperty("edges").GetArrayLength());
        Assert.Equal("upstream", json.RootElement.GetProperty("direction").GetString());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Graph_nodes_carry_the_version_and_its_run_even_at_the_depth_bound_and_every_reference_form_finds_its_root(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("raw", 1);
        string prepareRun;
        using (var run = store.Runs.Start("prepare"))
        {
            store.Save("features", store.Load<int>("raw") + 1);
            prepareRun = run.Uid;
        }

        var features = store.Load<int>("features");
        using (var hasher = new InputHasher().Add(features))
        {
            Assert.Equal(20, store.GetOrCompute("model", Code, hasher, () => features * 10));
        }

        store.Save("model", 99);

        // model@1's inputs are exact; depth 1 stops at features@1, whose inputs are not in the graph but whose run is.
        var graph = store.Lineage.Graph("model@1", LineageDirection.Upstream, depth: 1);
        var root = graph.Root.Version!;
        var saved = store.Get("model@1");
        Assert.Equal((saved.Uid, saved.Name, saved.Version, saved.Branch, saved.CreatedAt, saved.CreatedBy, saved.Size, saved.Hash, saved.CodeVersion),
            (root.Uid, root.Name, root.Version, root.Branch, root.CreatedAt, root.CreatedBy, root.Size, root.Hash, root.CodeVersion));
        Assert.Equal(saved.RunUid, root.Run!.Uid);
        Assert.Equal("model@1", root.Reference);
        var input = Assert.Single(graph.Nodes, n => n.Label == "features@1");
        Assert.Equal(1, input.Depth);
        Assert.Equal((prepareRun, "prepare", RunStatus.Succeeded, false), (input.Version!.Run!.Uid, input.Version.Run.Name, input.Version.Run.Status, input.Version.Run.IsImplicit));
        Assert.NotNull(input.Version.Run.FinishedAt);
        Assert.DoesNotContain(graph.Nodes, n => n.Run?.Uid == prepareRun);
        Assert.Contains(graph.Edges, e => e.From == input.Id && e.IsExact);
        Assert.Contains($"\"run_uid\": \"{prepareRun}\"", graph.ToJson(), StringComparison.Ordinal);

        // NAME is the latest live version, NAME@latest the same, NAME@VERSION any branch, NAME@ALIAS the version it points at.
        Assert.Equal("model@2", store.Lineage.Graph("model").Root.Label);
        Assert.Equal("model@2", store.Lineage.Graph("model@latest").Root.Label);
        store.Delete("model", 2);
        Assert.Equal("model@1", store.Lineage.Graph("model").Root.Label);
        Assert.Equal(ArtifactBranch.Trash, store.Lineage.Graph("model@2", LineageDirection.Both).Root.Version!.Branch);
        store.Aliases.Set("features", "production", 1);
        var aliased = store.Lineage.Graph("features@production", LineageDirection.Both);
        Assert.Equal("features@1", aliased.Root.Label);
        Assert.Equal(["features@1", "model@1", "raw@1"], aliased.Nodes.Where(n => n.Kind == LineageNodeKind.Version).Select(n => n.Label).Order(StringComparer.Ordinal));

        Assert.Contains("no version 7", Assert.Throws<ArtifactNotFoundException>(() => store.Lineage.Graph("model@7")).Message, StringComparison.Ordinal);
        Assert.Contains("No artifact named 'nothing'", Assert.Throws<ArtifactNotFoundException>(() => store.Lineage.Graph("nothing")).Message, StringComparison.Ordinal);
        Assert.Equal("staging", Assert.Throws<ArtifactNotFoundException>(() => store.Lineage.Graph("model@staging")).Alias);
        store.Delete("raw", 1);
        Assert.Contains("in the trash", Assert.Throws<ArtifactNotFoundException>(() => store.Lineage.Graph("raw")).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => store.Lineage.Graph("raw@"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Trash_archive_and_restore_keep_lineage_and_a_permanently_deleted_input_leaves_a_tombstone(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("raw", 1);
        store.Save("raw", 2);
        using (store.Runs.Start("prepare"))
        {
            store.Load<int>("raw@1");
            store.Load<int>("raw@2");
            store.Save("features", 3);
        }

        store.Delete("raw", 1);
        store.Archive("features", 1);
        Assert.Equal(["raw@1", "raw@2"], store.Lineage.Inputs("features@1").Select(i => i.ToString()));
        store.Restore("raw", 1);
        store.Restore("features", 1);

        store.Delete("raw", 1, permanent: true);
        var inputs = store.Lineage.Inputs("features");
        Assert.Equal(["raw@1 (deleted)", "raw@2"], inputs.Select(i => i.ToString()));
        Assert.True(inputs[0].IsDeleted);
        Assert.Null(inputs[0].Record);

        var graph = store.Lineage.Graph("features");
        var tombstone = Assert.Single(graph.Nodes, n => n.Kind == LineageNodeKind.DeletedVersion);
        Assert.Equal("raw@1", tombstone.Label);
        Assert.Contains(graph.Edges, e => e.From == tombstone.Id);
        Assert.Contains("raw@1 (deleted)", graph.ToMermaid(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Migrating_every_version_to_another_root_keeps_lineage_and_runs(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("raw", 1);
        using (store.Runs.Start("prepare"))
        {
            store.Save("features", store.Load<int>("raw") + 1);
        }

        var before = store.Lineage.Graph("features");
        var to = await environment.NewRootAsync();
        store.Storages.Add(to);
        store.Storages.Migrate(store.Options.ArtifactStorageDir, to, new MigrationOptions { DeleteSource = true });

        Assert.Equal(to, store.Get("features").StorageRoot);
        Assert.Equal(["raw@1"], store.Lineage.Inputs("features").Select(i => i.ToString()));
        var after = store.Lineage.Graph("features");
        Assert.Equal(before.Nodes.Select(n => n.Id), after.Nodes.Select(n => n.Id));
        Assert.Equal(before.Edges, after.Edges);
        Assert.Equal(2, store.Load<int>("features"));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task References_name_versions_and_unknown_aliases_fail_clearly(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("m", 10);
        store.Save("m", 20);

        Assert.Equal(10, store.Load<int>("m@1"));
        Assert.Equal(20, store.Load<int>("m@latest"));
        Assert.Equal(1, store.Get("m@1").Version);
        Assert.Equal(1, store.Get("m@1", 1).Version);
        Assert.Throws<ArgumentException>(() => store.Get("m@1", 2));
        var alias = Assert.Throws<ArtifactNotFoundException>(() => store.Load<int>("m@production"));
        Assert.Equal(("m", "production"), (alias.Name, alias.Alias));
        Assert.Contains("no alias 'production'", alias.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<ArtifactNotFoundException>(() => store.Get("m@3"));
        Assert.Contains("no version 3", missing.Message, StringComparison.Ordinal);
        var malformed = Assert.Throws<ArgumentException>(() => store.Get("m@"));
        Assert.Contains(ArtifactReference.Grammar, malformed.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => store.Get("m@0"));
        Assert.Throws<ArgumentException>(() => store.Versions("m@1"));
        store.Archive("m@2", 2);
        Assert.Equal(ArtifactBranch.Archive, store.Get("m@2").Branch);
    }

    [Fact]
    public void References_parse_by_the_grammar()
    {
        Assert.Equal(("a/b", 12, (string?)null), Parts(ArtifactReference.Parse("a/b@12")));
        Assert.Equal(("a", (int?)null, "prod-1"), Parts(ArtifactReference.Parse("a@prod-1")));
        Assert.True(ArtifactReference.Parse("a@latest").IsLatest);
        Assert.Equal("a@prod", ArtifactReference.Parse("a@prod").ToString());
        foreach (var bad in new[] { "", "@1", "a@", "a@0", "a@99999999999", "a@b@c", "a@x y", " a" })
        {
            Assert.False(ArtifactReference.TryParse(bad, out _, out var error), bad);
            Assert.False(string.IsNullOrEmpty(error));
        }

        Assert.False(ArtifactReference.IsValidAlias("123"));
        Assert.False(ArtifactReference.IsValidAlias("latest"));
        Assert.True(ArtifactReference.IsValidAlias("v2"));

        static (string, int?, string?) Parts(ArtifactReference r) => (r.Name, r.Version, r.Alias);
    }

    [Fact]
    public void A_recorded_command_line_masks_passwords_in_urls()
    {
        var masked = RunRegistry.RunEnvironment.Mask(["app", "--database-url=postgresql://ann:s3cret@db/x", "postgresql://bob:hunter2@db/y", "Host=h;Password=pw", "plain arg"]);
        Assert.DoesNotContain("s3cret", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", masked, StringComparison.Ordinal);
        Assert.DoesNotContain("=pw", masked, StringComparison.Ordinal);
        Assert.Contains("--database-url=postgresql://ann:***@db/x", masked, StringComparison.Ordinal);
        Assert.Contains("\"plain arg\"", masked, StringComparison.Ordinal);
    }
}
