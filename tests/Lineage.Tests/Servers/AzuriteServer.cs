using Azure.Storage.Blobs;
using Lineage.Testing;

[assembly: AssemblyFixture(typeof(Lineage.Tests.Servers.AzuriteServer))]

namespace Lineage.Tests.Servers;

/// <summary>
/// The Azure Blob emulator (Azurite) for the whole test run, started on first use (see <see cref="AzuriteEmulator"/>); each
/// test asks for its own container. Set <c>LINEAGE_TEST_AZURE_CONNECTION_STRING</c> to use an existing account instead.
/// </summary>
public sealed class AzuriteServer : IAsyncLifetime
{
    private readonly StartOnce<string> _connectionString;
    private AzuriteEmulator? _azurite;

    public AzuriteServer()
    {
        _connectionString = new StartOnce<string>("The Azure Blob emulator (Azurite)", async () =>
            Environment.GetEnvironmentVariable("LINEAGE_TEST_AZURE_CONNECTION_STRING") is { Length: > 0 } existing
                ? existing
                : (_azurite = await AzuriteEmulator.StartAsync()).ConnectionString);
        Current = this;
    }

    /// <summary>
    /// The run's instance (an assembly fixture, made before any test), for the backend suite's environments: their tests
    /// take PostgreSQL and S3 in their constructors, and reach Azurite through the environment without another parameter.
    /// </summary>
    public static AzuriteServer? Current { get; private set; }

    /// <summary>The connection string, or skips/fails the calling test when no emulator can run.</summary>
    public Task<string> ConnectionStringAsync() => _connectionString.GetAsync();

    /// <summary>storage_options for Lineage pointing at the emulator.</summary>
    public async Task<Dictionary<string, string>> StorageOptionsAsync() => new()
    {
        ["connection_string"] = await ConnectionStringAsync(),
    };

    public async Task<BlobServiceClient> ClientAsync() => new(await ConnectionStringAsync());

    /// <summary>Creates an empty container and returns its name.</summary>
    public async Task<string> CreateContainerAsync()
    {
        var name = "lineage-" + Guid.NewGuid().ToString("N")[..20];
        var client = await ClientAsync();
        await client.CreateBlobContainerAsync(name);
        return name;
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _azurite?.Dispose();
        return ValueTask.CompletedTask;
    }
}
