using System.Runtime.CompilerServices;
using global::Azure;
using global::Azure.Storage.Blobs;
using global::Azure.Storage.Blobs.Models;
using global::Azure.Storage.Blobs.Specialized;

namespace Lineage.Values.Azure;

/// <summary>
/// Values as block blobs under <c>az://container/prefix</c>. Writes stage blocks in parallel and commit the block list last
/// (a single Put Blob for small values), so a blob appears whole or not at all; reads stream down.
/// </summary>
/// <remarks>
/// A write that dies leaves uncommitted blocks, which nothing lists as a blob: <see cref="ListPendingUploadsAsync"/> reports
/// each blob that has only uncommitted blocks, and <see cref="AbortUploadAsync"/> discards them. (Azure itself drops
/// uncommitted blocks a week after their last write.)
/// </remarks>
internal sealed class AzureBlobValueStore : IValueStore
{
    /// <summary>What <see cref="PendingUpload.UploadId"/> says: a blob has one set of uncommitted blocks, not numbered uploads.</summary>
    public const string UncommittedBlocks = "uncommitted-blocks";

    private readonly AzureRoot _root;
    private readonly BlobContainerClient _container;
    private readonly string _endpoint;

    public AzureBlobValueStore(string root, IReadOnlyDictionary<string, string> storageOptions)
    {
        _root = AzureRoot.Parse(root);
        Root = _root.ToString();
        var (service, endpoint) = AzureClient.Create(storageOptions);
        _container = service.GetBlobContainerClient(_root.Container);
        _endpoint = endpoint;
    }

    public string Root { get; }

    /// <summary>Size of each block; values up to this size go up in one Put Blob.</summary>
    public int BlockSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>Blocks staged at once.</summary>
    public int MaxConcurrentBlocks { get; init; } = 4;

