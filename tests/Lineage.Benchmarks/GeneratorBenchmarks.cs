using System.Text;
using BenchmarkDotNet.Attributes;
using Lineage.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lineage.Benchmarks;

/// <summary>
/// The generator on a synthetic project with 1,000 <c>[Artifact]</c> types and 1,000 <c>[Artifact("name")]</c>
/// methods (each calling a helper), across 100 files plus one file without artifacts. Cold: a first run.
/// After an unrelated edit: the driver has run once, then one statement changes in the file without artifacts,
/// in a fresh compilation as an IDE would make — the cost paid on every keystroke. Two floors on the same edit: a driver
/// whose generator does no work (what any generator costs), and one whose generator only finds the same declarations
/// with <c>ForAttributeWithMetadataName</c> (what a generator built on that API cannot go under).
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15, invocationCount: 1)]
public class GeneratorBenchmarks
{
    private const int Artifacts = 1000;
    private const int Files = 100;
    private CSharpCompilation _compilation = null!;
    private SyntaxTree _unrelated = null!;
    private GeneratorDriver _warmDriver = null!;
    private GeneratorDriver _warmEmptyDriver = null!;
    private GeneratorDriver _warmAttributeDriver = null!;
    private CSharpCompilation _edited = null!;
    private int _edit;

    [GlobalSetup]
    public void Setup()
    {
        var parse = new CSharpParseOptions(LanguageVersion.CSharp12);
        var trees = new List<SyntaxTree>();
        for (var file = 0; file < Files; file++)
        {
            var source = new StringBuilder("using Lineage;\nnamespace Synthetic;\n");
            for (var i = file * (Artifacts / Files); i < (file + 1) * (Artifacts / Files); i++)
            {
                source.Append($$"""
                    [Artifact]
                    public sealed record Result{{i}}(int Id, string Label, double[] Values, System.Collections.Generic.List<string> Tags);

                    public static class Producer{{i}}
                    {
                        [Artifact("result-{{i}}")]
                        public static Result{{i}} Produce(int id, double[] values) => new(id, Helpers{{i}}.Label(id), values, ["a", "b"]);
                    }

                    internal static class Helpers{{i}}
                    {
                        public static string Label(int id) => "result " + id * {{i}};
                    }

                    """);
            }

            trees.Add(CSharpSyntaxTree.ParseText(source.ToString(), parse, path: $"File{file}.cs"));
        }

        _unrelated = CSharpSyntaxTree.ParseText("namespace Synthetic; public static class Unrelated { public static int Value() => 1; }", parse, path: "Unrelated.cs");
        trees.Add(_unrelated);

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path))
            .Append(MetadataReference.CreateFromFile(typeof(ArtifactStore).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(MemoryPack.MemoryPackSerializer).Assembly.Location));
        _compilation = CSharpCompilation.Create("Synthetic", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        _warmDriver = NewDriver().RunGenerators(_compilation);
        _warmEmptyDriver = NewDriver(new NoWorkGenerator()).RunGenerators(_compilation);
        _warmAttributeDriver = NewDriver(new AttributeOnlyGenerator()).RunGenerators(_compilation);
    }

    [IterationSetup(Targets = [nameof(After_an_unrelated_edit), nameof(Floor_no_generator_work), nameof(Floor_ForAttributeWithMetadataName)])]
    public void MakeEdit()
    {
        _edit++;
        var changed = _unrelated.WithChangedText(_unrelated.GetText().Replace(_unrelated.ToString().IndexOf("=> 1", StringComparison.Ordinal), 4, $"=> {_edit + 1}"));
        _edited = _compilation.ReplaceSyntaxTree(_unrelated, changed);

        // The compiler builds the new compilation's declarations (symbols, not method bodies) on every edit
        // whether generators run or not; build them here so the benchmark times the generator's own work.
        _ = _edited.GetDeclarationDiagnostics();
    }

    [Benchmark]
    public GeneratorDriver Cold() => NewDriver().RunGenerators(_compilation);

    [Benchmark]
    public GeneratorDriver After_an_unrelated_edit() => _warmDriver.RunGenerators(_edited);

    [Benchmark]
    public GeneratorDriver Floor_no_generator_work() => _warmEmptyDriver.RunGenerators(_edited);

    [Benchmark]
    public GeneratorDriver Floor_ForAttributeWithMetadataName() => _warmAttributeDriver.RunGenerators(_edited);

    private static CSharpGeneratorDriver NewDriver(IIncrementalGenerator? generator = null) =>
        CSharpGeneratorDriver.Create([(generator ?? new ArtifactGenerator()).AsSourceGenerator()], parseOptions: new CSharpParseOptions(LanguageVersion.CSharp12));

    /// <summary>One output from the compilation's name: the driver's own cost per edit.</summary>
    private sealed class NoWorkGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context) =>
            context.RegisterSourceOutput(context.CompilationProvider.Select(static (compilation, _) => compilation.AssemblyName ?? string.Empty),
                static (output, name) => output.AddSource("Name.g.cs", "// " + name));
    }

    /// <summary>The [Artifact] types and methods found as the generator once found them (ForAttributeWithMetadataName), and nothing else done.</summary>
    private sealed class AttributeOnlyGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var types = context.SyntaxProvider.ForAttributeWithMetadataName(ArtifactGenerator.AttributeName,
                static (node, _) => node is TypeDeclarationSyntax, static (declaration, _) => declaration.TargetNode.SpanStart);
            var methods = context.SyntaxProvider.ForAttributeWithMetadataName(ArtifactGenerator.AttributeName,
                static (node, _) => node is MethodDeclarationSyntax, static (declaration, _) => declaration.TargetNode.SpanStart);
            context.RegisterSourceOutput(types.Collect().Combine(methods.Collect()),
                static (output, found) => output.AddSource("Found.g.cs", $"// {found.Left.Length} types, {found.Right.Length} methods"));
        }
    }
}
