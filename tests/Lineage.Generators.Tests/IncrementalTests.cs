using Lineage.Generators.Model;
using Lineage.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Tests;

/// <summary>An edit the artifacts do not depend on regenerates nothing; an edit to an artifact method re-runs its step.</summary>
public sealed class IncrementalTests
{
    private static readonly SourceFile Types = new("Types.cs", """
        using Lineage;

        namespace Inc;

        [Artifact]
        public sealed record Measurement(string Sensor, double[] Values);
        """);

    private static readonly SourceFile Methods = new("Methods.cs", """
        using Lineage;

        namespace Inc;

        public static class Readings
        {
            [Artifact("latest-reading")]
            public static Measurement Latest(string sensor) => new(sensor, [Calibration.Apply(1.0)]);
        }

        internal static class Calibration
        {
            public static double Apply(double value) => value * 1.01;
        }
        """);

    private static readonly SourceFile Unrelated = new("Unrelated.cs", """
        namespace Inc;

        public static class Formatting
        {
            public static string Describe(int count) => $"{count} items";
        }
        """);

    private static readonly string[] TrackedSteps =
        [TrackingNames.TypeDeclarations, TrackingNames.MethodDeclarations, TrackingNames.Types, TrackingNames.Methods, TrackingNames.Project, TrackingNames.AllTypes, TrackingNames.Accessors];

    [Fact]
    public void Replacing_a_file_without_artifacts_leaves_every_step_and_output_cached_or_unchanged()
    {
        var compilation = GeneratorHarness.Compile("Inc", Types, Methods, Unrelated);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver("Inc.App"), compilation).AssertCompilesCleanly();

        var edited = Replace(compilation, Unrelated, """
            namespace Inc;

            public static class Formatting
            {
                public static string Describe(int count) => $"{count} things";

                public static int Twice(int x) => 2 * x;
            }
            """);
        var second = GeneratorHarness.Run(first.Driver, edited).AssertCompilesCleanly();