    public async Task WriteAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var blob = _container.GetBlockBlobClient(BlobName(key));
        var upload = new AzureBlockUploadStream(blob, BlockSize, MaxConcurrentBlocks, cancellationToken);
        await using (upload.ConfigureAwait(false))
        {
            try
            {
                await write(upload, cancellationToken).ConfigureAwait(false);
                await upload.CompleteAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                await upload.AbandonAsync().ConfigureAwait(false);
                if (upload.StagedBlocks)
                {
                    await DiscardUncommittedBlocksAsync(blob, bestEffort: true, CancellationToken.None).ConfigureAwait(false);
                }

                throw AzureErrors.IsAzureFailure(e) ? AzureErrors.Translate(e, _root, "write a value", _endpoint) : e;
            }
        }
    }

    public async Task<(Stream Stream, long Length)> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _container.GetBlobClient(BlobName(key)).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return (response.Value.Content, response.Value.Details.ContentLength);
        }
        catch (RequestFailedException e) when (e.ErrorCode == "BlobNotFound")
        {
            throw new FileNotFoundException($"No blob at {Root}/{key}.", key, e);
        }
        catch (Exception e) when (AzureErrors.IsAzureFailure(e))
        {
            throw AzureErrors.Translate(e, _root, "read a value", _endpoint);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlobClient(BlobName(key)).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AzureErrors.IsAzureFailure(e))
        {
            throw AzureErrors.Translate(e, _root, "delete a value", _endpoint);
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var blob in BlobsAsync(prefix, BlobStates.None, "list values", cancellationToken).ConfigureAwait(false))
        {
            yield return new StoredObject(blob.Name[_root.Prefix.Length..], blob.Properties.ContentLength ?? 0, blob.Properties.LastModified ?? DateTimeOffset.MinValue);
        }
    }

    public async IAsyncEnumerable<PendingUpload> ListPendingUploadsAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A listing that includes uncommitted blobs, less the one that does not: what is left has only uncommitted blocks.
        var committed = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var blob in BlobsAsync(prefix, BlobStates.None, "list unfinished uploads", cancellationToken).ConfigureAwait(false))
        {
            committed.Add(blob.Name);
        }

        await foreach (var blob in BlobsAsync(prefix, BlobStates.Uncommitted, "list unfinished uploads", cancellationToken).ConfigureAwait(false))
        {
            if (committed.Contains(blob.Name))
            {
                continue;
            }

            long size;
            try
            {
                var blocks = await _container.GetBlockBlobClient(blob.Name).GetBlockListAsync(BlockListTypes.Uncommitted, cancellationToken: cancellationToken).ConfigureAwait(false);
                size = blocks.Value.UncommittedBlocks.Sum(b => b.SizeLong);
            }
            catch (RequestFailedException e) when (e.ErrorCode == "BlobNotFound")
            {
                // Committed or discarded since it was listed.
                continue;
            }
            catch (Exception e) when (AzureErrors.IsAzureFailure(e))
            {
                throw AzureErrors.Translate(e, _root, "list the blocks of an unfinished upload", _endpoint);
            }

            // The listing's last-modified of an uncommitted blob moves with each staged block, so a slow save stays young.
            var lastWritten = blob.Properties.LastModified ?? blob.Properties.CreatedOn ?? DateTimeOffset.UtcNow;
            yield return new PendingUpload(blob.Name[_root.Prefix.Length..], UncommittedBlocks, size, lastWritten);
        }
    }

    public async Task AbortUploadAsync(string key, string uploadId, CancellationToken cancellationToken) =>
        await DiscardUncommittedBlocksAsync(_container.GetBlockBlobClient(BlobName(key)), bestEffort: false, cancellationToken).ConfigureAwait(false);

    public async Task<byte[]?> ReadSmallAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _container.GetBlobClient(BlobName(key)).DownloadContentAsync(cancellationToken).ConfigureAwait(false);
            return response.Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.ErrorCode == "BlobNotFound")
        {
            return null;
        }
        catch (Exception e) when (AzureErrors.IsAzureFailure(e))
        {
            throw AzureErrors.Translate(e, _root, "read a control file", _endpoint);
        }
    }

    public async Task<bool> TryCreateSmallAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            // If-None-Match: * makes the create conditional in the service, so two racing claims cannot both win.
            using var body = new MemoryStream(content.ToArray(), writable: false);
            await _container.GetBlockBlobClient(BlobName(key)).UploadAsync(body, new BlobUploadOptions
            {
                Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All },
            }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 && e.ErrorCode is "BlobAlreadyExists" or "ConditionNotMet")
        {
            return false;
        }
        catch (Exception e) when (AzureErrors.IsAzureFailure(e))
        {
            throw AzureErrors.Translate(e, _root, "write the storage marker", _endpoint);
        }
    }

    /// <summary>
    /// Drops the uncommitted blocks of a blob that has no committed content: committing an empty block list discards them
    /// (only if no blob appeared meanwhile), and the empty blob that commit made is then deleted (only if it is still that one).
    /// </summary>
    private async Task DiscardUncommittedBlocksAsync(BlockBlobClient blob, bool bestEffort, CancellationToken cancellationToken)
    {
        try
        {
            var empty = await blob.CommitBlockListAsync([], new CommitBlockListOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken).ConfigureAwait(false);
            await blob.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = empty.Value.ETag }, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.ErrorCode is "BlobAlreadyExists" or "ConditionNotMet")
        {
            // The write completed (or another began) since: its blob stands, and nothing is left to free here.
        }
#pragma warning disable CA1031 // After a failed write: the caller already has the error that caused it, and Azure drops stale blocks in a week.
        catch (Exception) when (bestEffort)
        {
        }
#pragma warning restore CA1031
        catch (Exception e) when (AzureErrors.IsAzureFailure(e))
        {
            throw AzureErrors.Translate(e, _root, "discard an unfinished upload", _endpoint);
        }
    }

    private async IAsyncEnumerable<BlobItem> BlobsAsync(string prefix, BlobStates states, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = _container.GetBlobsAsync(new GetBlobsOptions { Prefix = BlobName(prefix), States = states, Traits = BlobTraits.Metadata }, cancellationToken)
            .AsPages().GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception e) when (AzureErrors.IsAzureFailure(e))
                {
                    throw AzureErrors.Translate(e, _root, operation, _endpoint);
                }

                foreach (var blob in pages.Current.Values)
                {
                    // An account with a hierarchical namespace lists its folders as empty blobs marked so: they are not values.
                    if (blob.Metadata is { } metadata && metadata.TryGetValue("hdi_isfolder", out var folder) && string.Equals(folder, "true", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    yield return blob;
                }
            }
        }
    }

    private string BlobName(string key) => _root.Prefix + key;
}
