using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Lineage.Benchmarks;

/// <summary>
/// Deduplication's cost and gain on a 256 MiB <c>byte[]</c>. Targets (ratios within one run):
/// <list type="bullet">
/// <item>"existing 256 MiB": saving a value the root already holds costs at most 1.2× hashing it once (<c>Sha256_once</c>): one
/// hash (SHA-256, with the XxHash128 load checksum on the other core), two indexed queries, a stat of the stored value and a row;
/// no write.</item>
/// <item>"first save 256 MiB": a first save (no value of that size in the root, so nothing is hashed before the write) is not more than
/// 5% slower than before: its ratio to <c>Raw_sha256_write_and_fsync</c> (the hash after the write, as saves did before the pipeline)
/// was 0.98 before deduplication; hashing on other cores alongside the write brings it below 1. <c>Store_first_save_same_size_in_root</c>
/// shows the worst case: a different value of the same size is stored, so the save hashes its bytes once to look, then writes them
/// (hashing them again alongside).</item>
/// </list>
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8, invocationCount: 1)]
public class StorageEconomicsBenchmarks
{
    private const int Size = 256 * 1024 * 1024;
    private BenchmarkFolder _folder = null!;
    private BenchmarkFolder _sameSizeFolder = null!;
    private ArtifactStore _store = null!;
    private ArtifactStore _sameSizeStore = null!;
    private byte[] _value = null!;
    private byte[] _fresh = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = new BenchmarkFolder("economics");
        _store = _folder.OpenStore();
        _sameSizeFolder = new BenchmarkFolder("economics-same-size");
        _sameSizeStore = _sameSizeFolder.OpenStore();
        _value = new byte[Size];
        new Random(42).NextBytes(_value);
        _fresh = new byte[Size];
        new Random(43).NextBytes(_fresh);
        _store.Save("existing", _value);
        _sameSizeStore.Save("existing", _value);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _sameSizeStore.Dispose();
        _folder.Dispose();
        _sameSizeFolder.Dispose();
    }

    /// <summary>New bytes for every first save: a byte changes, so nothing in the root has the same content.</summary>
    [IterationSetup(Target = nameof(Store_first_save_same_size_in_root))]
    public void ChangeFreshValue() => _fresh[0]++;

    /// <summary>New bytes, and a root that holds no value of their size (so nothing is hashed before the write).</summary>
    [IterationSetup(Target = nameof(Store_first_save))]
    public void ChangeFreshValueAndEmptyRoot()
    {
        _fresh[0]++;
        DeleteAll(_store, "existing");
    }

    [IterationCleanup(Targets = [nameof(Store_save_existing_value), nameof(Store_first_save), nameof(Store_first_save_same_size_in_root)])]
    public void RemoveSavedVersions()
    {
        DeleteAll(_store, "again");
        DeleteAll(_sameSizeStore, "again");
    }

    /// <summary>Deletes every version of <paramref name="name"/> permanently; a name with none (or none left) is fine.</summary>
    private static void DeleteAll(ArtifactStore store, string name)
    {
        IReadOnlyList<ArtifactRecord> versions;
        try
        {
            versions = store.Versions(name);
        }
        catch (ArtifactNotFoundException)
        {
            return;
        }

        foreach (var version in versions)
        {
            store.Delete(name, version.Version, permanent: true);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("existing 256 MiB")]
    public byte[] Sha256_once() => SHA256.HashData(_value);

    [Benchmark, BenchmarkCategory("existing 256 MiB")]
    public ArtifactRecord Store_save_existing_value() => _store.Save("again", _value);

    [Benchmark(Baseline = true), BenchmarkCategory("first save 256 MiB")]
    public byte[] Raw_sha256_write_and_fsync()
    {
        using (var file = new FileStream(Path.Combine(_folder.Path, "raw-save.bin"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            file.Write(_fresh);
            file.Flush(flushToDisk: true);
        }

        return SHA256.HashData(_fresh);
    }

    [Benchmark, BenchmarkCategory("first save 256 MiB")]
    public ArtifactRecord Store_first_save() => _store.Save("again", _fresh);

    [Benchmark, BenchmarkCategory("first save 256 MiB")]
    public ArtifactRecord Store_first_save_same_size_in_root() => _sameSizeStore.Save("again", _fresh);
}
