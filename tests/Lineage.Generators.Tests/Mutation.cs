using Microsoft.CodeAnalysis.CSharp;

namespace Lineage.Generators.Tests;

/// <summary>
/// The mutation tests' harness: build a small program (an artifact <c>value</c> computed by <c>Prov.Model.Compute()</c>),
/// edit it or the way it is compiled, build again, and compare the code versions and the values the two builds compute.
/// </summary>
public static class Mutation
{
    public const string Accessor = "Prov.App.Artifacts+Value";

    public const string Pipeline = """
        using Lineage;

        namespace Prov;

        public static class Pipeline
        {
            [Artifact("value")]
            public static double Value() => Model.Compute();
        }
        """;

    /// <summary>How a build is compiled: the test harness's defaults, or other parse and compilation options.</summary>
    public sealed record Build(CSharpParseOptions? Parse = null, Func<CSharpCompilationOptions, CSharpCompilationOptions>? Options = null)
    {
        public static readonly Build Default = new();

        /// <summary>Compiles <paramref name="files"/>, runs the generator and the artifact method (after <c>Prov.Host.Start</c>, if any).</summary>
        public (string Version, object? Value) Run(SourceFile[] files)
        {
            var parse = Parse ?? GeneratorHarness.ParseOptions;
            var compilation = GeneratorHarness.Compile("Prov", parse, files);
            if (Options is not null)
            {
                compilation = compilation.WithOptions(Options(compilation.Options));
            }

            var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver("Prov.App", parse), compilation).AssertCompilesCleanly();
            using var loaded = run.Load();
            // Where a case has a host, it wires the implementations first, as a program's Main would.
            if (loaded.Assembly.GetType("Prov.Host") is not null)
            {
                loaded.Invoke("Prov.Host", "Start");
            }

            return (run.Constant(Accessor, "CodeVersion"), loaded.Invoke("Prov.Pipeline", "Value"));
        }
    }

    public static SourceFile[] Edit(SourceFile[] files, string path, string from, string to) =>
        [.. files.Select(file => file.Path != path ? file : file.Text.Contains(from, StringComparison.Ordinal)
            ? file with { Text = file.Text.Replace(from, to, StringComparison.Ordinal) }
            : throw new ArgumentException($"{path} does not contain '{from}'."))];

    /// <summary>The edit changes the value (checked by running both builds), so it must change the code version.</summary>
    public static void AssertChanges(SourceFile[] files, string path, string from, string to) =>
        AssertChanges(Build.Default.Run(files), Build.Default.Run(Edit(files, path, from, to)));

    /// <summary>Two builds computed different values, so their code versions must differ.</summary>
    public static void AssertChanges((string Version, object? Value) before, (string Version, object? Value) after)
    {
        Assert.NotEqual(before.Value, after.Value);
        Assert.NotEqual(before.Version, after.Version);
    }

    /// <summary>The edit changes code that runs when the value is computed, so it must change the code version.</summary>
    public static void AssertVersionChanges(SourceFile[] files, string path, string from, string to) =>
        Assert.NotEqual(Build.Default.Run(files).Version, Build.Default.Run(Edit(files, path, from, to)).Version);

    /// <summary>The edit leaves the value as it was, and the code version too.</summary>
    public static void AssertUnchanged(SourceFile[] files, string path, string from, string to) =>
        AssertUnchanged(Build.Default.Run(files), Build.Default.Run(Edit(files, path, from, to)));

    /// <summary>Two builds computed the same value with the same code version.</summary>
    public static void AssertUnchanged((string Version, object? Value) before, (string Version, object? Value) after)
    {
        Assert.Equal(before.Value, after.Value);
        Assert.Equal(before.Version, after.Version);
    }
}
