using Amazon.S3;
using Amazon.S3.Model;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lineage.Tests.Servers;

public enum MetadataBackend
{
    Sqlite,
    Postgres,
}

public enum ValueBackend
{
    Local,
    S3,
    Azure,
}

/// <summary>One of the six combinations every store behaviour runs on.</summary>
public sealed record Backend(MetadataBackend Metadata, ValueBackend Values)
{
    public static readonly Backend SqliteLocal = new(MetadataBackend.Sqlite, ValueBackend.Local);

    /// <summary>Theory data: SQLite and PostgreSQL, each with a local, an S3 and an Azure Blob root.</summary>
    public static TheoryData<Backend> All => new(
        SqliteLocal,
        new Backend(MetadataBackend.Sqlite, ValueBackend.S3),
        new Backend(MetadataBackend.Sqlite, ValueBackend.Azure),
        new Backend(MetadataBackend.Postgres, ValueBackend.Local),
        new Backend(MetadataBackend.Postgres, ValueBackend.S3),
        new Backend(MetadataBackend.Postgres, ValueBackend.Azure));

    /// <summary>Theory data: SQLite and PostgreSQL, each with a local root (for what only the metadata database decides, such as schema upgrades).</summary>
    public static TheoryData<Backend> Databases => new(SqliteLocal, new Backend(MetadataBackend.Postgres, ValueBackend.Local));

    public override string ToString() => $"{Metadata}+{Values}";
}

/// <summary>
/// A fresh store location on one backend combination: its own temp home, its own database (SQLite file or
/// PostgreSQL database) and its own root (folder, S3 bucket or Azure container). Also reaches under the store, to corrupt
/// values or make the database refuse inserts, the same way on every backend.
/// </summary>
public sealed class BackendEnvironment : IAsyncDisposable
{
    private readonly TestHome _home = new();
    private readonly PostgresServer _postgres;
    private readonly S3Server _s3;
    private readonly Dictionary<string, string> _storageOptions;
    private string? _bucket;
    private string? _container;
    private int _counter;

    private BackendEnvironment(Backend backend, PostgresServer postgres, S3Server s3, Dictionary<string, string> storageOptions)
    {
        Backend = backend;
        _postgres = postgres;
        _s3 = s3;
        _storageOptions = storageOptions;
    }

    public Backend Backend { get; }

    /// <summary>The run's Azurite (started on first use; skips or, under CI, fails the test when it cannot start).</summary>
    public static AzuriteServer Azurite => AzuriteServer.Current ?? throw new InvalidOperationException("The AzuriteServer assembly fixture was not created.");

    public TestHome Home => _home;

    public string DatabaseUrl { get; private set; } = string.Empty;

    public string Root { get; private set; } = string.Empty;

    public static async Task<BackendEnvironment> CreateAsync(Backend backend, PostgresServer postgres, S3Server s3)
    {
        var options = backend.Values switch
        {
            ValueBackend.S3 => await s3.StorageOptionsAsync(),
            ValueBackend.Azure => await Azurite.StorageOptionsAsync(),
            _ => [],
        };
        var environment = new BackendEnvironment(backend, postgres, s3, options);
        environment.DatabaseUrl = await environment.NewDatabaseUrlAsync();
        environment.Root = await environment.NewRootAsync();
        return environment;
    }

    /// <summary>Options for this environment's database and root (or the ones given).</summary>
    public LineageOptions Options(string? databaseUrl = null, string? root = null)
    {
        var options = new LineageOptions
        {
            Home = _home.Path,
            DatabaseUrl = databaseUrl ?? DatabaseUrl,
            ArtifactStorageDir = root ?? Root,
        };
        foreach (var (key, value) in _storageOptions)
        {
            options.StorageOptions[key] = value;
        }

        return options;
    }

    public ArtifactStore Open(string? databaseUrl = null, string? root = null) => ArtifactStore.Open(Options(databaseUrl, root));

    /// <summary>Another, empty metadata database on the same backend (another "instance").</summary>
    public async Task<string> NewDatabaseUrlAsync() => Backend.Metadata == MetadataBackend.Sqlite
        ? "sqlite:///" + _home.Sub($"db-{Interlocked.Increment(ref _counter)}.sqlite")
        : await _postgres.CreateDatabaseAsync();

    /// <summary>Another, empty storage root on the same backend.</summary>
    public async Task<string> NewRootAsync()
    {
        var name = $"root-{Interlocked.Increment(ref _counter)}";
        if (Backend.Values == ValueBackend.Local)
        {
            return _home.Sub(name);
        }

        if (Backend.Values == ValueBackend.Azure)
        {
            _container ??= await Azurite.CreateContainerAsync();
            return $"az://{_container}/{name}";
        }

        _bucket ??= await _s3.CreateBucketAsync();
        return $"s3://{_bucket}/{name}";
    }

    /// <summary>The bytes at <paramref name="key"/> under <paramref name="root"/> (a folder, an s3:// or an az:// root, whatever the backend), or null.</summary>
    public async Task<byte[]?> ReadValueAsync(string root, string key)
    {
        if (IsAzure(root))
        {
            try
            {
                return (await (await BlobAsync(root, key)).DownloadContentAsync()).Value.Content.ToArray();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }
        }

        if (!IsS3(root))
        {
            var path = LocalPath(root, key);
            return File.Exists(path) ? await File.ReadAllBytesAsync(path) : null;
        }

        var (bucket, objectKey) = S3Location(root, key);
        using var client = await _s3.ClientAsync();
        try
        {
            using var response = await client.GetObjectAsync(bucket, objectKey);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<byte[]?> ReadValueAsync(ArtifactRecord record) => ReadValueAsync(record.StorageRoot, record.Key);

    /// <summary>Writes <paramref name="content"/> at <paramref name="key"/> under <paramref name="root"/> (a folder, an s3:// or an az:// root), creating folders.</summary>
    public async Task WriteValueAsync(string root, string key, byte[] content)
    {
        if (IsAzure(root))
        {
            await (await BlobAsync(root, key)).UploadAsync(new BinaryData(content), overwrite: true);
            return;
        }

        if (!IsS3(root))
        {
            var path = LocalPath(root, key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, content);
            return;
        }

        var (bucket, objectKey) = S3Location(root, key);
        using var client = await _s3.ClientAsync();
        using var body = new MemoryStream(content);
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = objectKey, InputStream = body });
    }

