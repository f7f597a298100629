using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lineage.Generators.Tests;

/// <summary>
/// <c>Artifacts</c> lives in the project's root namespace and a generated global alias makes it visible everywhere,
/// including top-level statements, which live in the global namespace (a default console project's root namespace is
/// its lowercase name, e.g. <c>myapp</c>).
/// </summary>
public sealed class ArtifactsNamespaceTests
{
    private const string Model = """
        using Lineage;

        public static class Model
        {
            [Artifact("forecast")]
            public static double Predict(double x) => x * 2;
        }
        """;

    private static CSharpCompilation ConsoleApp(string assemblyName, params SourceFile[] sources)
    {
        var compilation = GeneratorHarness.Compile(assemblyName, sources);
        return compilation.WithOptions(compilation.Options.WithOutputKind(OutputKind.ConsoleApplication));
    }

    [Fact]
    public void Top_level_statements_in_a_default_console_project_use_Artifacts_without_a_using()
    {
        var compilation = ConsoleApp("myapp",
            new SourceFile("Program.cs", """
                return Artifacts.Forecast.Name == "forecast" && Artifacts.Forecast.CodeVersion.Length == 64 ? 0 : 1;
                """),
            new SourceFile("Model.cs", Model));

        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver("myapp"), compilation).AssertCompilesCleanly();

        Assert.Contains("global using Artifacts = global::myapp.Artifacts;", run.Sources["Lineage.Artifacts.g.cs"], StringComparison.Ordinal);
        using var loaded = run.Load(runModuleInitializer: false);
        Assert.Equal(0, loaded.Assembly.EntryPoint!.Invoke(null, [Array.Empty<string>()]));
    }

    [Fact]
    public void Code_that_names_the_root_namespace_keeps_compiling()
    {
        var compilation = ConsoleApp("myapp",
            new SourceFile("Program.cs", """
                using myapp;

                System.Console.WriteLine(Artifacts.Forecast.Name + global::myapp.Artifacts.Forecast.Name);
                """),
            new SourceFile("Model.cs", Model),
            new SourceFile("Report.cs", """
                namespace myapp.Reports;

                public static class Report
                {
                    public static string Title() => Artifacts.Forecast.Name + myapp.Artifacts.Forecast.CodeVersion;
                }
                """),
            new SourceFile("Other.cs", """
                using myapp;

                namespace Elsewhere;

                public static class Other
                {
                    public static string Title() => Artifacts.Forecast.Name;
                }
                """));

        GeneratorHarness.Run(GeneratorHarness.CreateDriver("myapp"), compilation).AssertCompilesCleanly();
    }

    [Fact]
    public void An_app_and_a_library_it_references_each_see_their_own_Artifacts()
    {
        var library = GeneratorHarness.Run("Lib", "Lib", new SourceFile("Scores.cs", """
            using Lineage;

            namespace Lib;

            public static class Scores
            {
                [Artifact("baseline")]
                public static int[] Baseline() => [1];
            }
            """)).AssertCompilesCleanly();

        var app = ConsoleApp("myapp",
            new SourceFile("Program.cs", """
                System.Console.WriteLine(Artifacts.Forecast.Name + Lib.Artifacts.Baseline.Name);
                """),
            new SourceFile("Model.cs", Model)).AddReferences(library.Output.ToMetadataReference());

        GeneratorHarness.Run(GeneratorHarness.CreateDriver("myapp"), app).AssertCompilesCleanly();
    }

    [Fact]
    public void A_type_of_ones_own_named_Artifacts_in_the_global_namespace_gets_no_alias_and_still_compiles()
    {
        var compilation = ConsoleApp("myapp",
            new SourceFile("Program.cs", """
                System.Console.WriteLine(Artifacts.Label + myapp.Artifacts.Forecast.Name);

                public static class Artifacts
                {
                    public const string Label = "mine";
                }
                """),
            new SourceFile("Model.cs", Model));

        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver("myapp"), compilation).AssertCompilesCleanly();

        Assert.DoesNotContain("global using", run.Sources["Lineage.Artifacts.g.cs"], StringComparison.Ordinal);
    }
}
