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
/// A 256 MiB value to and from Azure Blob Storage through <see cref="ArtifactStore"/> on an <c>az://</c> root (and through
/// <see cref="AzureBlobValueStore"/> alone), beside the Azure SDK's own <see cref="BlobClient"/> upload and download on the same
/// emulator (Azurite on loopback, blobs on disk in a temp folder). The baseline uses the store's block size (8 MiB),
/// parallelism (4) and transactional MD5 (with the SDK's defaults an upload took 2.8× as long, in one noisy run).
/// </summary>
/// <remarks>
/// Each store save is a stream of a length no value in its root has yet (256 MiB less a few bytes), so every save uploads:
/// identical bytes would be deduplicated, and a value of a size already there would be hashed before it is written.
/// Saves go to one root and the loaded version lives in another, for the same reason.
/// </remarks>
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class AzureTransferBenchmarks
{
    private const int Size = 256 * 1024 * 1024;
    private const int BlockSize = 8 * 1024 * 1024;
    private const int Concurrency = 4;
    private AzuriteEmulator _azurite = null!;
    private BenchmarkFolder _folder = null!;
    private BlobContainerClient _container = null!;
    private AzureBlobValueStore _values = null!;
    private ArtifactStore _saving = null!;
    private ArtifactStore _loading = null!;
    private byte[] _value = null!;
    private byte[] _target = null!;
    private ValueDigest _digest;
    private int _saves;

    [GlobalSetup]
    public void Setup()
    {
        _azurite = AzuriteEmulator.StartAsync(onDisk: true).GetAwaiter().GetResult();
        _folder = new BenchmarkFolder("azure");
        var container = "lineage-bench-" + Guid.NewGuid().ToString("N")[..12];
        _container = new BlobServiceClient(_azurite.ConnectionString).GetBlobContainerClient(container);
        _container.Create();
        var storageOptions = new Dictionary<string, string> { ["connection_string"] = _azurite.ConnectionString };
        _values = new AzureBlobValueStore($"az://{container}/values", storageOptions) { BlockSize = BlockSize, MaxConcurrentBlocks = Concurrency };
        _saving = ArtifactStore.Open(StoreOptions($"az://{container}/save", "save.sqlite", storageOptions));
        _loading = ArtifactStore.Open(StoreOptions($"az://{container}/load", "load.sqlite", storageOptions));

        _value = new byte[Size];
        _target = new byte[Size];
        new Random(42).NextBytes(_value);
        _container.GetBlobClient("raw/load.bin").Upload(new BinaryData(_value));
        _values.WriteAsync("load.bin", (stream, ct) => stream.WriteAsync(_value, ct).AsTask(), CancellationToken.None).GetAwaiter().GetResult();
        _loading.Save("azure-load", _value);
        _digest = new ValueDigest(Size, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(_value)).ToLowerInvariant());
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _saving.Dispose();
        _loading.Dispose();
        _azurite.Dispose();
        _folder.Dispose();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("upload 256 MiB")]
    public Task Sdk_upload() => _container.GetBlobClient("raw/save.bin").UploadAsync(new MemoryStream(_value, writable: false), new BlobUploadOptions
    {
        TransferOptions = new StorageTransferOptions { InitialTransferSize = BlockSize, MaximumTransferSize = BlockSize, MaximumConcurrency = Concurrency },
        TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 },
    });

    /// <summary>A whole save: access check, SHA-256 while uploading, the block list committed, the row inserted.</summary>
    [Benchmark, BenchmarkCategory("upload 256 MiB")]
    public Task<ArtifactRecord> Store_save()
    {
        var shorter = Interlocked.Increment(ref _saves);
        return _saving.SaveAsync("azure-save", new MemoryStream(_value, 0, Size - shorter, writable: false));
    }

    [Benchmark, BenchmarkCategory("upload 256 MiB")]
    public Task Value_store_write() => _values.WriteAsync("save.bin", (stream, ct) => stream.WriteAsync(_value, ct).AsTask(), CancellationToken.None);

    [Benchmark(Baseline = true), BenchmarkCategory("download 256 MiB")]
    public async Task<byte[]> Sdk_download()
    {
        using var target = new MemoryStream(_target);
        await _container.GetBlobClient("raw/load.bin").DownloadToAsync(target);
        return _target;
    }

    /// <summary>A whole load as a new array: access check, one streamed GET, SHA-256 verified.</summary>
    [Benchmark, BenchmarkCategory("download 256 MiB")]
    public Task<byte[]> Store_load() => _loading.LoadAsync<byte[]>("azure-load", 1);

    /// <summary>A whole load as a stream read into the same buffer as the baseline (verified when the last byte is read).</summary>
    [Benchmark, BenchmarkCategory("download 256 MiB")]
    public async Task<byte[]> Store_load_stream()
    {
        var stream = await _loading.LoadAsync<Stream>("azure-load", 1);
        await using (stream)
        {
            await stream.ReadExactlyAsync(_target);
        }

        return _target;
    }

    /// <summary>What a user of the SDK who wants the blob as a new array calls: one GET into a buffer of the SDK's own.</summary>
    [Benchmark(Baseline = true), BenchmarkCategory("download 256 MiB as a new array")]
    public async Task<BinaryData> Sdk_download_content() => (await _container.GetBlobClient("raw/load.bin").DownloadContentAsync()).Value.Content;

    /// <summary><see cref="Store_load"/> again, beside the SDK's own way to a new array.</summary>
    [Benchmark, BenchmarkCategory("download 256 MiB as a new array")]
    public Task<byte[]> Store_load_new_array() => _loading.LoadAsync<byte[]>("azure-load", 1);

    [Benchmark, BenchmarkCategory("download 256 MiB")]
    public async Task<byte[]> Value_store_read()
    {
        var (stream, _) = await _values.OpenReadAsync("load.bin", CancellationToken.None);
        await using var verifying = new VerifyingReadStream(stream, _digest, "The benchmark value");
        await verifying.ReadExactlyAsync(_target);
        return _target;
    }

    private LineageOptions StoreOptions(string root, string database, Dictionary<string, string> storageOptions)
    {
        var options = _folder.Options();
        options.DatabaseUrl = "sqlite:///" + Path.Combine(_folder.Path, database);
        options.ArtifactStorageDir = root;
        options.StorageOptions = new Dictionary<string, string>(storageOptions);
        return options;
    }
}
