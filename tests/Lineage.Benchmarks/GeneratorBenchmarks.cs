using System.Text;
using BenchmarkDotNet.Attributes;
using Lineage.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lineage.Benchmarks;

/// <summary>
/// The generator on a synthetic project with 1,000 <c>[Artifact]</c> types and 1,000 <c>[Artifact("name")]</c>
/// methods (each calling a helper), across 100 files plus one file without artifacts. Cold: a first run.
/// After an unrelated edit: the driver has run once, then one statement changes in the file without artifacts,
/// in a fresh compilation as an IDE would make — the cost paid on every keystroke.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15, invocationCount: 1)]
public class GeneratorBenchmarks
{
    private const int Artifacts = 1000;
    private const int Files = 100;
    private CSharpCompilation _compilation = null!;
    private SyntaxTree _unrelated = null!;
    private GeneratorDriver _warmDriver = null!;
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
    }

    [IterationSetup(Target = nameof(After_an_unrelated_edit))]
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

    private static CSharpGeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create([new ArtifactGenerator().AsSourceGenerator()], parseOptions: new CSharpParseOptions(LanguageVersion.CSharp12));
}
