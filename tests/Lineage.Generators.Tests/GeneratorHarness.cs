using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Lineage.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lineage.Generators.Tests;

/// <summary>A C# file given to the compiler: its path decides the slice order, so tests name it.</summary>
public sealed record SourceFile(string Path, string Text);

/// <summary>
/// Compiles C# in memory the way a user's build does (C# 12, nullable on, every warning an error), runs
/// <see cref="ArtifactGenerator"/> over it in a driver that tracks incremental steps, and loads the result.
/// </summary>
public static class GeneratorHarness
{
    // Documentation comments are checked as in a project with GenerateDocumentationFile, the strictest users' setting.
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>A library compilation of <paramref name="sources"/> referencing the runtime, Lineage and MemoryPack.</summary>
    public static CSharpCompilation Compile(string assemblyName, params SourceFile[] sources) => Compile(assemblyName, ParseOptions, sources);

    /// <summary>As <see cref="Compile(string, SourceFile[])"/>, parsed with <paramref name="parseOptions"/> (e.g. another documentation mode).</summary>
    public static CSharpCompilation Compile(string assemblyName, CSharpParseOptions parseOptions, params SourceFile[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select(source => CSharpSyntaxTree.ParseText(source.Text, parseOptions, source.Path)),
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                warningLevel: 9999,
                generalDiagnosticOption: ReportDiagnostic.Error,
                // The SDK silences the assembly unification notes in every build. Missing docs on the test's own user code are
                // not the generator's business; broken docs in generated code (CS1574, CS0419, …) still fail.
                specificDiagnosticOptions: new Dictionary<string, ReportDiagnostic>
                {
                    ["CS1701"] = ReportDiagnostic.Suppress,
                    ["CS1702"] = ReportDiagnostic.Suppress,
                    ["CS1591"] = ReportDiagnostic.Suppress,
                },
                deterministic: true));

    public static SyntaxTree Parse(SourceFile source) =>
        CSharpSyntaxTree.ParseText(source.Text, ParseOptions, source.Path);

    /// <summary>A driver for the generator, with step tracking on and <c>build_property.RootNamespace</c> set when given.</summary>
    public static GeneratorDriver CreateDriver(string? rootNamespace = null, CSharpParseOptions? parseOptions = null)
    {
        var properties = new Dictionary<string, string>();
        if (rootNamespace is not null)
        {
            properties["build_property.RootNamespace"] = rootNamespace;
        }

        return CSharpGeneratorDriver.Create(
            [new ArtifactGenerator().AsSourceGenerator()],
            parseOptions: parseOptions ?? ParseOptions,
            optionsProvider: new GlobalOptionsProvider(properties),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>Compiles <paramref name="sources"/> and runs the generator once.</summary>
    public static GeneratorRun Run(string assemblyName, string? rootNamespace, params SourceFile[] sources) =>
        Run(CreateDriver(rootNamespace), Compile(assemblyName, sources));

    /// <summary>Compiles <paramref name="sources"/> with <paramref name="parseOptions"/> and runs the generator once with the same options.</summary>
    public static GeneratorRun Run(string assemblyName, string? rootNamespace, CSharpParseOptions parseOptions, params SourceFile[] sources) =>
        Run(CreateDriver(rootNamespace, parseOptions), Compile(assemblyName, parseOptions, sources));

    /// <summary>Runs <paramref name="driver"/> (which may hold state from earlier runs) over <paramref name="compilation"/>.</summary>
    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics, TestContext.Current.CancellationToken);
        return new GeneratorRun(driver, compilation, output, generatorDiagnostics);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(typeof(ArtifactStore).Assembly.Location)
            .Append(typeof(MemoryPack.MemoryPackSerializer).Assembly.Location)
            .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal);
        return [.. paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }

    private sealed class GlobalOptionsProvider(IReadOnlyDictionary<string, string> globals) : AnalyzerConfigOptionsProvider
    {
        private static readonly DictionaryOptions Empty = new(new Dictionary<string, string>());

        public override AnalyzerConfigOptions GlobalOptions { get; } = new DictionaryOptions(globals);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
    }

    private sealed class DictionaryOptions(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value);
    }
}

