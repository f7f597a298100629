namespace Lineage.Generators.Tests;

/// <summary>
/// <c>CodeVersion</c> hashes the tokens of the method and everything it reaches in the compilation: layout and
/// comments do not change it, a change two calls away does, code it does not reach does not.
/// </summary>
public sealed class CodeVersionTests
{
    private const string Accessor = "Calc.App.Artifacts+Total";

    private const string Pipeline = """
        using System.Linq;
        using Lineage;

        namespace Calc;

        public static class Pipeline
        {
            public static int Calls;

            [Artifact("total")]
            public static int Total(int[] values)
            {
                Calls++;
                return Helpers.Scale(values.Sum());
            }
        }
        """;

    private const string Helpers = """
        namespace Calc;

        internal static class Helpers
        {
            public static int Scale(int x) => Deep.Offset(x) * 2;
        }

        internal static class Deep
        {
            public static int Offset(int x) => x + 1;

            public static int Unused(int x) => x - 1;
        }
        """;

    private const string Other = """
        namespace Calc;

        public static class Other
        {
            public static int Unrelated() => 42;
        }
        """;

    // The same code as Pipeline and Helpers, with comments, blank lines and a different layout everywhere in the slice.
    private const string PipelineReformatted = """
        using System.Linq;
        using Lineage;

        namespace Calc;

        /// <summary>Sums things.</summary>
        public static class Pipeline
        {
            // how often Total ran
            public static   int Calls ;


            [Artifact( "total" )]
            public static int Total( int[] values ) {
                Calls++;   // count it

                /* then scale */ return Helpers.Scale(
                    values.Sum() );
            }
        }
        """;

    private const string HelpersReformatted = """
        namespace Calc;

        internal static class Helpers
        {
            /// <summary>Doubles after the offset.</summary>
            public static int Scale(int x)
                => Deep.Offset(x)
                   * 2;
        }

        internal static class Deep
        {

            public static int Offset(int x) =>    x + 1; // the bias


            public static int Unused(int x) => x - 1;
        }
        """;

    [Fact]
    public void Comments_whitespace_and_blank_lines_anywhere_in_the_slice_leave_the_code_version_unchanged()
    {
        var before = Version(Pipeline, Helpers, Other);
        var after = Version(PipelineReformatted, HelpersReformatted, Other);

        Assert.Equal(before, after);
    }

