using System.Security.Cryptography;
using System.Text;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;
using Lineage.Testing;
using Lineage.Tests.Servers;
using Lineage.Values;
using Lineage.Values.Azure;

namespace Lineage.Tests.Backends;

/// <summary>The Azure Blob value store against a real Azurite: every <see cref="IValueStore"/> member, and its errors.</summary>
public sealed class AzureBlobValueStoreTests(AzuriteServer azurite)
{
    private const string Prefix = "team/models";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(AzureBlobValueStore Store, BlobContainerClient Container)> NewStoreAsync(int blockSize = 8 * 1024 * 1024, int concurrency = 4)
    {
        var container = await azurite.CreateContainerAsync();
        var store = new AzureBlobValueStore($"az://{container}/{Prefix}/", await azurite.StorageOptionsAsync()) { BlockSize = blockSize, MaxConcurrentBlocks = concurrency };
        return (store, (await azurite.ClientAsync()).GetBlobContainerClient(container));
    }

    private static Task WriteBytesAsync(AzureBlobValueStore store, string key, byte[] content) =>
        store.WriteAsync(key, (stream, ct) => stream.WriteAsync(content, ct).AsTask(), Ct);

    private static async Task<byte[]> ReadBytesAsync(AzureBlobValueStore store, string key)
    {
        var (stream, length) = await store.OpenReadAsync(key, Ct);
        await using (stream)
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, Ct);
            Assert.Equal(length, buffer.Length);
            return buffer.ToArray();
        }
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(count).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task A_small_value_round_trips_as_one_blob_under_the_prefix()
    {
        var (store, container) = await NewStoreAsync();
        var content = Encoding.UTF8.GetBytes("hello, azure");

        await WriteBytesAsync(store, ".lineage/ab/small", content);

        Assert.Equal(content, await ReadBytesAsync(store, ".lineage/ab/small"));
        Assert.True(await container.GetBlobClient($"{Prefix}/.lineage/ab/small").ExistsAsync(Ct));
        Assert.Equal($"az://{container.Name}/{Prefix}", store.Root);
    }

    [Fact]
    public async Task A_large_value_goes_up_in_parallel_blocks_and_round_trips_byte_for_byte()
    {
        var (store, container) = await NewStoreAsync(blockSize: 256 * 1024, concurrency: 3);
        var content = RandomBytes((3 * 1024 * 1024) + 17);

        // Odd-sized writes, as a serializer makes them, cross block boundaries anywhere.
        await store.WriteAsync(".lineage/cd/large", async (stream, ct) =>
        {
            for (var offset = 0; offset < content.Length; offset += 100_003)
            {
                await stream.WriteAsync(content.AsMemory(offset, Math.Min(100_003, content.Length - offset)), ct);
            }
        }, Ct);

        Assert.Equal(SHA256.HashData(content), SHA256.HashData(await ReadBytesAsync(store, ".lineage/cd/large")));
        var blocks = await container.GetBlockBlobClient($"{Prefix}/.lineage/cd/large").GetBlockListAsync(BlockListTypes.Committed, cancellationToken: Ct);
        Assert.Equal(13, blocks.Value.CommittedBlocks.Count());
    }

    [Fact]
    public async Task A_write_spanning_every_block_slot_goes_up_from_the_callers_buffer_which_is_free_again_when_the_write_returns()
    {
        var (store, container) = await NewStoreAsync(blockSize: 1 << 20, concurrency: 4);
        var header = RandomBytes(1000);
        var body = RandomBytes((6 << 20) + 500);
        var expected = header.Concat(body).Concat(header).ToArray();

        // The header's block is filled from the body, then the body's whole blocks are staged from its own array.
        await store.WriteAsync(".lineage/cd/direct", async (stream, ct) =>
        {
            await stream.WriteAsync(header, ct);
            await stream.WriteAsync(body, ct);
            Array.Fill(body, (byte)0xFF);
            await stream.WriteAsync(header, ct);
        }, Ct);

        Assert.Equal(SHA256.HashData(expected), SHA256.HashData(await ReadBytesAsync(store, ".lineage/cd/direct")));
        var blocks = await container.GetBlockBlobClient($"{Prefix}/.lineage/cd/direct").GetBlockListAsync(BlockListTypes.Committed, cancellationToken: Ct);
        Assert.Equal(7, blocks.Value.CommittedBlocks.Count());
    }

    [Fact]
    public async Task A_write_staged_from_the_callers_buffer_that_fails_is_an_error_naming_the_container()
    {
        var store = new AzureBlobValueStore("az://lineage-no-such-container/x", await azurite.StorageOptionsAsync()) { BlockSize = 64 * 1024, MaxConcurrentBlocks = 2 };

        var error = await Assert.ThrowsAsync<StorageAccessException>(() => WriteBytesAsync(store, ".lineage/cd/direct", RandomBytes(1 << 20)).WaitAsync(TimeSpan.FromMinutes(1), Ct));

        Assert.Contains("container 'lineage-no-such-container'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Synchronous_writes_are_uploaded_too()
    {
        var (store, _) = await NewStoreAsync(blockSize: 64 * 1024);
        var content = RandomBytes(200_000);

        await store.WriteAsync(".lineage/ef/sync", (stream, _) =>
        {
            stream.Write(content, 0, content.Length);
            return Task.CompletedTask;
        }, Ct);

        Assert.Equal(content, await ReadBytesAsync(store, ".lineage/ef/sync"));
    }

    [Fact]
    public async Task Nothing_is_visible_at_the_key_until_the_block_list_is_committed()
    {
        var (store, container) = await NewStoreAsync(blockSize: 64 * 1024, concurrency: 2);
        var blob = container.GetBlobClient($"{Prefix}/.lineage/gh/atomic");
        bool? visibleMidway = null;
        var listedMidway = -1;

        await store.WriteAsync(".lineage/gh/atomic", async (stream, ct) =>
        {
            await stream.WriteAsync(RandomBytes(300_000), ct);
            await Task.Delay(200, ct);
            visibleMidway = await blob.ExistsAsync(ct);
            listedMidway = await store.ListAsync(".lineage/", ct).CountAsync(ct);
            await stream.WriteAsync(RandomBytes(1000), ct);
        }, Ct);

        Assert.False(visibleMidway);
        Assert.Equal(0, listedMidway);
        Assert.Equal(301_000, (await blob.GetPropertiesAsync(cancellationToken: Ct)).Value.ContentLength);
    }

    [Fact]
    public async Task A_failed_write_leaves_neither_a_blob_nor_uncommitted_blocks()
    {
        var (store, container) = await NewStoreAsync(blockSize: 64 * 1024);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync(".lineage/ij/failed", async (stream, ct) =>
        {
            await stream.WriteAsync(RandomBytes(200_000), ct);
            throw new InvalidOperationException("serializer broke");
        }, Ct));

        Assert.Equal("serializer broke", error.Message);
        Assert.False(await container.GetBlobClient($"{Prefix}/.lineage/ij/failed").ExistsAsync(Ct));
        Assert.Empty(await store.ListPendingUploadsAsync(".lineage/", Ct).ToListAsync(Ct));
        Assert.Empty(await container.GetBlobsAsync(new GetBlobsOptions { States = BlobStates.Uncommitted }, Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task A_verified_read_of_a_blob_changed_behind_the_store_fails_as_corrupt()
    {
        var (store, container) = await NewStoreAsync(blockSize: 64 * 1024);
        var content = RandomBytes(150_000);
        await store.WriteAsync(".lineage/kl/value", (stream, ct) => stream.WriteAsync(content, ct).AsTask(), Ct);
        var digest = new ValueDigest(content.Length, Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant());
        var changed = (byte[])content.Clone();
        changed[100_000] ^= 0x40;
        await container.GetBlobClient($"{Prefix}/.lineage/kl/value").UploadAsync(new BinaryData(changed), overwrite: true, Ct);

        var (raw, _) = await store.OpenReadAsync(".lineage/kl/value", Ct);
        await using var verifying = new VerifyingReadStream(raw, digest, "The value");

        var error = await Assert.ThrowsAsync<CorruptArtifactException>(() => verifying.VerifyToEndAsync(Ct));
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Of_racing_conditional_creates_exactly_one_wins_and_its_content_stands()
    {
        var (store, _) = await NewStoreAsync();
        var contents = Enumerable.Range(0, 8).Select(i => Encoding.UTF8.GetBytes($"{{\"instance\":{i}}}")).ToArray();

        var results = await Task.WhenAll(contents.Select(c => Task.Run(() => store.TryCreateSmallAsync(".lineage/storage.json", c, Ct), Ct)));

        var winner = Assert.Single(Enumerable.Range(0, contents.Length), i => results[i]);
        Assert.Equal(contents[winner], await store.ReadSmallAsync(".lineage/storage.json", Ct));
        Assert.False(await store.TryCreateSmallAsync(".lineage/storage.json", "late"u8.ToArray(), Ct));
        Assert.Null(await store.ReadSmallAsync(".lineage/absent.json", Ct));
    }

    [Fact]
    public async Task Blobs_put_there_by_others_are_listed_and_digested_in_place()
    {
        var (store, container) = await NewStoreAsync();
        foreach (var (name, text) in new[] { ("data/images/a.png", "aaa"), ("data/images/sub/b.png", "bb"), ("data/other.txt", "x") })
        {
            await container.GetBlobClient($"{Prefix}/{name}").UploadAsync(new BinaryData(Encoding.UTF8.GetBytes(text)), Ct);
        }

        var files = await StoredDigests.FilesAsync(store, "data/images", Ct);
        var digest = await StoredDigests.OfFolderAsync(store, "data/images", files, Ct);

        Assert.Equal(new[] { "data/images/a.png", "data/images/sub/b.png" }, files.Select(f => f.Key));
        Assert.Equal(new[] { 3L, 2L }, files.Select(f => f.Size));
        var manifest = $"a.png\t3\t{Hex("aaa")}\nsub/b.png\t2\t{Hex("bb")}\n";
        Assert.Equal(new ValueDigest(5, Hex(manifest)), digest);
    }

    [Fact]
    public async Task Listing_shows_values_with_size_and_time_and_nothing_outside_the_prefix()
    {
        var (store, container) = await NewStoreAsync();
        await WriteBytesAsync(store, ".lineage/mn/one", RandomBytes(10));
        await WriteBytesAsync(store, ".lineage/mn/two", RandomBytes(20));
        await container.GetBlobClient(".lineage/mn/outside").UploadAsync(new BinaryData("x"u8.ToArray()), Ct);

        var listed = await store.ListAsync(".lineage/", Ct).OrderBy(o => o.Key, StringComparer.Ordinal).ToListAsync(Ct);

        Assert.Equal(new[] { ".lineage/mn/one", ".lineage/mn/two" }, listed.Select(o => o.Key));
        Assert.Equal(new[] { 10L, 20L }, listed.Select(o => o.Size));
        Assert.All(listed, o => Assert.InRange(o.LastModified, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)));
    }

    [Fact]
    public async Task Uncommitted_blocks_of_a_killed_write_are_listed_as_pending_and_discarded_by_abort()
    {
        var (store, container) = await NewStoreAsync();
        var blob = container.GetBlockBlobClient($"{Prefix}/.lineage/op/killed");
        var id = Convert.ToBase64String("killed-000000"u8.ToArray());
        await blob.StageBlockAsync(id, new MemoryStream(RandomBytes(5000)), cancellationToken: Ct);
        await WriteBytesAsync(store, ".lineage/op/done", RandomBytes(10));

        var pending = Assert.Single(await store.ListPendingUploadsAsync(".lineage/", Ct).ToListAsync(Ct));
        Assert.Equal(".lineage/op/killed", pending.Key);
        Assert.Equal(5000, pending.Size);
        Assert.InRange(pending.LastWritten, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.DoesNotContain(".lineage/op/killed", await store.ListAsync(".lineage/", Ct).Select(o => o.Key).ToListAsync(Ct));

        await store.AbortUploadAsync(pending.Key, pending.UploadId, Ct);

        Assert.Empty(await store.ListPendingUploadsAsync(".lineage/", Ct).ToListAsync(Ct));
        Assert.False(await blob.ExistsAsync(Ct));
        Assert.Empty(await container.GetBlobsAsync(new GetBlobsOptions { States = BlobStates.Uncommitted, Prefix = $"{Prefix}/.lineage/op/killed" }, Ct).ToListAsync(Ct));
    }

    [Fact]
    public async Task Aborting_an_upload_that_completed_after_it_was_listed_keeps_the_blob()
    {
        var (store, _) = await NewStoreAsync();
        var content = RandomBytes(100);
        await WriteBytesAsync(store, ".lineage/qr/finished", content);

        await store.AbortUploadAsync(".lineage/qr/finished", AzureBlobValueStore.UncommittedBlocks, Ct);

        Assert.Equal(content, await ReadBytesAsync(store, ".lineage/qr/finished"));
    }

    [Fact]
    public async Task Delete_removes_the_value_and_deleting_a_missing_one_is_no_error()
    {
        var (store, _) = await NewStoreAsync();
        await WriteBytesAsync(store, ".lineage/st/gone", RandomBytes(10));

        await store.DeleteAsync(".lineage/st/gone", Ct);
        await store.DeleteAsync(".lineage/st/gone", Ct);

        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync(".lineage/st/gone", Ct));
        Assert.Null(await store.ReadSmallAsync(".lineage/st/gone", Ct));
    }

    [Fact]
    public async Task A_wrong_account_key_is_an_error_naming_the_root_never_the_key()
    {
        var connection = await azurite.ConnectionStringAsync();
        var container = await azurite.CreateContainerAsync();
        var endpoint = new BlobServiceClient(connection).Uri.ToString().TrimEnd('/');
        var wrongKey = Convert.ToBase64String(RandomBytes(64));
        var store = new AzureBlobValueStore($"az://{container}/p", new Dictionary<string, string>
        {
            ["account_url"] = endpoint,
            ["account_name"] = AzuriteEmulator.AccountName,
            ["account_key"] = wrongKey,
        });

        var error = await Assert.ThrowsAsync<StorageAccessException>(() => store.ReadSmallAsync(".lineage/storage.json", Ct));

        Assert.Contains($"az://{container}/p", error.Message, StringComparison.Ordinal);
        Assert.Contains("account_key", error.Message, StringComparison.Ordinal);
        Assert.Equal($"az://{container}/p", error.Root);
        Assert.DoesNotContain(wrongKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sas_token_without_write_permission_is_refused_on_write_and_never_shown()
    {
        var container = await azurite.CreateContainerAsync();
        var client = await azurite.ClientAsync();
        var builder = new BlobSasBuilder(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1)) { BlobContainerName = container, Resource = "c" };
        var sas = builder.ToSasQueryParameters(new StorageSharedKeyCredential(AzuriteEmulator.AccountName, AzuriteEmulator.AccountKey)).ToString();
        var store = new AzureBlobValueStore($"az://{container}", new Dictionary<string, string>
        {
            ["account_url"] = client.Uri.ToString(),
            ["sas_token"] = "?" + sas,
        });

        Assert.Null(await store.ReadSmallAsync(".lineage/storage.json", Ct));
        var error = await Assert.ThrowsAsync<StorageAccessException>(() => store.TryCreateSmallAsync(".lineage/storage.json", "{}"u8.ToArray(), Ct));

        Assert.Contains("denied", error.Message, StringComparison.Ordinal);
        var signature = Uri.UnescapeDataString(sas.Split('&').Single(p => p.StartsWith("sig=", StringComparison.Ordinal))["sig=".Length..]);
        Assert.DoesNotContain(signature, Uri.UnescapeDataString(error.ToString()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_container_is_an_error_naming_it()
    {
        var store = new AzureBlobValueStore("az://lineage-no-such-container/x", await azurite.StorageOptionsAsync());

        var error = await Assert.ThrowsAsync<StorageAccessException>(() => WriteBytesAsync(store, ".lineage/storage.json", [1]));

        Assert.Contains("container 'lineage-no-such-container'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteEmulator.AccountKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_an_error_naming_it()
    {
        var closed = $"http://127.0.0.1:{LocalServers.FreePort()}/{AzuriteEmulator.AccountName}";
        var store = new AzureBlobValueStore("az://somewhere/p", new Dictionary<string, string> { ["connection_string"] = AzuriteEmulator.ConnectionStringFor(closed) });

        var error = await Assert.ThrowsAsync<StorageAccessException>(() => store.ReadSmallAsync(".lineage/storage.json", Ct));

        Assert.Contains(closed, error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be reached", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteEmulator.AccountKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_is_refused_without_showing_it()
    {
        var secret = "AccountKey=c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3Qtc2hvdw==;NotAField";

        var error = Assert.Throws<LineageConfigurationException>(() => new AzureBlobValueStore("az://box/p", new Dictionary<string, string> { ["connection_string"] = secret }));

        Assert.Contains("connection_string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3Qtc2hvdw", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("az://ab/x", "3 to 63")]
    [InlineData("az://My-Container/x", "lowercase")]
    [InlineData("az://my_container", "lowercase")]
    [InlineData("az://-container/x", "start and end")]
    [InlineData("az://my--container/x", "two hyphens")]
    [InlineData("az://box/a//b", "empty segment")]
    [InlineData("az://box/a/../b", "'..' segment")]
    public void Invalid_container_names_and_prefixes_are_refused_before_any_request(string root, string reason)
    {
        var error = Assert.Throws<LineageConfigurationException>(() => new AzureBlobValueStore(root, new Dictionary<string, string> { ["account_name"] = "someaccount" }));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_an_account_the_error_says_which_options_name_one()
    {
        var error = Assert.Throws<LineageConfigurationException>(() => new AzureBlobValueStore("az://box/p", new Dictionary<string, string>()));

        Assert.Contains("account_name", error.Message, StringComparison.Ordinal);
    }

    private static string Hex(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text))).ToLowerInvariant();
}
