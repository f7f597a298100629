using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Tests;

/// <summary>
/// Declared lineage: the generator finds, in each artifact method's slice, the artifacts it reads (this project's
/// <c>Artifacts.Y.Load/GetOrCompute</c>, another project's bound accessors, store loads with a constant name) and emits
/// <c>Artifacts.X.Upstream</c>, carries it in <c>Code</c>, and builds <c>Artifacts.Graph</c>. None of it changes
/// <c>CodeVersion</c>, and the generator stays incremental.
/// </summary>
public sealed class DeclaredLineageTests
{
    private static readonly SourceFile Shop = new("Shop.cs", """
        using System.Linq;
        using System.Threading.Tasks;
        using Lineage;

        namespace Shop;

        public static class Prices
        {
            [Artifact("daily-prices")]
            public static double[] Daily() => [1.0, 2.0];
        }

        public static class Stats
        {
            private const string RawPrices = "raw-prices";

            [Artifact("mean-price")]
            public static double Mean() => Average(Artifacts.DailyPrices.Load());

            [Artifact("report")]
            public static async Task<string> Report()
            {
                var raw = await ArtifactStore.Default.LoadAsync<double[]>(RawPrices + "@2");
                return $"{Helper.Mean()} {raw.Length} {ArtifactStore.Default.Get("fx-rates@latest").Version}";
            }

            [Artifact("forecast")]
            public static double Forecast(string source) => ArtifactStore.Default.Load<double>(source) + global::Shop.App.Artifacts.MeanPrice.GetOrCompute();

            private static double Average(double[] values) => values.Sum() / values.Length;
        }
        """);

    private static readonly SourceFile Helpers = new("Helpers.cs", """
        namespace Shop;

        internal static class Helper
        {
            // Reached from Report's slice only: its read counts for Report.
            public static double Mean() => Artifacts.MeanPrice.Load();

            public static int Unrelated() => 1;
        }
        """);

    private static GeneratorRun Run(params SourceFile[] files) => GeneratorHarness.Run("Shop", "Shop.App", files).AssertCompilesCleanly();

    private static IReadOnlyList<string> Upstream(LoadedAssembly loaded, string accessor) =>
        (IReadOnlyList<string>)loaded.StaticField("Shop.App.Artifacts+" + accessor, "Upstream")!;

    [Fact]
    public void Upstream_names_the_accessor_loads_and_constant_store_loads_of_the_slice_sorted_without_non_constant_names()
    {
        using var loaded = Run(Shop, Helpers).Load();

        Assert.Empty(Upstream(loaded, "DailyPrices"));
        Assert.Equal(["daily-prices"], Upstream(loaded, "MeanPrice"));
        // raw-prices@2 and fx-rates@latest are references: the name is the part before '@'.
        Assert.Equal(["fx-rates", "mean-price", "raw-prices"], Upstream(loaded, "Report"));
        // store.Load<double>(source) names no artifact at compile time; GetOrCompute through the full name does.
        Assert.Equal(["mean-price"], Upstream(loaded, "Forecast"));
    }

    [Fact]
    public void A_read_reached_only_through_a_helper_counts_and_one_outside_the_slice_does_not()
    {
        var withoutHelperRead = Helpers with { Text = Helpers.Text.Replace("Artifacts.MeanPrice.Load()", "2.0", StringComparison.Ordinal) };
        var extraRead = new SourceFile("Unreached.cs", """
            namespace Shop;

            public static class Unreached
            {
                public static double[] Peek() => Artifacts.DailyPrices.Load();
            }
            """);

        using var loaded = Run(Shop, withoutHelperRead, extraRead).Load();

        Assert.Equal(["fx-rates", "raw-prices"], Upstream(loaded, "Report"));
    }

    [Fact]
    public void The_code_record_carries_the_declared_upstream()
    {
        using var loaded = Run(Shop, Helpers).Load();

        var code = (ArtifactCode)loaded.StaticField("Shop.App.Artifacts+Report", "Code")!;
        Assert.Equal(["fx-rates", "mean-price", "raw-prices"], code.Upstream);
    }

