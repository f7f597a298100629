using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Tests;

/// <summary>
/// Which declarations are artifacts: those with <c>Lineage.ArtifactAttribute</c> on them, however the attribute is named
/// (alias, qualified name), and no others — the generator finds them itself, binding a declaration only when its cached spec
/// cannot hold, so these pin what ForAttributeWithMetadataName used to decide.
/// </summary>
public sealed class ArtifactDiscoveryTests
{
    [Fact]
    public void An_attribute_named_through_a_global_alias_in_another_file_a_local_alias_or_a_qualified_name_is_found()
    {
        var run = GeneratorHarness.Run("Disc", "Disc.App",
            new SourceFile("GlobalUsings.cs", "global using Made = Lineage.ArtifactAttribute;"),
            new SourceFile("Producers.cs", """
                using Local = Lineage.ArtifactAttribute;

                namespace Disc;

                [Made]
                public sealed record Point(int X, int Y);

                public static class Producers
                {
                    [Made("by-global-alias")]
                    public static Point ByGlobalAlias() => new(1, 2);

                    [Local("by-local-alias")]
                    public static int ByLocalAlias() => 3;

                    [global::Lineage.Artifact("by-qualified-name")]
                    public static int ByQualifiedName() => 4;
                }
                """)).AssertCompilesCleanly();

        Assert.Equal("by-global-alias", run.Constant("Disc.App.Artifacts+ByGlobalAlias", "Name"));
        Assert.Equal("by-local-alias", run.Constant("Disc.App.Artifacts+ByLocalAlias", "Name"));
        Assert.Equal("by-qualified-name", run.Constant("Disc.App.Artifacts+ByQualifiedName", "Name"));
        Assert.Contains("global::Disc.Point", run.Sources["Lineage.ArtifactTypes.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Another_attribute_called_Artifact_makes_no_artifact()
    {
        var run = GeneratorHarness.Run("Disc", "Disc.App", new SourceFile("Other.cs", """
            namespace Disc;

            [System.AttributeUsage(System.AttributeTargets.All)]
            public sealed class ArtifactAttribute(string? name = null) : System.Attribute
            {
                public string? Name { get; } = name;
            }

            [Artifact]
            public sealed record Point(int X, int Y);

            public static class Producers
            {
                [Artifact("not-lineage")]
                public static int Make() => 1;
            }
            """)).AssertCompilesCleanly();

        Assert.DoesNotContain("Lineage.Artifacts.g.cs", run.Sources.Keys);
        Assert.DoesNotContain("Lineage.ArtifactTypes.g.cs", run.Sources.Keys);
    }

    [Fact]
    public void A_partial_type_with_the_attribute_on_one_part_and_other_attributes_on_another_gets_one_formatter()
    {
        var run = GeneratorHarness.Run("Disc", "Disc.App",
            new SourceFile("Reading.cs", """
                using Lineage;

                namespace Disc;

                [Artifact]
                public sealed partial record Reading(string Sensor, double Value);
                """),
            new SourceFile("Reading.More.cs", """
                namespace Disc;

                [System.Diagnostics.DebuggerDisplay("{Sensor}")]
                public sealed partial record Reading
                {
                    [System.Obsolete("Not an artifact method: no [Artifact] here.")]
                    public static int Unmarked() => 0;
                }
                """)).AssertCompilesCleanly();

        var types = run.Sources["Lineage.ArtifactTypes.g.cs"];
        Assert.Equal(1, CountOf(types, "class Disc_Reading_"));
        Assert.DoesNotContain("Lineage.Artifacts.g.cs", run.Sources.Keys);
    }

    [Fact]
    public void Pointing_an_alias_in_another_file_at_ArtifactAttribute_makes_the_declarations_it_names_artifacts_on_the_next_run()
    {
        // The alias is a declaration: changing it changes the compilation's shape, so the cached "not an artifact" must go.
        var aliases = new SourceFile("GlobalUsings.cs", "global using Made = System.ObsoleteAttribute;");
        var producers = new SourceFile("Producers.cs", """
            namespace Disc;

            public static class Producers
            {
                [Made("made")]
                public static int Make() => 1;
            }
            """);
        var compilation = GeneratorHarness.Compile("Disc", aliases, producers);
        var first = GeneratorHarness.Run(GeneratorHarness.CreateDriver("Disc.App"), compilation);
        Assert.DoesNotContain("Lineage.Artifacts.g.cs", first.Sources.Keys);

        var edited = compilation.ReplaceSyntaxTree(
            compilation.SyntaxTrees.Single(t => t.FilePath == aliases.Path),
            GeneratorHarness.Parse(aliases with { Text = "global using Made = Lineage.ArtifactAttribute;" }));
        var second = GeneratorHarness.Run(first.Driver, edited).AssertCompilesCleanly();

        Assert.Equal("made", second.Constant("Disc.App.Artifacts+Made", "Name"));
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