/// <summary>One run of the generator: what it produced, what the compiler says about the result, and a way to run it.</summary>
public sealed class GeneratorRun(GeneratorDriver driver, Compilation input, Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics)
{
    public GeneratorDriver Driver { get; } = driver;

    public Compilation Input { get; } = input;

    public Compilation Output { get; } = output;

    public GeneratorRunResult Result { get; } = driver.GetRunResult().Results.Single();

    /// <summary>Generated files by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString(), StringComparer.Ordinal);

    /// <summary>Warnings and errors of the generator and of the compilation that includes its output.</summary>
    public IReadOnlyList<Diagnostic> Problems =>
        [.. generatorDiagnostics.Concat(Output.GetDiagnostics(TestContext.Current.CancellationToken))
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)];

    /// <summary>Fails unless the generator ran cleanly and the output compiles without a single warning.</summary>
    public GeneratorRun AssertCompilesCleanly()
    {
        Assert.Null(Result.Exception);
        Assert.True(Problems.Count == 0, "The generated code does not compile cleanly:\n" + string.Join("\n", Problems));
        return this;
    }

    /// <summary>The value of a constant in the output compilation, e.g. <c>("Calc.Artifacts+Total", "CodeVersion")</c>.</summary>
    public string Constant(string typeMetadataName, string field)
    {
        var type = Output.GetTypeByMetadataName(typeMetadataName);
        Assert.True(type is not null, $"The output compilation has no type {typeMetadataName}.");
        var constant = type.GetMembers(field).OfType<IFieldSymbol>().SingleOrDefault();
        Assert.True(constant is { HasConstantValue: true }, $"{typeMetadataName} has no constant {field}.");
        return (string)constant.ConstantValue!;
    }

    /// <summary>The outputs of a tracked step, with the reason each was produced.</summary>
    public IReadOnlyList<(object Value, IncrementalStepRunReason Reason)> StepOutputs(string trackingName) =>
        Result.TrackedSteps.TryGetValue(trackingName, out var steps)
            ? [.. steps.SelectMany(step => step.Outputs)]
            : [];

    /// <summary>Emits the output compilation and loads it into its own collectible load context.</summary>
    /// <param name="runModuleInitializer">Run the generated registrations now, as touching any code of the assembly would.</param>
    public LoadedAssembly Load(bool runModuleInitializer = true)
    {
        AssertCompilesCleanly();
        using var image = new MemoryStream();
        var emitted = Output.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        return new LoadedAssembly(image, Output.AssemblyName!, runModuleInitializer);
    }
}

/// <summary>An in-memory assembly in a collectible load context; Lineage and MemoryPack resolve to the test's own copies.</summary>
public sealed class LoadedAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    internal LoadedAssembly(Stream image, string name, bool runModuleInitializer)
    {
        _context = new AssemblyLoadContext(name + "-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        Assembly = _context.LoadFromStream(image);
        if (runModuleInitializer)
        {
            RuntimeHelpers.RunModuleConstructor(Assembly.ManifestModule.ModuleHandle);
        }
    }

    public Assembly Assembly { get; }

    /// <summary>A type by metadata name (nested types with <c>+</c>).</summary>
    public Type Type(string metadataName) =>
        Assembly.GetType(metadataName) ?? throw new InvalidOperationException($"{Assembly.GetName().Name} has no type {metadataName}.");

    /// <summary>Calls a public static method, choosing the overload by argument count.</summary>
    public object? Invoke(string typeName, string methodName, params object?[] arguments)
    {
        var method = Type(typeName).GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Single(m => m.Name == methodName && m.GetParameters().Length == arguments.Length);
        try
        {
            return method.Invoke(null, arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>Awaits a static async method and returns its result.</summary>
    public async Task<object?> InvokeAsync(string typeName, string methodName, params object?[] arguments)
    {
        var task = (Task)Invoke(typeName, methodName, arguments)!;
        await task;
        return task.GetType().GetProperty("Result")!.GetValue(task);
    }

    /// <summary>Reads a public static field (e.g. an invocation counter in the compiled code).</summary>
    public object? StaticField(string typeName, string fieldName) =>
        Type(typeName).GetField(fieldName, BindingFlags.Public | BindingFlags.Static)!.GetValue(null);

    public void Dispose() => _context.Unload();
}
