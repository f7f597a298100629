using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Transfer;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Lineage.Testing;

namespace Lineage.Benchmarks;

/// <summary>
/// A 256 MiB value to and from S3 through the store, beside the raw AWS SDK <see cref="TransferUtility"/>
/// on the same emulator (moto on loopback), with the same part size (16 MiB) and parallelism (4).
/// The emulator is slow in absolute terms; the ratio is what this measures.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class S3TransferBenchmarks
{
    private const int Size = 256 * 1024 * 1024;
    private const int PartSize = 16 * 1024 * 1024;
    private MotoEmulator _moto = null!;
    private BenchmarkFolder _folder = null!;
    private AmazonS3Client _client = null!;
    private TransferUtility _transfer = null!;
    private ArtifactStore _store = null!;
    private byte[] _value = null!;
    private string _bucket = null!;
    private int _loadVersion;

    [GlobalSetup]
    public void Setup()
    {
        _moto = MotoEmulator.StartAsync().GetAwaiter().GetResult();
        _folder = new BenchmarkFolder("s3");
        _client = new AmazonS3Client(new BasicAWSCredentials("bench", "bench-secret"),
            new AmazonS3Config { ServiceURL = _moto.Endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        _transfer = new TransferUtility(_client, new TransferUtilityConfig { ConcurrentServiceRequests = 4 });
        _bucket = "lineage-bench-" + Guid.NewGuid().ToString("N")[..12];
        _client.PutBucketAsync(_bucket).GetAwaiter().GetResult();

        var options = _folder.Options();
        options.ArtifactStorageDir = $"s3://{_bucket}/store";
#pragma warning disable LIN0004 // Throwaway credentials for the emulator on loopback, not secrets.
        options.StorageOptions = new Dictionary<string, string>
        {
            ["endpoint_url"] = _moto.Endpoint, ["force_path_style"] = "true", ["region"] = "us-east-1", ["key"] = "bench", ["secret"] = "bench-secret",
        };
#pragma warning restore LIN0004
        _store = ArtifactStore.Open(options);

        _value = new byte[Size];
        new Random(42).NextBytes(_value);
        UploadRawAsync("raw/load.bin").GetAwaiter().GetResult();
        _loadVersion = _store.Save("s3-load", _value).Version;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        _transfer.Dispose();
        _client.Dispose();
        _moto.Dispose();
        _folder.Dispose();
    }

    [IterationCleanup(Target = nameof(Store_save))]
    public void RemoveSavedVersions()
    {
        foreach (var version in _store.Versions("s3-save"))
        {
            _store.Delete("s3-save", version.Version, permanent: true);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("upload 256 MiB")]
    public Task TransferUtility_upload() => UploadRawAsync("raw/save.bin");

    [Benchmark, BenchmarkCategory("upload 256 MiB")]
    public Task<ArtifactRecord> Store_save() => _store.SaveAsync("s3-save", _value);

    [Benchmark(Baseline = true), BenchmarkCategory("download 256 MiB")]
    public async Task<byte[]> TransferUtility_download()
    {
        using var stream = await _transfer.OpenStreamAsync(_bucket, "raw/load.bin");
        var bytes = new byte[Size];
        await stream.ReadExactlyAsync(bytes);
        return bytes;
    }

    [Benchmark, BenchmarkCategory("download 256 MiB")]
    public Task<byte[]> Store_load() => _store.LoadAsync<byte[]>("s3-load", _loadVersion);

    private async Task UploadRawAsync(string key)
    {
        using var body = new MemoryStream(_value, writable: false);
        await _transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = _bucket, Key = key, InputStream = body, PartSize = PartSize });
    }
}
