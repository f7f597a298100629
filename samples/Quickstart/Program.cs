// Lineage quickstart: save, list, reload and version artifacts on the default store
// (SQLite metadata + a local folder under ~/.lineage, or wherever LINEAGE_HOME points).
using System.Globalization;
using Lineage;

var store = ArtifactStore.Default;
Console.WriteLine($"Store: metadata {store.Options.MaskedDatabaseUrl}");
Console.WriteLine($"       values   {store.Options.ArtifactStorageDir}");
Console.WriteLine();

// A "model": weights trained twice, so the name gets two new versions.
var first = store.Save("iris-weights", new[] { 0.12f, -0.5f, 1.25f, 0.03f });
var second = store.Save("iris-weights", new[] { 0.10f, -0.48f, 1.31f, 0.05f });
Console.WriteLine($"Saved iris-weights v{first.Version} and v{second.Version} ({second.Size} bytes, sha256 {second.Hash[..12]}…)");

// Other values: a dictionary of metrics, a string, raw bytes and a file (suffix kept).
store.Save("iris-metrics", new Dictionary<string, double> { ["accuracy"] = 0.953, ["f1"] = 0.948 });
store.Save("notes", $"Trained on {DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture)}");
store.Save("raw-header", "sepal_length,sepal_width,petal_length,petal_width\n"u8.ToArray());
var csv = Path.Combine(Path.GetTempPath(), $"iris-sample-{Environment.ProcessId}.csv");
File.WriteAllText(csv, "5.1,3.5,1.4,0.2,setosa\n7.0,3.2,4.7,1.4,versicolor\n");
var file = store.Save("iris-sample", new FileInfo(csv));
File.Delete(csv);
Console.WriteLine($"Saved iris-sample as {file.Key} (a file keeps its suffix)");
Console.WriteLine();

Console.WriteLine("Artifacts (latest version of each):");
foreach (var artifact in store.List())
{
    Console.WriteLine($"  {artifact.Name,-14} v{artifact.Version,-4} {artifact.TypeName,-52} {artifact.Size,6} bytes  {artifact.CreatedAt:u}");
}

Console.WriteLine();
var latest = store.Load<float[]>("iris-weights");
var original = store.Load<float[]>("iris-weights", version: first.Version);
Console.WriteLine($"Loaded iris-weights latest: [{string.Join(", ", latest)}]");
Console.WriteLine($"Loaded iris-weights v{first.Version}:  [{string.Join(", ", original)}]");
var metrics = store.Load<Dictionary<string, double>>("iris-metrics");
Console.WriteLine($"Loaded iris-metrics: accuracy {metrics["accuracy"]}, f1 {metrics["f1"]}");
using (var sample = new StreamReader(store.Load<Stream>("iris-sample")))
{
    Console.WriteLine($"Loaded iris-sample: {sample.ReadLine()} …");
}

Console.WriteLine();
Console.WriteLine("Versions of iris-weights:");
foreach (var version in store.Versions("iris-weights"))
{
    Console.WriteLine($"  v{version.Version,-4} {version.CreatedAt:u}  by {version.CreatedBy} on {version.Host}  {version.Key}");
}

// Soft delete moves a version to the trash; Restore brings it back. Version numbers are never reused.
store.Delete("iris-weights", first.Version);
Console.WriteLine();
Console.WriteLine($"Deleted iris-weights v{first.Version} (to trash); live versions now: {string.Join(", ", store.Versions("iris-weights").Select(v => "v" + v.Version))}");
store.Restore("iris-weights", first.Version);
Console.WriteLine($"Restored it; live versions now: {string.Join(", ", store.Versions("iris-weights").Select(v => "v" + v.Version))}");
