// Usage: Lineage.SaveWorker NAME COUNT WRITER
//   Saves "writer WRITER save I" as the next version of NAME, COUNT times, on the store the
//   environment configures (LINEAGE_HOME, LINEAGE_DATABASE_URL, LINEAGE_ARTIFACT_STORAGE_DIR,
//   and {LINEAGE_HOME}/config.json for storage options). Prints one version number per line.
// Usage: Lineage.SaveWorker crash NAME SEED
//   Saves byte values of random sizes (a few bytes to a few MiB, so that a kill can land anywhere in a save)
//   as versions of NAME until it is killed, printing "VERSION SHA256" once each save has returned.
// Usage: Lineage.SaveWorker migrate FROM TO BATCH_SIZE HANG_AFTER_BATCH
//   Migrates FROM to TO on the same store, printing "batch N" when batch N is committed; after batch
//   HANG_AFTER_BATCH it stops making progress (so a test can kill it between two batches).
// Usage: Lineage.SaveWorker share WRITER COUNT
//   COUNT times: saves the bytes of the current half-second time slot (every writer saves the same bytes in the same slot, so saves
//   point at one another's values) as the next version of "share-WRITER", loads it back, waits 0-4 ms, and deletes it
//   permanently. Prints "shared" for a save that pointed at a value already stored, "own" otherwise; exits 3 when a value it
//   saved is gone.
using System.Globalization;
using Lineage;

if (args.Length == 3 && args[0] == "share")
{
    await using var sharing = await ArtifactStore.OpenAsync();
    var shareName = $"share-{args[1]}";
    for (var i = 0; i < int.Parse(args[2], CultureInfo.InvariantCulture); i++)
    {
        var slot = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 500;
        var bytes = new byte[4096];
        new Random((int)(slot % int.MaxValue)).NextBytes(bytes);
        var saved = await sharing.SaveAsync(shareName, bytes);
        try
        {
            var loaded = await sharing.LoadAsync<byte[]>(shareName, saved.Version);
            if (!loaded.AsSpan().SequenceEqual(bytes))
            {
                throw new InvalidOperationException("loaded other bytes");
            }
        }
        catch (Exception e) when (e is LineageException or InvalidOperationException)
        {
            Console.Error.WriteLine($"version {saved.Version} ({saved.Key}, shared: {saved.IsShared}) lost its value: {e.Message}");
            return 3;
        }

        Console.WriteLine(saved.IsShared ? "shared" : "own");
        await Task.Delay(Random.Shared.Next(5));
        await sharing.DeleteAsync(shareName, saved.Version, permanent: true);
    }

    return 0;
}

if (args.Length == 5 && args[0] == "migrate")
{
    var hangAfter = int.Parse(args[4], CultureInfo.InvariantCulture);
    await using var migrating = await ArtifactStore.OpenAsync();
    var result = await migrating.Storages.MigrateAsync(args[1], args[2],
        new MigrationOptions { BatchSize = int.Parse(args[3], CultureInfo.InvariantCulture) }, new BatchReporter(hangAfter));
    Console.WriteLine($"moved {result.Moved}");
    return 0;
}

if (args.Length == 3 && args[0] == "crash")
{
    var random = new Random(int.Parse(args[2], CultureInfo.InvariantCulture));
    await using var crashing = await ArtifactStore.OpenAsync();
    while (true)
    {
        // Mostly small values (many saves, many commit points), now and then a large one (kills inside the write).
        var value = new byte[random.Next(4) == 0 ? random.Next(1 << 20, 4 << 20) : random.Next(1, 64 << 10)];
        random.NextBytes(value);
        var saved = await crashing.SaveAsync(args[1], value);
        Console.WriteLine($"{saved.Version.ToString(CultureInfo.InvariantCulture)} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(value))}");
        Console.Out.Flush();
    }
}

if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Lineage.SaveWorker NAME COUNT WRITER | crash NAME SEED | migrate FROM TO BATCH_SIZE HANG_AFTER_BATCH | share WRITER COUNT");
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

/// <summary>Reports committed batches on stdout; progress is reported inline, so blocking here pauses the migration.</summary>
internal sealed class BatchReporter(int hangAfter) : IProgress<MigrationProgress>
{
    private int _batches;

    public void Report(MigrationProgress value)
    {
        if (value.BatchesCommitted == _batches)
        {
            return;
        }

        _batches = value.BatchesCommitted;
        Console.WriteLine($"batch {_batches}");
        Console.Out.Flush();
        if (_batches == hangAfter)
        {
            Thread.Sleep(Timeout.Infinite);
        }
    }
}
