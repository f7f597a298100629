using System.Data.Common;
using Lineage.Configuration;
using Lineage.Metadata.Postgres;
using Lineage.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Lineage.Benchmarks;

/// <summary>
/// A store with its metadata on SQLite (a file in a <see cref="BenchmarkFolder"/>) or PostgreSQL (a throwaway cluster on
/// loopback, <c>fsync=off</c>), values in a local folder, and raw connections to the same database for the baselines.
/// </summary>
internal sealed class BenchmarkDatabase : IDisposable
{
    public const string Sqlite = "SQLite";
    public const string Postgres = "PostgreSQL";

    private readonly BenchmarkFolder _folder;
    private readonly PostgresCluster? _cluster;
    private readonly string _rawConnectionString;
    private readonly LineageOptions _options;

    private BenchmarkDatabase(BenchmarkFolder folder, PostgresCluster? cluster, LineageOptions options, string rawConnectionString)
    {
        _folder = folder;
        _cluster = cluster;
        _options = options;
        Store = ArtifactStore.Open(options);
        _rawConnectionString = rawConnectionString;
        Alternation.ServerProcessId = cluster?.ServerProcessId;
    }

    public ArtifactStore Store { get; private set; }

    /// <summary>
    /// Closes the store and every pooled connection and opens the store again: after a bulk load through a raw connection,
    /// both the store and the baseline then start from connections opened on the loaded database, as a user's would.
    /// </summary>
    public void ReopenStore()
    {
        Store.Dispose();
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        Store = ArtifactStore.Open(_options);
    }

    public bool IsPostgres => _cluster is not null;

    public static BenchmarkDatabase Open(string database, string name)
    {
        var folder = new BenchmarkFolder(name);
        var options = folder.Options();
        if (database == Sqlite)
        {
            return new BenchmarkDatabase(folder, null, options, $"Data Source={Path.Combine(folder.Path, "db.sqlite")}");
        }

        if (database != Postgres)
        {
            throw new ArgumentOutOfRangeException(nameof(database), database, null);
        }

        var cluster = PostgresCluster.StartAsync().GetAwaiter().GetResult();
        using (var admin = new NpgsqlConnection(ConnectionString(cluster.AdminUrl)))
        {
            admin.Open();
            using var create = new NpgsqlCommand("CREATE DATABASE lineage_store;", admin);
            create.ExecuteNonQuery();
        }

        options.DatabaseUrl = cluster.AdminUrl.Replace("/postgres", "/lineage_store", StringComparison.Ordinal);
        return new BenchmarkDatabase(folder, cluster, options, ConnectionString(options.DatabaseUrl));
    }

    /// <summary>An open connection to the store's database, outside the store.</summary>
    public DbConnection OpenRaw()
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(_rawConnectionString) : new SqliteConnection(_rawConnectionString);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        Store.Dispose();
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        _cluster?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _folder.Dispose();
    }

    private static string ConnectionString(string url) => PostgresUrl.ToConnectionString(DatabaseLocation.Parse(url, "/", "/")).ConnectionString;
}