    [Fact]
    public void Changing_a_constant_in_a_helper_two_calls_away_changes_the_code_version()
    {
        var before = Version(Pipeline, Helpers, Other);
        var after = Version(Pipeline, Helpers.Replace("x + 1", "x + 2", StringComparison.Ordinal), Other);

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void Changing_an_unrelated_method_in_another_file_leaves_the_code_version_unchanged()
    {
        var before = Version(Pipeline, Helpers, Other);
        var after = Version(Pipeline, Helpers, Other.Replace("42", "43", StringComparison.Ordinal));

        Assert.Equal(before, after);
    }

    [Fact]
    public void Changing_an_unreached_method_of_a_reached_class_leaves_the_code_version_unchanged()
    {
        var before = Version(Pipeline, Helpers, Other);
        var after = Version(Pipeline, Helpers.Replace("x - 1", "x - 5", StringComparison.Ordinal), Other);

        Assert.Equal(before, after);
    }

    [Fact]
    public void Source_code_holds_the_method_and_the_helpers_it_reaches_as_written_and_nothing_else()
    {
        var run = Compile(PipelineReformatted, HelpersReformatted, Other);

        var source = run.Constant(Accessor, "SourceCode");

        Assert.Contains("public static int Total( int[] values ) {", source, StringComparison.Ordinal);
        Assert.Contains("/* then scale */ return Helpers.Scale(", source, StringComparison.Ordinal);
        Assert.Contains("public static int Scale(int x)", source, StringComparison.Ordinal);
        Assert.Contains("public static int Offset(int x) =>    x + 1;", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Unused", source, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrelated", source, StringComparison.Ordinal);
        Assert.True(
            source.IndexOf("Scale(int x)", StringComparison.Ordinal) < source.IndexOf("Offset(int x)", StringComparison.Ordinal)
            && source.IndexOf("Offset(int x)", StringComparison.Ordinal) < source.IndexOf("Total(", StringComparison.Ordinal),
            "The slice is ordered by file path, then position:\n" + source);
    }

    [Fact]
    public void GetOrCompute_runs_the_method_once_per_code_version_and_inputs()
    {
        using var store = new TempStore();
        using var v1 = Compile(Pipeline, Helpers, Other).Load();

        var first = v1.Invoke(Accessor, "GetOrCompute", new[] { 1, 2, 3 }, store.Store);
        var again = v1.Invoke(Accessor, "GetOrCompute", new[] { 1, 2, 3 }, store.Store);
        Assert.Equal(((1 + 2 + 3) + 1) * 2, first);
        Assert.Equal(first, again);
        Assert.Equal(1, v1.StaticField("Calc.Pipeline", "Calls"));

        v1.Invoke(Accessor, "GetOrCompute", new[] { 4 }, store.Store);
        Assert.Equal(2, v1.StaticField("Calc.Pipeline", "Calls"));
        Assert.Equal(2, store.Store.Versions("total").Count);

        // Rebuilt with only layout changes: same code version, so the stored result is reused.
        using var reformatted = Compile(PipelineReformatted, HelpersReformatted, Other).Load();
        Assert.Equal(first, reformatted.Invoke(Accessor, "GetOrCompute", new[] { 1, 2, 3 }, store.Store));
        Assert.Equal(0, reformatted.StaticField("Calc.Pipeline", "Calls"));

        // Rebuilt with the helper two calls away changed: a new code version, so it runs again and saves a new version.
        using var v2 = Compile(Pipeline, Helpers.Replace("x + 1", "x + 2", StringComparison.Ordinal), Other).Load();
        Assert.Equal(((1 + 2 + 3) + 2) * 2, v2.Invoke(Accessor, "GetOrCompute", new[] { 1, 2, 3 }, store.Store));
        Assert.Equal(1, v2.StaticField("Calc.Pipeline", "Calls"));
        var versions = store.Store.Versions("total");
        Assert.Equal(3, versions.Count);
        Assert.Equal(v2.Type(Accessor).GetField("CodeVersion")!.GetValue(null), versions[^1].CodeVersion);
    }

    [Fact]
    public async Task GetOrComputeAsync_ignores_the_cancellation_token_and_treats_an_omitted_default_like_the_explicit_value()
    {
        using var store = new TempStore();
        using var lab = Inputs.Run(Inputs.Methods).Load();
        const string accessor = "Lab.App.Artifacts+SlowSummary";
        using var cancellation = new CancellationTokenSource();

        var first = await lab.InvokeAsync(accessor, "GetOrComputeAsync", new[] { 1.0, 2.0, 3.0 }, 10, CancellationToken.None, store.Store);
        var again = await lab.InvokeAsync(accessor, "GetOrComputeAsync", new[] { 1.0, 2.0, 3.0 }, 10, cancellation.Token, store.Store);
        Assert.Equal(first, again);
        Assert.Equal(1, lab.StaticField("Lab.Stats", "Calls"));

        await lab.InvokeAsync(accessor, "GetOrComputeAsync", new[] { 1.0, 2.0, 3.0 }, 2, CancellationToken.None, store.Store);
        Assert.Equal(2, lab.StaticField("Lab.Stats", "Calls"));
        Assert.Equal(2, store.Store.Versions("slow-summary").Count);
    }

    [Fact]
    public void GetOrCompute_of_an_instance_method_hashes_the_instance()
    {
        using var store = new TempStore();
        using var lab = Inputs.Run(Inputs.Methods).Load();
        const string accessor = "Lab.App.Artifacts+ScaledSum";
        var scaler = lab.Type("Lab.Scaler");
        object Scaler(double factor)
        {
            var instance = Activator.CreateInstance(scaler)!;
            scaler.GetProperty("Factor")!.SetValue(instance, factor);
            return instance;
        }

        Assert.Equal(12.0, lab.Invoke(accessor, "GetOrCompute", Scaler(2), new[] { 1.0, 5.0 }, store.Store));
        Assert.Equal(12.0, lab.Invoke(accessor, "GetOrCompute", Scaler(2), new[] { 1.0, 5.0 }, store.Store));
        Assert.Equal(1, lab.StaticField("Lab.Stats", "Calls"));

        Assert.Equal(18.0, lab.Invoke(accessor, "GetOrCompute", Scaler(3), new[] { 1.0, 5.0 }, store.Store));
        Assert.Equal(2, lab.StaticField("Lab.Stats", "Calls"));
    }

    private static GeneratorRun Compile(string pipeline, string helpers, string other) =>
        GeneratorHarness.Run("Calc", "Calc.App",
            new SourceFile("Pipeline.cs", pipeline), new SourceFile("Helpers.cs", helpers), new SourceFile("Other.cs", other));

    private static string Version(string pipeline, string helpers, string other) =>
        Compile(pipeline, helpers, other).AssertCompilesCleanly().Constant(Accessor, "CodeVersion");
}
