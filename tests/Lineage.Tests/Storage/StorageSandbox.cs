using System.Security.Cryptography;
using System.Text;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Storage;

/// <summary>
/// One <see cref="BackendEnvironment"/> plus storage roots of any kind (local folders, S3 prefixes, whole buckets, Azure prefixes),
/// whatever the environment's own value backend is; and direct access to what lies in those roots, bypassing the store.
/// Stores opened here act as host <c>host-a</c> unless told otherwise, so two "machines" can share one database.
/// </summary>
internal sealed class StorageSandbox : IAsyncDisposable
{
    public const string MarkerKey = ".lineage/storage.json";
    public const string HostA = "host-a";

    private readonly S3Server _s3;
    private Dictionary<string, string>? _cloudOptions;
    private string? _bucket;
    private string? _container;
    private int _counter;

    private StorageSandbox(BackendEnvironment environment, S3Server s3)
    {
        Environment = environment;
        _s3 = s3;
    }

    /// <summary>The backends every storage rule runs on: SQLite with a local root, PostgreSQL with an S3 root, SQLite with an Azure root.</summary>
    public static TheoryData<Backend> Required => new(
        Backend.SqliteLocal, new Backend(MetadataBackend.Postgres, ValueBackend.S3), new Backend(MetadataBackend.Sqlite, ValueBackend.Azure));

    public BackendEnvironment Environment { get; }

    /// <summary>The environment's root (local folder, S3 or Azure prefix): the default location of stores opened here.</summary>
    public string Root => Environment.Root;

    public static async Task<StorageSandbox> CreateAsync(Backend backend, PostgresServer postgres, S3Server s3)
    {
        // The environment's own storage options come with its Options(); the roots made here add theirs.
        return new StorageSandbox(await BackendEnvironment.CreateAsync(backend, postgres, s3), s3);
    }

    /// <summary>A new local folder (not created), even on an S3 backend.</summary>
    public string LocalRoot(string? name = null) => Environment.Home.Sub(name ?? $"local-{Interlocked.Increment(ref _counter)}");

    /// <summary>A new prefix in a bucket of the emulator, even on a local backend. Call before opening stores: it adds the S3 storage options.</summary>
    public async Task<string> S3RootAsync()
    {
        await EnsureS3OptionsAsync();
        _bucket ??= await _s3.CreateBucketAsync();
        return $"s3://{_bucket}/prefix-{Interlocked.Increment(ref _counter)}";
    }

    /// <summary>A new, empty bucket's name. Call before opening stores: it adds the S3 storage options.</summary>
    public async Task<string> NewBucketAsync()
    {
        await EnsureS3OptionsAsync();
        return await _s3.CreateBucketAsync();
    }

    /// <summary>A new prefix in a container of Azurite, even on another backend. Call before opening stores: it adds the Azure storage options.</summary>
    public async Task<string> AzureRootAsync()
    {
        AddOptions(await BackendEnvironment.Azurite.StorageOptionsAsync());

        _container ??= await BackendEnvironment.Azurite.CreateContainerAsync();
        return $"az://{_container}/prefix-{Interlocked.Increment(ref _counter)}";
    }

