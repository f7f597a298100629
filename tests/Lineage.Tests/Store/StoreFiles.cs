using System.Security.Cryptography;
using Amazon.S3.Model;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

/// <summary>
/// Looks at (and tampers with) what a store left in its root, bypassing the store itself, the same way on
/// every backend; and the theory data the Store tests cross with <see cref="Backend.All"/>.
/// </summary>
internal static class StoreFiles
{
    /// <summary>The six backend combinations, in <see cref="Backend.All"/>'s order.</summary>
    public static IReadOnlyList<Backend> Backends { get; } = [.. Backend.All.Select(row => row.Data)];

    /// <summary>Theory data: every backend combination crossed with every one of <paramref name="values"/>.</summary>
    public static TheoryData<Backend, T> Cross<T>(params T[] values)
    {
        var data = new TheoryData<Backend, T>();
        foreach (var backend in Backends)
        {
            foreach (var value in values)
            {
                data.Add(backend, value);
            }
        }

        return data;
    }

    /// <summary>Theory data: the backend combinations whose metadata database is <paramref name="metadata"/>.</summary>
    public static TheoryData<Backend> With(MetadataBackend metadata) => [.. Backends.Where(b => b.Metadata == metadata)];

    /// <summary>Theory data: the backend combinations with <paramref name="metadata"/>, crossed with <paramref name="values"/>.</summary>
    public static TheoryData<Backend, T> Cross<T>(MetadataBackend metadata, params T[] values)
    {
        var data = new TheoryData<Backend, T>();
        foreach (var backend in Backends.Where(b => b.Metadata == metadata))
        {
            foreach (var value in values)
            {
                data.Add(backend, value);
            }
        }

        return data;
    }

    /// <summary>The stored bytes of <paramref name="record"/>'s value; fails the test when there are none.</summary>
    public static async Task<byte[]> StoredValueAsync(this BackendEnvironment environment, ArtifactRecord record)
    {
        var stored = await environment.ReadValueAsync(record);
        Assert.True(stored is not null, $"no value is stored at {record.StorageRoot}/{record.Key}");
        return stored;
    }

    /// <summary>SHA-256 of some bytes, lowercase hex, as the store records it.</summary>
    public static string Sha256Hex(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>Inverts every bit of one byte of a stored value, keeping its length.</summary>
    public static async Task FlipByteAsync(this BackendEnvironment environment, ArtifactRecord record, long offset = 0)
    {
        var bytes = await environment.StoredValueAsync(record);
        bytes[offset] = (byte)~bytes[offset];
        await environment.WriteValueAsync(record, bytes);
    }

    /// <summary>Rows in the <c>artifacts</c> table of another metadata database of this environment, whatever their branch.</summary>
    public static async Task<long> ArtifactRowCountAsync(this BackendEnvironment environment, string databaseUrl) =>
        Convert.ToInt64(await environment.SqlAsync("SELECT COUNT(*) FROM artifacts", databaseUrl), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Multipart uploads begun and neither completed nor aborted under <c>&lt;root&gt;/.lineage/</c>: S3's
    /// counterpart of a leftover partial file (on Azure, blobs holding uncommitted blocks). Always empty for a local root.
    /// </summary>
    public static async Task<IReadOnlyList<string>> PendingUploadsAsync(this BackendEnvironment environment, S3Server s3, string? root = null)
    {
        if (environment.Backend.Values == ValueBackend.Local)
        {
            return [];
        }

        if (environment.Backend.Values == ValueBackend.Azure)
        {
            var (containerName, lineagePrefix) = BackendEnvironment.AzureLocation(root ?? environment.Root, ".lineage/");
            var container = (await BackendEnvironment.Azurite.ClientAsync()).GetBlobContainerClient(containerName);
            var pending = new List<string>();
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = lineagePrefix, States = BlobStates.Uncommitted }, TestContext.Current.CancellationToken))
            {
                var blocks = await container.GetBlockBlobClient(blob.Name).GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: TestContext.Current.CancellationToken);
                if (blocks.Value.UncommittedBlocks.Any())
                {
                    pending.Add(blob.Name);
                }
            }

            return pending;
        }

        var (bucket, prefix) = S3Location(root ?? environment.Root, ".lineage/");
        using var client = await s3.ClientAsync();
        var uploads = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix }, TestContext.Current.CancellationToken);
        return [.. (uploads.MultipartUploads ?? []).Select(u => u.Key)];
    }

    /// <summary>
    /// How many parts S3 assembled a value's object from (a multipart ETag ends in "-N"; a single PUT counts 1), or how many
    /// blocks Azure committed for its blob (a single Put Blob counts 1); null on a local root.
    /// </summary>
    public static async Task<int?> StoredPartCountAsync(this BackendEnvironment environment, S3Server s3, ArtifactRecord record)
    {
        if (environment.Backend.Values == ValueBackend.Local)
        {
            return null;
        }

        if (environment.Backend.Values == ValueBackend.Azure)
        {
            var (containerName, blobName) = BackendEnvironment.AzureLocation(record.StorageRoot, record.Key);
            var blob = (await BackendEnvironment.Azurite.ClientAsync()).GetBlobContainerClient(containerName).GetBlockBlobClient(blobName);
            var committed = (await blob.GetBlockListAsync(BlockListTypes.Committed, cancellationToken: TestContext.Current.CancellationToken)).Value.CommittedBlocks.Count();
            return Math.Max(committed, 1);
        }

        var (bucket, key) = S3Location(record.StorageRoot, record.Key);
        using var client = await s3.ClientAsync();
        var metadata = await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, TestContext.Current.CancellationToken);
        var etag = metadata.ETag.Trim('"');
        var dash = etag.LastIndexOf('-');
        return dash < 0 ? 1 : int.Parse(etag[(dash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static (string Bucket, string Key) S3Location(string root, string key)
    {
        var rest = root["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (rest, key) : (rest[..slash], rest[(slash + 1)..].TrimEnd('/') + "/" + key);
    }
}
