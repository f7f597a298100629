// A three-step pipeline with compile-time provenance and exact lineage: prepare → train → evaluate. [Artifact] types get
// serializers, [Artifact("name")] methods get typed accessors carrying their code, GetOrCompute skips work whose code and
// inputs were already computed, and every argument that equals a stored version is recorded as that version's input.
using IrisPipeline;
using Lineage;

const string Measurements = """
    1.4, 0.2, 5.1
    4.7, 1.4, 7.0
    6.0, 2.5, 6.3
    1.3, 0.2, 4.9
    4.5, 1.5, 6.4
    5.1, 1.9, 5.8
    """;

var store = ArtifactStore.Default;
Console.WriteLine($"Store: {store.Options.MaskedDatabaseUrl}");

var data = Artifacts.IrisData.GetOrCompute(Measurements);
Console.WriteLine($"Prepared iris-data: {data.Features.Length} flowers");

var before = store.List().FirstOrDefault(a => a.Name == Artifacts.IrisModel.Name)?.Version ?? 0;
var model = Artifacts.IrisModel.GetOrCompute(data);
var after = Artifacts.IrisModel.Versions()[^1];
Console.WriteLine(after.Version > before
    ? $"Trained iris-model: computed and saved as v{after.Version}"
    : $"Trained iris-model: reused v{after.Version} (same code version and inputs)");
Console.WriteLine($"  weights [{string.Join(", ", model.Weights.Select(w => w.ToString("F3")))}], bias {model.Bias:F3}");
Console.WriteLine($"  code version {Artifacts.IrisModel.CodeVersion[..16]}…");

// Mark the model in production: an alias, with history; loads by alias go wherever it points now.
store.Aliases.Set(Artifacts.IrisModel.Name, "production", after.Version);
var production = Artifacts.IrisModel.Load(alias: "production");
Console.WriteLine($"  iris-model@production is v{store.Get("iris-model@production").Version}, tagged {string.Join(", ", after.Tags)}");

var report = await Artifacts.IrisEvaluation.GetOrComputeAsync(production, data, CancellationToken.None);
Console.WriteLine($"Evaluation: {report.Summary}");

Console.WriteLine();
Console.WriteLine("What iris-evaluation was computed from (lineage graph iris-evaluation):");
foreach (var input in store.Lineage.Inputs(Artifacts.IrisEvaluation.Name))
{
    Console.WriteLine($"  {input}{(input.IsExact ? " (exact: an argument equal to this version)" : string.Empty)}");
}

var record = store.Get(Artifacts.IrisModel.Name);
Console.WriteLine();
Console.WriteLine($"iris-model v{record.Version} was produced by {record.AssemblyName} {record.AssemblyVersion}, code version {record.CodeVersion?[..16]}…");
Console.WriteLine("Its recorded source code:");
Console.WriteLine(record.SourceCode);
