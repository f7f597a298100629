using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Lineage.Testing;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Reliability;

/// <summary>
/// The S3 endpoint dies in the middle of a multipart upload. Each test runs its own moto (never the shared one), kills it
/// once the save has shipped its first part, and starts it again on the same port. moto keeps everything in memory, so
/// the restart loses the bucket: the test puts back what the bucket held before the kill, as S3 itself would have kept it.
/// </summary>
public sealed class S3FaultTests(PostgresServer postgres, S3Server s3)
{
    private const int PartSize = 16 << 20;
    private const long ValueSize = 40L << 20;

    // Past the first part (shipped, in flight or done) and inside the second: the upload is begun and not complete.
    private const long KillAfter = PartSize + (4 << 20);

    public static TheoryData<MetadataBackend> Metadata => [MetadataBackend.Sqlite, MetadataBackend.Postgres];

    [Theory]
    [MemberData(nameof(Metadata))]
    public async Task A_save_whose_S3_endpoint_is_killed_mid_upload_fails_clearly_records_nothing_and_the_store_works_once_it_is_back(MetadataBackend metadata)
    {
        var ct = TestContext.Current.CancellationToken;
        using var moto = await StartMotoAsync();
        var endpoint = moto.Current.Endpoint;
        var bucket = "lineage-fault-" + Guid.NewGuid().ToString("N")[..12];
        using (var client = Client(endpoint))
        {
            await client.PutBucketAsync(bucket, ct);
        }

        // The metadata backend's database and home; the values go to this test's own moto.
        await using var environment = await BackendEnvironment.CreateAsync(new Backend(metadata, ValueBackend.Local), postgres, s3);
        var root = $"s3://{bucket}/team";
        var options = environment.Options(root: root);
        options.StorageOptions["endpoint_url"] = endpoint;
        options.StorageOptions["force_path_style"] = "true";
        options.StorageOptions["region"] = "us-east-1";
        options.StorageOptions["key"] = S3Server.Key;
        options.StorageOptions["secret"] = S3Server.Secret;
        await using var store = await ArtifactStore.OpenAsync(options, ct);
        var before = await store.SaveAsync("small", "saved before the fault", ct);
        var survivors = await SnapshotAsync(endpoint, bucket, ct);

        using var dying = new GeneratedStream(ValueSize, killAt: KillAfter, kill: moto.Kill);
        var error = await Assert.ThrowsAnyAsync<LineageException>(() => store.SaveAsync("big", dying, ct).WaitAsync(TimeSpan.FromMinutes(3), ct));

        Assert.True(dying.Killed, "the save failed before the endpoint was killed");
        Assert.Contains(root, error.Message, StringComparison.Ordinal);
        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(S3Server.Secret, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, await environment.ArtifactRowCountAsync());
        Assert.Throws<ArtifactNotFoundException>(() => store.Get("big"));

        await moto.RestartAsync();
        await RestoreAsync(endpoint, bucket, survivors, ct);

        // The same store, with its pooled connections to the dead server, saves, loads and verifies again.
        using var again = new GeneratedStream(ValueSize);
        var big = await store.SaveAsync("big", again, ct);
        Assert.Equal(1, big.Version);
        Assert.Equal(ValueSize, big.Size);
        Assert.Equal(again.Sha256Hex, big.Hash);
        Assert.Equal(ValueCheckStatus.Ok, (await store.VerifyAsync(big, ct)).Status);
        Assert.Equal(ValueCheckStatus.Ok, (await store.VerifyAsync(before, ct)).Status);
        Assert.Equal("saved before the fault", await store.LoadAsync<string>("small", cancellationToken: ct));
        Assert.Equal(2, await environment.ArtifactRowCountAsync());
    }

    private static async Task<RestartableMoto> StartMotoAsync()
    {
        try
        {
            return new RestartableMoto(await MotoEmulator.StartAsync());
        }
        catch (InvalidOperationException e)
        {
            ServerProcess.Unavailable("The S3 emulator", e.Message);
            throw;
        }
    }

    private static AmazonS3Client Client(string endpoint) => new(
        new BasicAWSCredentials(S3Server.Key, S3Server.Secret),
        new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    /// <summary>Every object of the bucket, by key.</summary>
    private static async Task<Dictionary<string, byte[]>> SnapshotAsync(string endpoint, string bucket, CancellationToken ct)
    {
        using var client = Client(endpoint);
        var objects = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, ct)).S3Objects ?? [])
        {
            using var response = await client.GetObjectAsync(bucket, entry.Key, ct);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, ct);
            objects[entry.Key] = buffer.ToArray();
        }

        return objects;
    }

    private static async Task RestoreAsync(string endpoint, string bucket, Dictionary<string, byte[]> objects, CancellationToken ct)
    {
        using var client = Client(endpoint);
        await client.PutBucketAsync(bucket, ct);
        foreach (var (key, content) in objects)
        {
            using var body = new MemoryStream(content);
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body }, ct);
        }
    }

    /// <summary>A moto that can be killed and started again on the same port.</summary>
    private sealed class RestartableMoto(MotoEmulator first) : IDisposable
    {
        private bool _running = true;

        public MotoEmulator Current { get; private set; } = first;

        public void Kill()
        {
            _running = false;
            Current.Dispose();
        }

        public async Task RestartAsync()
        {
            Current = await MotoEmulator.StartAsync(new Uri(Current.Endpoint).Port);
            _running = true;
        }

        public void Dispose()
        {
            if (_running)
            {
                Current.Dispose();
            }
        }
    }
}
