// Usage: Lineage.SaveWorker NAME COUNT WRITER
// Saves "writer WRITER save I" as the next version of NAME, COUNT times, on the store the
// environment configures (LINEAGE_HOME, LINEAGE_DATABASE_URL, LINEAGE_ARTIFACT_STORAGE_DIR,
// and {LINEAGE_HOME}/config.json for storage options). Prints one version number per line.
using System.Globalization;
using Lineage;

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Lineage.SaveWorker NAME COUNT WRITER");
    return 2;
}

var name = args[0];
var count = int.Parse(args[1], CultureInfo.InvariantCulture);
var writer = args[2];
await using var store = await ArtifactStore.OpenAsync();
for (var i = 0; i < count; i++)
{
    var record = await store.SaveAsync(name, $"writer {writer} save {i}");
    Console.WriteLine(record.Version.ToString(CultureInfo.InvariantCulture));
}

return 0;