        foreach (var step in TrackedSteps)
        {
            var outputs = second.StepOutputs(step);
            Assert.True(outputs.Count > 0, $"The step {step} did not run or is not tracked.");
            Assert.All(outputs, output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                $"{step} produced an output with reason {output.Reason} after an unrelated edit: {output.Value}"));
        }

        var sourceOutputs = second.Result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(sourceOutputs);
        Assert.All(sourceOutputs, output => Assert.True(
            output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"A source output was produced again ({output.Reason}) after an unrelated edit."));
        Assert.Equal(first.Sources, second.Sources);
    }

    [Fact]
    public void A_body_edit_in_a_file_without_artifacts_binds_no_declaration_again()
    {
        // What an edit costs is mostly binding: the type and the method are bound once, and a later edit that changes no
        // declaration reuses their specs without asking the new compilation for a symbol.
        var compilation = GeneratorHarness.Compile("Inc", Types, Methods, Unrelated);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver("Inc.App"), compilation).AssertCompilesCleanly();

        var edited = Replace(compilation, Unrelated, Unrelated.Text.Replace("items", "things", StringComparison.Ordinal));
        var second = GeneratorHarness.Run(first.Driver, edited).AssertCompilesCleanly();

        Assert.Equal(2, ArtifactTargets.BoundIn(compilation));
        Assert.Equal(0, ArtifactTargets.BoundIn(edited));
        foreach (var step in new[] { TrackingNames.TypeDeclarations, TrackingNames.MethodDeclarations })
        {
            var outputs = second.StepOutputs(step);
            Assert.True(outputs.Count > 0, $"The step {step} did not run or is not tracked.");
            Assert.All(outputs, output => Assert.True(
                output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {output.Reason}"));
        }

        Assert.Equal(first.Sources, second.Sources);
    }

    [Fact]
    public void A_declaration_edit_in_a_file_without_artifacts_binds_every_attributed_declaration_again()
    {
        // A new declaration can change what any name binds to (an overload, a type, an alias): nothing cached holds.
        var compilation = GeneratorHarness.Compile("Inc", Types, Methods, Unrelated);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver("Inc.App"), compilation).AssertCompilesCleanly();

        var edited = Replace(compilation, Unrelated, Unrelated.Text.Replace("public static string Describe", "public static int Twice(int x) => 2 * x;\n\n    public static string Describe", StringComparison.Ordinal));
        var second = GeneratorHarness.Run(first.Driver, edited).AssertCompilesCleanly();

        Assert.Equal(2, ArtifactTargets.BoundIn(edited));
        Assert.Equal(first.Sources, second.Sources);
    }

    [Fact]
    public void Editing_the_body_of_an_artifact_method_modifies_its_step_but_not_the_types_step()
    {
        var compilation = GeneratorHarness.Compile("Inc", Types, Methods, Unrelated);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver("Inc.App"), compilation);

        var edited = Replace(compilation, Methods, Methods.Text.Replace("Calibration.Apply(1.0)", "Calibration.Apply(2.0)", StringComparison.Ordinal));
        var second = GeneratorHarness.Run(first.Driver, edited).AssertCompilesCleanly();

        Assert.Contains(second.StepOutputs(TrackingNames.Methods), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains(second.StepOutputs(TrackingNames.Accessors), output => output.Reason == IncrementalStepRunReason.Modified);
        Assert.All(second.StepOutputs(TrackingNames.Types), output => Assert.True(
            output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"ArtifactTypes: {output.Reason}"));
        Assert.NotEqual(
            first.Constant("Inc.App.Artifacts+LatestReading", "CodeVersion"),
            second.Constant("Inc.App.Artifacts+LatestReading", "CodeVersion"));
    }

    [Fact]
    public void Editing_a_helper_in_another_file_that_the_method_reaches_changes_the_code_version_on_the_next_run()
    {
        var helperFile = new SourceFile("Helper.cs", """
            namespace Inc;

            internal static class Offsets
            {
                public const double Zero = 0.5;
            }
            """);
        var methods = new SourceFile("Methods.cs", """
            using Lineage;

            namespace Inc;

            public static class Readings
            {
                [Artifact("latest-reading")]
                public static Measurement Latest(string sensor) => new(sensor, [Offsets.Zero]);
            }
            """);
        var compilation = GeneratorHarness.Compile("Inc", Types, methods, helperFile);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver("Inc.App"), compilation);

        var edited = Replace(compilation, helperFile, helperFile.Text.Replace("0.5", "0.25", StringComparison.Ordinal));
        var second = GeneratorHarness.Run(first.Driver, edited).AssertCompilesCleanly();

        // The method's own file did not change, but its slice did: a cached result here would be stale provenance.
        Assert.NotEqual(
            first.Constant("Inc.App.Artifacts+LatestReading", "CodeVersion"),
            second.Constant("Inc.App.Artifacts+LatestReading", "CodeVersion"));
        Assert.Contains("0.25", second.Constant("Inc.App.Artifacts+LatestReading", "SourceCode"), StringComparison.Ordinal);
    }

    [Fact]
    public void Changing_a_declaration_in_another_file_parses_an_artifact_type_again()
    {
        // Specs are reused across edits while no declaration changed; this edit changes one that the type's encoding depends on.
        var record = new SourceFile("Reading.cs", """
            using Lineage;

            namespace Inc;

            [Artifact]
            public sealed record Reading(Point At);
            """);
        var geometry = new SourceFile("Geometry.cs", """
            namespace Inc;

            public struct Point { public int X; public int Y; }
            """);
        var compilation = GeneratorHarness.Compile("Inc", record, geometry);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver("Inc.App"), compilation).AssertCompilesCleanly();

        var edited = Replace(compilation, geometry, geometry.Text.Replace("public int Y;", "public string Y;", StringComparison.Ordinal));
        var second = GeneratorHarness.Run(first.Driver, edited).AssertCompilesCleanly();

        Assert.Equal(MemberEncoding.Unmanaged, Assert.IsType<ArtifactTypeSpec>(Assert.Single(first.StepOutputs(TrackingNames.Types)).Value).Members[0].Encoding);
        var (value, reason) = Assert.Single(second.StepOutputs(TrackingNames.Types));
        Assert.Equal(IncrementalStepRunReason.Modified, reason);
        Assert.Equal(MemberEncoding.Value, Assert.IsType<ArtifactTypeSpec>(value).Members[0].Encoding);
    }

    private static Compilation Replace(Compilation compilation, SourceFile file, string text) =>
        compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(t => t.FilePath == file.Path),
            GeneratorHarness.Parse(file with { Text = text }));
}
