using Microsoft.CodeAnalysis;
using static Lineage.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace Lineage.Generators.Tests.Diagnostics;

/// <summary>LIN0100–LIN0105: [Artifact] types and methods the generator could not turn into accessors and serializers.</summary>
public sealed class ArtifactDeclarationDiagnosticTests
{
    // ---- LIN0100 ----

    [Fact]
    public async Task LIN0100_invalid_artifact_name_is_an_error_at_the_name_argument()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Training
            {
                [Artifact("iris model!")]
                public static int[] Train() => [1];
            }
            """);

        var diagnostic = run.One("LIN0100");
        At(run, diagnostic, DiagnosticSeverity.Error, "Program.cs(7,15)-(7,28)", "\"iris model!\"");
        Assert.Contains("'iris model!' is not a valid artifact name", Message(diagnostic));
    }

    [Fact]
    public async Task LIN0100_a_name_whose_accessor_would_be_Artifacts_is_an_error()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Training
            {
                [Artifact("artifacts")]
                public static int[] Train() => [1];
            }
            """);

        At(run, run.One("LIN0100"), DiagnosticSeverity.Error, "Program.cs(7,15)-(7,26)", "\"artifacts\"");
    }

    [Fact]
    public async Task Valid_names_and_an_unnamed_artifact_method_report_nothing()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Training
            {
                [Artifact("iris-model")]
                public static int[] Train() => [1];

                [Artifact("team/iris.v2_final")]
                public static int[] TrainAgain() => [2];

                [Artifact]
                public static int[] Baseline() => [3];

                [Artifact(Description = "the held-out split")]
                public static int[] Holdout() => [4];
            }
            """);

        run.AssertClean();
    }

    // ---- LIN0101 ----

    [Fact]
    public async Task LIN0101_a_new_duplicate_in_an_earlier_file_is_reported_at_both_methods_each_naming_the_other()
    {
        // The newcomer's path: Sales.cs already produces "sales-summary"; a new Analysis.cs (sorted first) produces it too.
        var run = await AnalyzerHarness.RunAsync(AnalyzedProject.Of(
            new SourceFile(AnalyzedProject.Directory + "Sales.cs", """
                using Lineage;

                namespace Consumer;

                public static class Sales
                {
                    [Artifact("sales-summary")]
                    public static int[] Summarize() => [1];
                }
                """),
            new SourceFile(AnalyzedProject.Directory + "Analysis.cs", """
                using Lineage;

                namespace Consumer;

                public static class Analysis
                {
                    [Artifact("sales-summary")]
                    public static int[] Explore() => [2];
                }
                """)));

        var diagnostics = run.All("LIN0101").OrderBy(d => AnalyzerRun.Where(d.Location), StringComparer.Ordinal).ToList();
        Assert.Equal(2, diagnostics.Count);
        var (atNew, atOriginal) = (diagnostics[0], diagnostics[1]);

        At(run, atNew, DiagnosticSeverity.Error, "Analysis.cs(7,15)-(7,30)", "\"sales-summary\"");
        Assert.Equal("Sales.cs(7,15)-(7,30)", AnalyzerRun.Where(Assert.Single(atNew.AdditionalLocations)));
        Assert.Contains("'sales-summary' is also produced by Consumer.Sales.Summarize at Sales.cs(7,15)", Message(atNew));

        At(run, atOriginal, DiagnosticSeverity.Error, "Sales.cs(7,15)-(7,30)", "\"sales-summary\"");
        Assert.Equal("Analysis.cs(7,15)-(7,30)", AnalyzerRun.Where(Assert.Single(atOriginal.AdditionalLocations)));
        Assert.Contains("'sales-summary' is also produced by Consumer.Analysis.Explore at Analysis.cs(7,15)", Message(atOriginal));
    }

    [Fact]
    public async Task LIN0101_two_names_with_the_same_generated_identifier_are_reported_at_both_each_naming_the_other()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Training
            {
                [Artifact("iris-model")]
                public static int[] Train() => [1];

                [Artifact("iris_model")]
                public static int[] TrainOther() => [2];
            }
            """);

        var diagnostics = run.All("LIN0101").OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(2, diagnostics.Count);
        At(run, diagnostics[0], DiagnosticSeverity.Error, "Program.cs(7,15)-(7,27)", "\"iris-model\"");
        Assert.Equal("Program.cs(10,15)-(10,27)", AnalyzerRun.Where(Assert.Single(diagnostics[0].AdditionalLocations)));
        Assert.Contains("'iris_model' (Consumer.Training.TrainOther at Program.cs(10,15)) both generate the accessor Artifacts.IrisModel", Message(diagnostics[0]));
        At(run, diagnostics[1], DiagnosticSeverity.Error, "Program.cs(10,15)-(10,27)", "\"iris_model\"");
        Assert.Contains("'iris-model' (Consumer.Training.Train at Program.cs(7,15)) both generate the accessor Artifacts.IrisModel", Message(diagnostics[1]));
    }

    [Fact]
    public async Task Distinct_names_and_identifiers_report_nothing()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Training
            {
                [Artifact("iris-model")]
                public static int[] Train() => [1];

                [Artifact("iris-model-2")]
                public static int[] TrainOther() => [2];
            }
            """);

        run.AssertClean();
    }

    // ---- LIN0102 ----

    [Theory]
    [InlineData("void", "void")]
    [InlineData("Task", "System.Threading.Tasks.Task")]
    [InlineData("ValueTask", "System.Threading.Tasks.ValueTask")]
    public async Task LIN0102_artifact_method_returning_nothing_is_an_error_at_the_return_type(string returnType, string shown)
    {
        var body = returnType == "void" ? "{ }" : "=> default;";
        var run = await AnalyzerHarness.RunAsync($$"""
            using Lineage;

            namespace Consumer;

            public static class Training
            {
                [Artifact("iris-model")]
                public static {{returnType}} Train() {{body}}
            }
            """);

        var diagnostic = run.One("LIN0102");
        At(run, diagnostic, DiagnosticSeverity.Error, $"Program.cs(8,19)-(8,{19 + returnType.Length})", returnType);
        Assert.Contains($"'Train' returns {shown}", Message(diagnostic));
    }

    [Fact]
    public async Task Task_of_T_and_ValueTask_of_T_artifact_methods_report_nothing()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Training
            {
                [Artifact("a")]
                public static Task<int[]> TrainAsync() => Task.FromResult<int[]>([1]);

                [Artifact("b")]
                public static ValueTask<double> ScoreAsync() => ValueTask.FromResult(0.5);
            }
            """);

        run.AssertClean();
    }

    // ---- LIN0103 ----

    [Fact]
    public async Task LIN0103_generic_artifact_method_is_an_error_at_the_method_name()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Training
            {
                [Artifact("iris-model")]
                public static T[] Train<T>() => [];
            }
            """);

        At(run, run.One("LIN0103"), DiagnosticSeverity.Error, "Program.cs(8,23)-(8,28)", "Train");
    }

    [Theory]
    [InlineData("ref")]
    [InlineData("out")]
    [InlineData("in")]
    public async Task LIN0103_ref_out_in_parameter_is_an_error_at_the_parameter(string modifier)
    {
        var body = modifier == "out" ? "{ seed = 1; return [seed]; }" : "=> [seed];";
        var run = await AnalyzerHarness.RunAsync($$"""
            using Lineage;

            namespace Consumer;

            public static class Training
            {
                [Artifact("iris-model")]
                public static int[] Train({{modifier}} int seed) {{body}}
            }
            """);

        var diagnostic = run.One("LIN0103");
        var column = 31 + modifier.Length + " int ".Length;
        At(run, diagnostic, DiagnosticSeverity.Error, $"Program.cs(8,{column})-(8,{column + 4})", "seed");
        Assert.Contains($"passed by {modifier}", Message(diagnostic));
    }

    [Fact]
    public async Task LIN0103_generic_artifact_type_is_an_error_at_the_type_name()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            [Artifact]
            public sealed record Box<T>(T Value);
            """);

        At(run, run.One("LIN0103"), DiagnosticSeverity.Error, "Program.cs(6,22)-(6,25)", "Box");
    }

    [Fact]
    public async Task Plain_parameters_and_pass_through_CancellationToken_and_IProgress_report_nothing()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Training
            {
                [Artifact("iris-model")]
                public static async Task<float[]> TrainAsync(float[] x, int epochs, IProgress<int> progress, CancellationToken cancellationToken)
                {
                    await Task.Yield();
                    progress.Report(epochs);
                    cancellationToken.ThrowIfCancellationRequested();
                    return x;
                }
            }
            """);

        run.AssertClean();
    }

    // ---- LIN0104 ----

    [Fact]
    public async Task LIN0104_member_type_without_serializer_is_an_error_at_the_members_type_with_the_type_to_mark()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public sealed class Scaler
            {
                public double Factor { get; set; }
            }

            [Artifact]
            public sealed record IrisModel(float[] Weights, Scaler Scaler);
            """);

        var diagnostic = run.One("LIN0104");
        At(run, diagnostic, DiagnosticSeverity.Error, "Program.cs(11,49)-(11,55)", "Scaler");
        Assert.Equal("global::Consumer.Scaler", diagnostic.Properties[Lineage.Generators.Diagnostics.Descriptors.FixProperty]);
        Assert.Contains("mark it [Artifact]", Message(diagnostic));
    }

    [Fact]
    public async Task LIN0104_unserializable_type_inside_a_list_property_is_reported_at_the_property_type()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public sealed class Scaler
            {
                public double Factor { get; set; }
            }

            [Artifact]
            public sealed class Pipeline
            {
                public List<Scaler> Steps { get; set; } = [];
            }
            """);

        var diagnostic = run.One("LIN0104");
        At(run, diagnostic, DiagnosticSeverity.Error, "Program.cs(13,12)-(13,24)", "List<Scaler>");
        Assert.Equal("global::Consumer.Scaler", diagnostic.Properties[Lineage.Generators.Diagnostics.Descriptors.FixProperty]);
    }

    [Fact]
    public async Task LIN0104_artifact_method_return_and_parameter_without_serializer_are_errors_at_their_types()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public sealed class Scaler
            {
                public double Factor { get; set; }
            }

            public static class Training
            {
                [Artifact("scaler")]
                public static Scaler Fit(Func<double, double> transform) => new() { Factor = transform(1) };
            }
            """);

        var diagnostics = run.All("LIN0104").OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(2, diagnostics.Count);
        At(run, diagnostics[0], DiagnosticSeverity.Error, "Program.cs(13,19)-(13,25)", "Scaler");
        Assert.Contains("returns Consumer.Scaler", Message(diagnostics[0]));
        At(run, diagnostics[1], DiagnosticSeverity.Error, "Program.cs(13,51)-(13,60)", "transform");
        Assert.Contains("cannot be hashed by GetOrCompute", Message(diagnostics[1]));
        Assert.False(diagnostics[1].Properties.ContainsKey(Lineage.Generators.Diagnostics.Descriptors.FixProperty));
    }

    [Fact]
    public async Task Artifact_types_composed_of_artifact_types_collections_arrays_enums_and_nullables_report_nothing()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public enum Species { Setosa, Versicolor, Virginica }

            [Artifact]
            public sealed record Measurement(float SepalLength, float PetalLength, Species Species);

            [Artifact]
            public struct Range
            {
                public double Low { get; set; }
                public double High { get; set; }
            }

            [Artifact]
            public sealed record Dataset(
                Measurement[] Rows,
                List<Measurement> Extra,
                Dictionary<string, Measurement> ByName,
                Dictionary<Species, List<Measurement[]>> BySpecies,
                Species? Dominant,
                Range? Bounds,
                Measurement? Newest,
                (int Count, Species Kind) Summary,
                DateTimeOffset CreatedAt,
                Guid Id,
                string? Note);

            public static class Training
            {
                [Artifact("dataset")]
                public static Dataset Load(Measurement[] rows, Dictionary<string, Range> ranges, Species? only) =>
                    new(rows, [], [], [], only, ranges.Values.FirstOrDefault(), null, (rows.Length, Species.Setosa), DateTimeOffset.UnixEpoch, Guid.Empty, null);
            }
            """);

        run.AssertClean();
    }

    [Fact]
    public async Task LIN0104_a_BCL_interface_member_is_an_error_advising_a_concrete_type_or_IgnoreDataMember_without_a_fix()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            [Artifact]
            public sealed record Ranking(string[] Names, IComparer<string> Order);
            """);

        var diagnostic = run.One("LIN0104");
        At(run, diagnostic, DiagnosticSeverity.Error, "Program.cs(6,46)-(6,63)", "IComparer<string>");
        Assert.Contains("IComparer<string> is an interface, so loading could not tell which implementation to create", Message(diagnostic));
        Assert.Contains("declare a concrete type Lineage can serialize", Message(diagnostic));
        Assert.Contains("[IgnoreDataMember]", Message(diagnostic));
        Assert.DoesNotContain("mark it [Artifact]", Message(diagnostic));
        Assert.False(diagnostic.Properties.ContainsKey(Lineage.Generators.Diagnostics.Descriptors.FixProperty));
    }

    [Fact]
    public async Task LIN0104_abstract_and_other_assembly_classes_are_errors_with_advice_that_fits_each()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using System.Text.RegularExpressions;
            using Lineage;

            namespace Consumer;

            public interface IShape
            {
                double Area { get; }
            }

            [Artifact]
            public sealed class Drawing
            {
                public Stream? Data { get; set; }
                public Regex? Pattern { get; set; }
                public IShape? Shape { get; set; }
                public object? Tag { get; set; }
            }
            """);

        var messages = run.All("LIN0104").OrderBy(d => d.Location.SourceSpan.Start).Select(Message).ToList();
        Assert.Equal(4, messages.Count);
        Assert.Contains("Stream is an abstract class", messages[0]);
        Assert.Contains("Regex from System.Text.RegularExpressions has no serializer", messages[1]);
        Assert.Contains("IShape is an interface", messages[2]);
        Assert.Contains("[MemoryPackUnion]", messages[2]);
        Assert.Contains("object does not say what to create when loading", messages[3]);
        Assert.All(messages, message => Assert.DoesNotContain("mark it [Artifact]", message));
        Assert.All(run.All("LIN0104"), d => Assert.False(d.Properties.ContainsKey(Lineage.Generators.Diagnostics.Descriptors.FixProperty)));
    }

    [Fact]
    public async Task An_interface_member_left_out_with_IgnoreDataMember_reports_nothing()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using System.Runtime.Serialization;
            using Lineage;

            namespace Consumer;

            [Artifact]
            public sealed class Ranking
            {
                public string[] Names { get; set; } = [];

                [IgnoreDataMember]
                public IComparer<string> Order { get; set; } = StringComparer.Ordinal;
            }
            """);

        run.AssertClean();
    }

    [Fact]
    public async Task Collection_interfaces_and_the_BCL_types_MemoryPack_formats_report_nothing()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using System.Collections;
            using System.Collections.Concurrent;
            using System.Collections.Frozen;
            using System.Collections.Immutable;
            using System.Collections.ObjectModel;
            using System.Globalization;
            using System.Numerics;
            using System.Text;
            using Lineage;

            namespace Consumer;

            [Artifact]
            public sealed record Catalog(
                IReadOnlyList<int> A, IList<string> B, ICollection<double> C, IEnumerable<long> D, IReadOnlyCollection<Guid> E,
                IDictionary<string, int> F, IReadOnlyDictionary<string, IReadOnlyList<float>> G, ISet<string> H, IReadOnlySet<int> I,
                ILookup<string, int> J, ImmutableArray<int> K, IImmutableList<string> L, IImmutableDictionary<string, int> M,
                FrozenDictionary<string, int> N, FrozenSet<int> O, ReadOnlyCollection<int> P, ObservableCollection<int> Q,
                ConcurrentDictionary<string, int> R, SortedDictionary<string, int> S, SortedList<string, int> T, SortedSet<int> U,
                Queue<int> V, Stack<int> W, LinkedList<int> X, PriorityQueue<string, int> Y, KeyValuePair<string, int> Z,
                Tuple<int, string> Aa, Lazy<int> Ab, Memory<byte> Ac, ReadOnlyMemory<float> Ad, ArraySegment<int> Ae,
                int[,] Af, Uri Ag, Version Ah, BigInteger Ai, TimeZoneInfo Aj, CultureInfo Ak, StringBuilder Al, BitArray Am, Type An,
                DateOnly Ao, TimeOnly Ap, Half Aq, Int128 Ar, Complex As, Vector3 At, Matrix4x4 Au, TimeSpan Av, decimal Aw, char Ax);

            public static class Files
            {
                [Artifact("raw")]
                public static Stream Open(FileInfo input) => input.OpenRead();

                [Artifact("copy")]
                public static FileInfo Copy(FileInfo input) => input;
            }
            """);

        run.AssertClean();
    }

    [Fact]
    public async Task A_MemoryPackable_type_counts_as_serializable_and_is_not_checked_as_an_artifact_type()
    {
        var run = await AnalyzerHarness.RunAsync(AnalyzedProject.Code("""
            using Lineage;

            namespace MemoryPack
            {
                [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct)]
                public sealed class MemoryPackableAttribute : Attribute;
            }

            namespace Consumer
            {
                public sealed class Opaque
                {
                    public int Value { get; set; }
                }

                [MemoryPack.MemoryPackable]
                public sealed partial class Vocabulary
                {
                    public Dictionary<string, int> Index { get; set; } = [];
                }

                [Artifact, MemoryPack.MemoryPackable]
                public sealed partial class Embeddings
                {
                    public Opaque? Handled { get; set; }
                }

                [Artifact]
                public sealed record Model(Vocabulary Vocabulary, float[] Weights);
            }
            """) with { ReferencesMemoryPack = false });

        run.AssertClean();
    }

    // ---- LIN0105 ----

    [Fact]
    public async Task LIN0105_private_artifact_method_is_an_error_at_the_method_name()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Training
            {
                [Artifact("iris-model")]
                private static int[] Train() => [1];

                public static int[] Run() => Train();
            }
            """);

        var diagnostic = run.One("LIN0105");
        At(run, diagnostic, DiagnosticSeverity.Error, "Program.cs(8,26)-(8,31)", "Train");
        Assert.Contains("make it internal or public", Message(diagnostic));
    }

    [Fact]
    public async Task LIN0105_private_nested_and_abstract_artifact_types_are_errors_at_the_type_name()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Holder
            {
                [Artifact]
                private sealed record Hidden(int Value);

                public static object Make() => new Hidden(1);
            }

            [Artifact]
            public abstract record Shape(double Area);
            """);

        var diagnostics = run.All("LIN0105").OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(2, diagnostics.Count);
        At(run, diagnostics[0], DiagnosticSeverity.Error, "Program.cs(8,27)-(8,33)", "Hidden");
        Assert.Contains("private or protected", Message(diagnostics[0]));
        At(run, diagnostics[1], DiagnosticSeverity.Error, "Program.cs(14,24)-(14,29)", "Shape");
        Assert.Contains("abstract", Message(diagnostics[1]));
    }

    [Fact]
    public async Task LIN0105_artifact_type_without_a_usable_constructor_is_an_error_at_the_type_name()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            [Artifact]
            public sealed class Sealed
            {
                private Sealed(int value) => Value = value;

                public int Value { get; }

                public static Sealed Create(int value) => new(value);
            }
            """);

        At(run, run.One("LIN0105"), DiagnosticSeverity.Error, "Program.cs(6,21)-(6,27)", "Sealed");
    }

    [Fact]
    public async Task Internal_methods_and_types_inside_internal_classes_report_nothing()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            internal static class Training
            {
                [Artifact]
                internal sealed record Weights(float[] Values);

                [Artifact("weights")]
                internal static Weights Train() => new([1f]);
            }
            """);

        run.AssertClean();
    }
}
