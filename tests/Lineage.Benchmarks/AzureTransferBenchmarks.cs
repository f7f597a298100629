using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Lineage.Testing;
using Lineage.Values;
using Lineage.Values.Azure;

namespace Lineage.Benchmarks;

/// <summary>
/// A 256 MiB value to and from Azure Blob Storage through <see cref="AzureBlobValueStore"/>, beside the Azure SDK's own
/// <see cref="BlobClient"/> upload and download on the same emulator (Azurite on loopback, blobs in memory). The baseline
/// uses the store's block size (8 MiB), parallelism (4) and transactional MD5; a second SDK row keeps the SDK's defaults.
/// The "+ SHA-256" rows hash while writing and verify while reading, as <see cref="ArtifactStore"/> does around a value store.
/// </summary>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class AzureTransferBenchmarks
{
    private const int Size = 256 * 1024 * 1024;
    private const int BlockSize = 8 * 1024 * 1024;
    private const int Concurrency = 4;
    private AzuriteEmulator _azurite = null!;
    private BlobContainerClient _container = null!;
    private AzureBlobValueStore _store = null!;
    private byte[] _value = null!;
    private byte[] _target = null!;
    private ValueDigest _digest;

    [GlobalSetup]
    public void Setup()
    {
        _azurite = AzuriteEmulator.StartAsync().GetAwaiter().GetResult();
        var container = "lineage-bench-" + Guid.NewGuid().ToString("N")[..12];
        _container = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(container);
        _container.Create();
        _store = new AzureBlobValueStore($"az://{container}/store", new Dictionary<string, string> { ["connection_string"] = _azurite.ConnectionString })
        {
            BlockSize = BlockSize,
            MaxConcurrentBlocks = Concurrency,
        };

        _value = new byte[Size];
        _target = new byte[Size];
        new Random(42).NextBytes(_value);
        _container.GetBlobClient("raw/load.bin").Upload(new BinaryData(_value));
        _store.WriteAsync("load.bin", (stream, ct) => stream.WriteAsync(_value, ct).AsTask(), CancellationToken.None).GetAwaiter().GetResult();
        _digest = new ValueDigest(Size, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(_value)).ToLowerInvariant());
    }

    [GlobalCleanup]
    public void Cleanup() => _azurite.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("upload 256 MiB")]
    public Task Sdk_upload() => _container.GetBlobClient("raw/save.bin").UploadAsync(new MemoryStream(_value, writable: false), new BlobUploadOptions
    {
        TransferOptions = new StorageTransferOptions { InitialTransferSize = BlockSize, MaximumTransferSize = BlockSize, MaximumConcurrency = Concurrency },
        TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 },
    });

    [Benchmark, BenchmarkCategory("upload 256 MiB")]
    public Task Sdk_upload_defaults() => _container.GetBlobClient("raw/save-defaults.bin").UploadAsync(new MemoryStream(_value, writable: false), overwrite: true);

    [Benchmark, BenchmarkCategory("upload 256 MiB")]
    public Task Store_write() => _store.WriteAsync("save.bin", (stream, ct) => stream.WriteAsync(_value, ct).AsTask(), CancellationToken.None);

    [Benchmark, BenchmarkCategory("upload 256 MiB")]
    public async Task Store_write_hashing()
    {
        await using var hasher = new PipelinedHasher();
        await _store.WriteAsync("save-hashed.bin", (stream, ct) => new HashingWriteStream(stream, hasher).WriteAsync(_value, ct).AsTask(), CancellationToken.None);
        _ = await hasher.FinishAsync(CancellationToken.None);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("download 256 MiB")]
    public async Task<byte[]> Sdk_download()
    {
        using var target = new MemoryStream(_target);
        await _container.GetBlobClient("raw/load.bin").DownloadToAsync(target);
        return _target;
    }

    [Benchmark, BenchmarkCategory("download 256 MiB")]
    public async Task<byte[]> Store_read()
    {
        var (stream, _) = await _store.OpenReadAsync("load.bin", CancellationToken.None);
        await using (stream)
        {
            await stream.ReadExactlyAsync(_target);
        }

        return _target;
    }

    [Benchmark, BenchmarkCategory("download 256 MiB")]
    public async Task<byte[]> Store_read_verifying()
    {
        var (stream, _) = await _store.OpenReadAsync("load.bin", CancellationToken.None);
        await using var verifying = new VerifyingReadStream(stream, _digest, "The benchmark value");
        await verifying.ReadExactlyAsync(_target);
        return _target;
    }
}