    [Fact]
    public void Artifacts_Graph_holds_the_project_s_declared_lineage_and_renders_it_as_Mermaid()
    {
        using var loaded = Run(Shop, Helpers).Load();

        var graph = (DeclaredGraph)loaded.StaticField("Shop.App.Artifacts", "Graph")!;
        Assert.Equal(["daily-prices", "forecast", "fx-rates", "mean-price", "raw-prices", "report"], graph.Names);
        Assert.Equal(["forecast", "report"], graph.Downstream("mean-price"));
        Assert.Equal(["daily-prices"], graph.Upstream("mean-price"));
        Assert.Empty(graph.Upstream("raw-prices"));
        Assert.Equal(
            """
            flowchart LR
                n0["daily-prices"]
                n1["forecast"]
                n2["fx-rates"]
                n3["mean-price"]
                n4["raw-prices"]
                n5["report"]
                n0 --> n3
                n2 --> n5
                n3 --> n1
                n3 --> n5
                n4 --> n5

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            graph.ToMermaid());
    }

    [Fact]
    public void An_accessor_of_a_referenced_project_is_read_by_its_Name_constant()
    {
        var library = GeneratorHarness.Run("Lib", "Lib.App", new SourceFile("Lib.cs", """
            using Lineage;

            namespace Lib;

            public static class Sources
            {
                [Artifact("lib-prices")]
                public static double[] Prices() => [3.0];
            }
            """)).AssertCompilesCleanly();
        var app = GeneratorHarness.Compile("Shop", new SourceFile("App.cs", """
            using Lineage;

            namespace Shop;

            public static class Uses
            {
                [Artifact("lib-total")]
                public static double Total() => Lib.App.Artifacts.LibPrices.Load()[0];
            }
            """)).AddReferences(library.Output.ToMetadataReference());

        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver("Shop.App"), app).AssertCompilesCleanly();

        Assert.Contains("Upstream = global::System.Array.AsReadOnly(new string[] { \"lib-prices\" });", run.Sources["Lineage.Artifacts.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_upstream_name_with_the_same_code_leaves_the_code_version_unchanged()
    {
        // daily-prices and daily_prices have one accessor, DailyPrices: mean-price's code is the same, what it reads is not.
        var before = Run(Shop, Helpers);
        var after = Run(Shop with { Text = Shop.Text.Replace("\"daily-prices\"", "\"daily_prices\"", StringComparison.Ordinal) }, Helpers);

        using var loaded = after.Load();
        Assert.Equal(["daily_prices"], Upstream(loaded, "MeanPrice"));
        Assert.Equal(before.Constant("Shop.App.Artifacts+MeanPrice", "CodeVersion"), after.Constant("Shop.App.Artifacts+MeanPrice", "CodeVersion"));
    }

    [Fact]
    public void Editing_one_artifact_method_re_parses_only_that_method_and_an_unrelated_edit_re_runs_nothing()
    {
        var compilation = GeneratorHarness.Compile("Shop", Shop, Helpers);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver("Shop.App"), compilation).AssertCompilesCleanly();

        var unrelated = Replace(compilation, Helpers, Helpers.Text.Replace("=> 1;", "=> 2;", StringComparison.Ordinal));
        var second = GeneratorHarness.Run(first.Driver, unrelated).AssertCompilesCleanly();
        foreach (var step in new[] { TrackingNames.Methods, TrackingNames.Accessors })
        {
            Assert.All(second.StepOutputs(step), output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {output.Reason}"));
        }

        var edited = Replace(unrelated, Shop, Shop.Text.Replace("=> [1.0, 2.0];", "=> [1.0, 3.0];", StringComparison.Ordinal));
        var third = GeneratorHarness.Run(second.Driver, edited).AssertCompilesCleanly();
        var methods = third.StepOutputs(TrackingNames.Methods);
        Assert.Single(methods, output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.All(methods.Where(output => output.Reason != IncrementalStepRunReason.Modified), output => Assert.True(
            output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{TrackingNames.Methods}: {output.Reason}"));
    }

    [Fact]
    public void An_artifact_whose_accessor_is_named_Graph_keeps_the_name_and_the_declared_graph_is_left_out()
    {
        var run = Run(new SourceFile("Graph.cs", """
            using Lineage;

            namespace Shop;

            public static class Plots
            {
                [Artifact("graph")]
                public static int[] Points() => [1, 2];
            }
            """));

        Assert.Equal("graph", run.Constant("Shop.App.Artifacts+Graph", "Name"));
        Assert.DoesNotContain("DeclaredGraph", run.Sources["Lineage.Artifacts.g.cs"], StringComparison.Ordinal);
    }

    private static Compilation Replace(Compilation compilation, SourceFile file, string text) =>
        compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(t => t.FilePath == file.Path),
            GeneratorHarness.Parse(file with { Text = text }));
}