    /// <summary>A new root of the given kind: <c>local</c>, <c>s3</c> or <c>azure</c>.</summary>
    public Task<string> RootAsync(string kind) => kind switch
    {
        "local" => Task.FromResult(LocalRoot()),
        "s3" => S3RootAsync(),
        "azure" => AzureRootAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "local, s3 or azure"),
    };

    /// <summary>Another root of the environment's own kind.</summary>
    public Task<string> NewRootAsync() => Environment.NewRootAsync();

    public Task<string> NewDatabaseUrlAsync() => Environment.NewDatabaseUrlAsync();

    public LineageOptions Options(string? databaseUrl = null, string? root = null, string? user = null, string? host = HostA, string? localStorage = null)
    {
        var options = Environment.Options(databaseUrl, root);
        foreach (var (key, value) in _cloudOptions ?? [])
        {
            options.StorageOptions[key] = value;
        }

        options.Host = host;
        options.User = user;
        options.LocalStorage = localStorage;
        return options;
    }

    public ArtifactStore Open(string? databaseUrl = null, string? root = null, string? user = null, string? host = HostA, string? localStorage = null) =>
        ArtifactStore.Open(Options(databaseUrl, root, user, host, localStorage));

    /// <summary>The path of <paramref name="key"/> under <paramref name="root"/>, as a user would pass it to <see cref="ArtifactStore.Register"/>.</summary>
    public static string PathUnder(string root, string key) => IsRemote(root)
        ? $"{root.TrimEnd('/')}/{key}"
        : Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>The folder (or bucket) that holds <paramref name="root"/>.</summary>
    public static string ParentOf(string root) => IsRemote(root)
        ? root[..Math.Max(root.LastIndexOf('/'), "s3://".Length)]
        : Path.GetDirectoryName(root)!;

    public Task<byte[]?> ReadAsync(string root, string key) => Environment.ReadValueAsync(root, key);

    public Task WriteAsync(string root, string key, byte[] content) => Environment.WriteValueAsync(root, key, content);

    public Task WriteAsync(string root, string key, string content) => WriteAsync(root, key, Encoding.UTF8.GetBytes(content));

    public Task DeleteAsync(string root, string key) => Environment.DeleteValueAsync(root, key);

    /// <summary>The names of everything under <c>&lt;root&gt;/.lineage/</c>, sorted.</summary>
    public Task<IReadOnlyList<string>> LineageEntriesAsync(string root) => Environment.LineageEntriesAsync(root);

    /// <summary>
    /// Makes <paramref name="root"/> a place where no Lineage marker can be written or read: locally a regular file named
    /// <c>.lineage</c> (tests run as root, so permissions cannot stop a write); on S3 something else at the marker's key.
    /// </summary>
    public async Task MakeUnmarkableAsync(string root)
    {
        if (!IsRemote(root))
        {
            Directory.CreateDirectory(root);
            await File.WriteAllTextAsync(Path.Combine(root, ".lineage"), "a file, not Lineage's folder");
            return;
        }

        await WriteAsync(root, MarkerKey, """{ "owner": "some other tool" }""");
    }

    /// <summary>Writes a marker naming <paramref name="instanceUid"/> as the root's writing instance, as that instance would.</summary>
    public Task WriteMarkerAsync(string root, string instanceUid, string database) => WriteAsync(root, MarkerKey, $$"""
        { "lineage_storage": 1, "storage_uid": "takenover01", "instance_uid": "{{instanceUid}}", "database": "{{database}}", "created_at": "2026-01-01T00:00:00Z" }
        """);

    /// <summary>The instance uid the root's marker names, or null when there is no readable marker.</summary>
    public async Task<string?> MarkerOwnerAsync(string root)
    {
        var bytes = await ReadAsync(root, MarkerKey);
        if (bytes is null)
        {
            return null;
        }

        using var marker = System.Text.Json.JsonDocument.Parse(bytes);
        return marker.RootElement.GetProperty("instance_uid").GetString();
    }

    public static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    public async ValueTask DisposeAsync()
    {
        await Environment.DisposeAsync();
        if (_container is not null)
        {
            // Azurite keeps blobs in memory for the whole run: a test's container goes with the test.
            await (await BackendEnvironment.Azurite.ClientAsync()).DeleteBlobContainerAsync(_container);
        }
    }

    private async Task EnsureS3OptionsAsync() => AddOptions(await _s3.StorageOptionsAsync());

    private void AddOptions(Dictionary<string, string> options)
    {
        foreach (var (key, value) in options)
        {
            (_cloudOptions ??= [])[key] = value;
        }
    }

    private static bool IsRemote(string root) =>
        root.StartsWith("s3://", StringComparison.OrdinalIgnoreCase) || root.StartsWith("az://", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Reports progress on the calling thread, at once (unlike <see cref="Progress{T}"/>), so a test can stop a run at an exact point.</summary>
internal sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