    public Task WriteValueAsync(ArtifactRecord record, byte[] content) => WriteValueAsync(record.StorageRoot, record.Key, content);

    public Task DeleteValueAsync(ArtifactRecord record) => DeleteValueAsync(record.StorageRoot, record.Key);

    /// <summary>Deletes what is at <paramref name="key"/> under <paramref name="root"/> (a folder, an s3:// or an az:// root).</summary>
    public async Task DeleteValueAsync(string root, string key)
    {
        if (IsAzure(root))
        {
            await (await BlobAsync(root, key)).DeleteIfExistsAsync();
            return;
        }

        if (!IsS3(root))
        {
            File.Delete(LocalPath(root, key));
            return;
        }

        var (bucket, objectKey) = S3Location(root, key);
        using var client = await _s3.ClientAsync();
        await client.DeleteObjectAsync(bucket, objectKey);
    }

    /// <summary>The names of everything under <c>&lt;root&gt;/.lineage/</c>, sorted.</summary>
    public async Task<IReadOnlyList<string>> LineageEntriesAsync(string? root = null)
    {
        root ??= Root;
        if (IsAzure(root))
        {
            var (container, blobPrefix) = AzureLocation(root, ".lineage/");
            var names = new List<string>();
            await foreach (var blob in (await Azurite.ClientAsync()).GetBlobContainerClient(container).GetBlobsAsync(new Azure.Storage.Blobs.Models.GetBlobsOptions { Prefix = blobPrefix }))
            {
                names.Add(blob.Name[blobPrefix.Length..]);
            }

            return [.. names.Order(StringComparer.Ordinal)];
        }

        if (!IsS3(root))
        {
            var folder = LocalPath(root, ".lineage");
            return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];
        }

        var (bucket, prefix) = S3Location(root, ".lineage/");
        using var client = await _s3.ClientAsync();
        var listing = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        return [.. (listing.S3Objects ?? []).Select(o => o.Key[prefix.Length..]).Order(StringComparer.Ordinal)];
    }

    /// <summary>Runs SQL on this environment's metadata database.</summary>
    public async Task<object?> SqlAsync(string sql, string? databaseUrl = null)
    {
        databaseUrl ??= DatabaseUrl;
        if (Backend.Metadata == MetadataBackend.Sqlite)
        {
            await using var sqlite = new SqliteConnection($"Data Source={databaseUrl["sqlite:///".Length..]};Pooling=False");
            await sqlite.OpenAsync();
            await using var command = sqlite.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync();
        }

        await using var postgres = new NpgsqlConnection(PostgresServer.ToConnectionString(databaseUrl));
        await postgres.OpenAsync();
        await using var pgCommand = new NpgsqlCommand(sql, postgres);
        return await pgCommand.ExecuteScalarAsync();
    }

    public async Task<long> ArtifactRowCountAsync() => Convert.ToInt64(await SqlAsync("SELECT COUNT(*) FROM artifacts"));

    /// <summary>Makes every insert into the artifacts table fail with 'boom', as a database fault would.</summary>
    public Task FailArtifactInsertsAsync() => SqlAsync(Backend.Metadata == MetadataBackend.Sqlite
        ? "CREATE TRIGGER fail BEFORE INSERT ON artifacts BEGIN SELECT RAISE(ABORT, 'boom'); END;"
        : """
          CREATE FUNCTION lineage_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$;
          CREATE TRIGGER fail BEFORE INSERT ON artifacts FOR EACH ROW EXECUTE FUNCTION lineage_test_fail();
          """);

    public Task AllowArtifactInsertsAsync() => SqlAsync(Backend.Metadata == MetadataBackend.Sqlite
        ? "DROP TRIGGER fail;"
        : "DROP TRIGGER fail ON artifacts;");

    public async ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _home.Dispose();
        if (_container is not null)
        {
            // Azurite keeps blobs in memory for the whole run: a test's container goes with the test.
            await (await Azurite.ClientAsync()).DeleteBlobContainerAsync(_container);
        }
    }

    private static bool IsS3(string root) => root.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);

    private static bool IsAzure(string root) => root.StartsWith("az://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The container and blob name of <paramref name="key"/> under an az:// <paramref name="root"/>.</summary>
    public static (string Container, string BlobName) AzureLocation(string root, string key)
    {
        var rest = root["az://".Length..].TrimEnd('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (rest, key) : (rest[..slash], rest[(slash + 1)..] + "/" + key);
    }

    private static async Task<BlobClient> BlobAsync(string root, string key)
    {
        var (container, name) = AzureLocation(root, key);
        return (await Azurite.ClientAsync()).GetBlobContainerClient(container).GetBlobClient(name);
    }

    private static string LocalPath(string root, string key) => Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar));

    private static (string Bucket, string Key) S3Location(string root, string key)
    {
        var rest = root["s3://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (rest, key) : (rest[..slash], rest[(slash + 1)..].TrimEnd('/') + "/" + key);
    }
}
