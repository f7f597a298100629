using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MemoryPack;

namespace Lineage.Benchmarks;

/// <summary>The same shape twice: once with Lineage's generated formatter, once with MemoryPack's own.</summary>
[Artifact]
public sealed record ObservationByLineage(int Id, string Station, double[] Readings, List<string> Tags, DateTime TakenAt, Dictionary<string, double> Metrics);

[MemoryPackable]
public sealed partial record ObservationByMemoryPack(int Id, string Station, double[] Readings, List<string> Tags, DateTime TakenAt, Dictionary<string, double> Metrics);

/// <summary>
/// Serialize + deserialize of one value through the formatter Lineage generates for an <c>[Artifact]</c> type,
/// beside MemoryPack's own <c>[MemoryPackable]</c> formatter for an identical type (the baseline).
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[MemoryDiagnoser]
public class FormatterBenchmarks
{
    private ObservationByLineage _lineage = null!;
    private ObservationByMemoryPack _memoryPack = null!;

    [Params(16, 4096)]
    public int Readings { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var readings = Enumerable.Range(0, Readings).Select(_ => random.NextDouble()).ToArray();
        var tags = Enumerable.Range(0, 8).Select(i => $"tag-{i}").ToList();
        var metrics = Enumerable.Range(0, 8).ToDictionary(i => $"metric-{i}", i => i * 1.5);
        var at = new DateTime(2026, 11, 23, 0, 0, 0, DateTimeKind.Utc);
        _lineage = new ObservationByLineage(42, "Uppsala", readings, tags, at, metrics);
        _memoryPack = new ObservationByMemoryPack(42, "Uppsala", readings, tags, at, metrics);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("round trip")]
    public ObservationByMemoryPack? MemoryPack_own_formatter() =>
        MemoryPackSerializer.Deserialize<ObservationByMemoryPack>(MemoryPackSerializer.Serialize(_memoryPack));

    [Benchmark, BenchmarkCategory("round trip")]
    public ObservationByLineage? Lineage_generated_formatter() =>
        MemoryPackSerializer.Deserialize<ObservationByLineage>(MemoryPackSerializer.Serialize(_lineage));
}
