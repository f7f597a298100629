using Amazon.S3;
using Amazon.S3.Model;
using Azure.Storage.Blobs.Specialized;
using Lineage.Tests.Servers;
using Lineage.Tests.Store;
using Lineage.Values.Azure;
using Lineage.Values.S3;

namespace Lineage.Tests.Reliability;

/// <summary>
/// A process killed mid-save on S3 leaves a multipart upload begun and never completed: no object shows it, yet S3
/// keeps (and bills) its parts forever. On Azure it leaves a blob with only uncommitted blocks (kept for a week). gc finds
/// those under the root's <c>.lineage/</c> once they are older than its threshold, and aborts them with --delete.
/// </summary>
public sealed class AbandonedUploadTests(PostgresServer postgres, S3Server s3)
{
    private const int PartBytes = 5 << 20;

    public static TheoryData<Backend> CloudBackends => [.. StoreFiles.Backends.Where(b => b.Values != ValueBackend.Local)];

    [Theory]
    [MemberData(nameof(CloudBackends))]
    public async Task Gc_reports_an_abandoned_upload_and_aborts_it_with_delete_once_it_is_older_than_the_threshold(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        var saved = await store.SaveAsync("kept", new[] { 1, 2, 3 }, ct);
        var abandonedKey = ".lineage/0killedMidSave00.bin";
        var abandoned = await BeginUploadAsync(environment, environment.Root, abandonedKey, ct);
        // Another root's upload in the same bucket (or container) is not this root's to abort.
        var otherRoot = await environment.NewRootAsync();
        await BeginUploadAsync(environment, otherRoot, ".lineage/0someoneElses000.bin", ct);

        var young = await store.FindUnreferencedValuesAsync(TimeSpan.FromHours(1), delete: true, ct);

        Assert.Empty(young);
        Assert.Equal([abandonedKey], await PendingKeysAsync(environment));

        var listed = await store.FindUnreferencedValuesAsync(TimeSpan.Zero, cancellationToken: ct);

        var upload = Assert.Single(listed);
        Assert.Equal((environment.Root, abandonedKey, UnreferencedValueKind.Upload, abandoned, (long)PartBytes),
            (upload.Root, upload.Key, upload.Kind, upload.UploadId, upload.Size));
        Assert.Equal([abandonedKey], await PendingKeysAsync(environment));

        var deleted = await store.FindUnreferencedValuesAsync(TimeSpan.Zero, delete: true, ct);

        Assert.Equal(listed, deleted);
        Assert.Empty(await PendingKeysAsync(environment));
        Assert.Equal([".lineage/0someoneElses000.bin"], await PendingKeysAsync(environment, otherRoot));
        Assert.Equal(new[] { 1, 2, 3 }, await store.LoadAsync<int[]>("kept", cancellationToken: ct));
        Assert.Equal(new[] { Path.GetFileName(saved.Key), "storage.json" }.Order(StringComparer.Ordinal), await environment.LineageEntriesAsync());
    }

    [Fact]
    public async Task Aborting_an_upload_that_completed_after_it_was_listed_is_no_error_and_keeps_the_object()
    {
        // A slow save finishing between gc's listing and its abort.
        var ct = TestContext.Current.CancellationToken;
        var root = $"s3://{await s3.CreateBucketAsync()}/team";
        using var values = new S3ValueStore(root, await s3.StorageOptionsAsync());
        using var client = await s3.ClientAsync();
        var uploadId = await BeginUploadAsync(client, root, ".lineage/0finishedLate0000.bin", ct);
        var pending = Assert.Single(await values.ListPendingUploadsAsync(".lineage/", ct).ToListAsync(ct));
        var (bucket, objectKey) = S3Location(root, pending.Key);
        var parts = await client.ListPartsAsync(new ListPartsRequest { BucketName = bucket, Key = objectKey, UploadId = uploadId }, ct);
        await client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = objectKey,
            UploadId = uploadId,
            PartETags = [.. parts.Parts.Select(p => new PartETag(p.PartNumber ?? 0, p.ETag))],
        }, ct);

        await values.AbortUploadAsync(pending.Key, pending.UploadId, ct);

        Assert.Equal((".lineage/0finishedLate0000.bin", uploadId, (long)PartBytes), (pending.Key, pending.UploadId, pending.Size));
        Assert.Equal(PartBytes, (await client.GetObjectMetadataAsync(bucket, objectKey, ct)).ContentLength);
        Assert.Empty(await values.ListPendingUploadsAsync(".lineage/", ct).ToListAsync(ct));
    }

    /// <summary>
    /// What a save killed after its first part leaves: on S3 an upload under the root with one part, never completed or aborted;
    /// on Azure a blob with one staged block and no block list. Returns the upload id gc reports.
    /// </summary>
    private async Task<string> BeginUploadAsync(BackendEnvironment environment, string root, string key, CancellationToken ct)
    {
        if (environment.Backend.Values == ValueBackend.Azure)
        {
            var (container, blobName) = BackendEnvironment.AzureLocation(root, key);
            var blob = (await BackendEnvironment.Azurite.ClientAsync()).GetBlobContainerClient(container).GetBlockBlobClient(blobName);
            using var block = new MemoryStream(new byte[PartBytes]);
            await blob.StageBlockAsync(Convert.ToBase64String(new byte[16]), block, cancellationToken: ct);
            return AzureBlobValueStore.UncommittedBlocks;
        }

        using var client = await s3.ClientAsync();
        return await BeginUploadAsync(client, root, key, ct);
    }

    /// <summary>What a save killed after its first part leaves on S3: an upload under the root with one part, never completed or aborted.</summary>
    private static async Task<string> BeginUploadAsync(AmazonS3Client client, string root, string key, CancellationToken ct)
    {
        var (bucket, objectKey) = S3Location(root, key);
        var upload = await client.InitiateMultipartUploadAsync(bucket, objectKey, ct);
        using var part = new MemoryStream(new byte[PartBytes]);
        await client.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = objectKey, UploadId = upload.UploadId, PartNumber = 1, InputStream = part }, ct);
        return upload.UploadId;
    }

    /// <summary>The keys, inside <paramref name="root"/>, of the uploads pending under its <c>.lineage/</c>.</summary>
    private async Task<IReadOnlyList<string>> PendingKeysAsync(BackendEnvironment environment, string? root = null)
    {
        var prefix = environment.Backend.Values == ValueBackend.Azure
            ? BackendEnvironment.AzureLocation(root ?? environment.Root, string.Empty).BlobName
            : S3Location(root ?? environment.Root, string.Empty).Key;
        return [.. (await environment.PendingUploadsAsync(s3, root)).Select(key => key[prefix.Length..])];
    }

    private static (string Bucket, string Key) S3Location(string root, string key)
    {
        var rest = root["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return (rest[..slash], rest[(slash + 1)..] + "/" + key);
    }
}
