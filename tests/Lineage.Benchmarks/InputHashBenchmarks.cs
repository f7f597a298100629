using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Lineage.Benchmarks;

/// <summary>
/// Hashing a 256 MiB <c>GetOrCompute</c> input (a <c>float[]</c> of 64 Mi elements, and a <c>byte[]</c>) with
/// <see cref="InputHasher"/>, beside SHA-256 of the same bytes once (<see cref="SHA256.HashData(ReadOnlySpan{byte})"/>).
/// The hasher covers the bytes a save would store: for the <c>float[]</c>, MemoryPack's 4-byte length and the array's memory.
/// The last row is a whole <c>GetOrCompute</c> whose result is already stored: hash, lookup, load of the (small) result.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 8, invocationCount: 1)]
public class InputHashBenchmarks
{
    private const int Size = 256 * 1024 * 1024;
    private static readonly ArtifactCode Code = new("input-hash-benchmark", "static float Sum(float[] x) => x.Sum();");
    private float[] _floats = null!;
    private byte[] _bytes = null!;
    private BenchmarkFolder _folder = null!;
    private ArtifactStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _bytes = new byte[Size];
        random.NextBytes(_bytes);
        _floats = new float[Size / sizeof(float)];
        for (var i = 0; i < _floats.Length; i++)
        {
            _floats[i] = random.NextSingle();
        }

        _folder = new BenchmarkFolder("input-hash");
        _store = _folder.OpenStore();
        _store.GetOrCompute("sum", Code, new InputHasher().Add(_floats), () => 1f);

        // The hasher must hash the array in place: what it allocates for a 256 MiB float[] is a few hundred bytes, not a copy.
        new InputHasher().Add(new float[16]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var digest = new InputHasher().Add(_floats).Inputs[0];
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Console.WriteLine($"// InputHasher.Add(float[{_floats.Length}]): {digest.Size} bytes hashed, {allocated} bytes allocated");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("float[] 64 Mi (256 MiB)")]
    public byte[] Sha256_of_the_floats_once() => SHA256.HashData(MemoryMarshal.AsBytes(_floats.AsSpan()));

    [Benchmark, BenchmarkCategory("float[] 64 Mi (256 MiB)")]
    public InputDigest InputHasher_add_floats() => new InputHasher().Add(_floats).Inputs[0];

    [Benchmark, BenchmarkCategory("float[] 64 Mi (256 MiB)")]
    public float GetOrCompute_found() => _store.GetOrCompute<float>("sum", Code, new InputHasher().Add(_floats), () => throw new InvalidOperationException("The result is stored."));

    [Benchmark(Baseline = true), BenchmarkCategory("byte[] 256 MiB")]
    public byte[] Sha256_of_the_bytes_once() => SHA256.HashData(_bytes);

    [Benchmark, BenchmarkCategory("byte[] 256 MiB")]
    public InputDigest InputHasher_add_bytes() => new InputHasher().Add(_bytes).Inputs[0];
}
