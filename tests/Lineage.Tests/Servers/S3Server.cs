using Amazon.Runtime;
using Amazon.S3;
using Lineage.Testing;

[assembly: AssemblyFixture(typeof(Lineage.Tests.Servers.S3Server))]

namespace Lineage.Tests.Servers;

/// <summary>
/// The S3 emulator for the whole test run, started on first use (see <see cref="MotoEmulator"/>); each test asks
/// for its own bucket. Set <c>LINEAGE_TEST_S3_ENDPOINT</c> (with <c>LINEAGE_TEST_S3_KEY</c>/<c>_SECRET</c>) to use an existing one.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string Key = "lineage-test-key";
    public const string Secret = "lineage-test-secret-value";
    private readonly StartOnce<string> _endpoint;
    private MotoEmulator? _moto;

    public S3Server() => _endpoint = new StartOnce<string>("The S3 emulator", async () =>
    {
        if (Environment.GetEnvironmentVariable("LINEAGE_TEST_S3_ENDPOINT") is { Length: > 0 } existing)
        {
            AccessKey = Environment.GetEnvironmentVariable("LINEAGE_TEST_S3_KEY") ?? Key;
            SecretKey = Environment.GetEnvironmentVariable("LINEAGE_TEST_S3_SECRET") ?? Secret;
            return existing;
        }

        return (_moto = await MotoEmulator.StartAsync()).Endpoint;
    });

    public string AccessKey { get; private set; } = Key;

    public string SecretKey { get; private set; } = Secret;

    /// <summary>The endpoint, or skips/fails the calling test when no emulator can run.</summary>
    public Task<string> EndpointAsync() => _endpoint.GetAsync();

    /// <summary>storage_options for Lineage pointing at the emulator.</summary>
    public async Task<Dictionary<string, string>> StorageOptionsAsync() => new()
    {
        ["endpoint_url"] = await EndpointAsync(),
        ["force_path_style"] = "true",
        ["region"] = "us-east-1",
        ["key"] = AccessKey,
        ["secret"] = SecretKey,
    };

    public async Task<string> CreateBucketAsync()
    {
        var name = "lineage-" + Guid.NewGuid().ToString("N")[..20];
        using var client = await ClientAsync();
        await client.PutBucketAsync(name);
        return name;
    }

    public async Task<AmazonS3Client> ClientAsync() => new(
        new BasicAWSCredentials(AccessKey, SecretKey),
        new AmazonS3Config { ServiceURL = await EndpointAsync(), ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _moto?.Dispose();
        return ValueTask.CompletedTask;
    }
}
