// A pipeline with compile-time provenance: [Artifact] types get serializers, [Artifact("name")] methods get typed
// accessors carrying their code, and GetOrCompute skips work whose code and inputs were already computed.
using IrisPipeline;
using Lineage;

float[][] features = [[1.4f, 0.2f], [4.7f, 1.4f], [6.0f, 2.5f], [1.3f, 0.2f], [4.5f, 1.5f], [5.1f, 1.9f]];
float[] targets = [5.1f, 7.0f, 6.3f, 4.9f, 6.4f, 5.8f];

var store = ArtifactStore.Default;
Console.WriteLine($"Store: {store.Options.MaskedDatabaseUrl}");

var before = store.List().FirstOrDefault(a => a.Name == Artifacts.IrisModel.Name)?.Version ?? 0;
var model = Artifacts.IrisModel.GetOrCompute(features, targets);
var after = Artifacts.IrisModel.Versions()[^1];
Console.WriteLine(after.Version > before
    ? $"Trained iris-model: computed and saved as v{after.Version}"
    : $"Trained iris-model: reused v{after.Version} (same code version and inputs)");
Console.WriteLine($"  weights [{string.Join(", ", model.Weights.Select(w => w.ToString("F3")))}], bias {model.Bias:F3}");
Console.WriteLine($"  code version {Artifacts.IrisModel.CodeVersion[..16]}…");

var report = await Artifacts.IrisEvaluation.GetOrComputeAsync(model, features, targets, CancellationToken.None);
Console.WriteLine($"Evaluation: {report.Summary}");

var record = store.Get(Artifacts.IrisModel.Name);
Console.WriteLine();
Console.WriteLine($"iris-model v{record.Version} was produced by {record.AssemblyName} {record.AssemblyVersion}, code version {record.CodeVersion?[..16]}…");
Console.WriteLine("Its recorded source code:");
Console.WriteLine(record.SourceCode);
