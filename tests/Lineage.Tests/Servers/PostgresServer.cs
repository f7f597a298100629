using Lineage.Testing;
using Npgsql;

[assembly: AssemblyFixture(typeof(Lineage.Tests.Servers.PostgresServer))]

namespace Lineage.Tests.Servers;

/// <summary>
/// The PostgreSQL server for the whole test run, started on first use (see <see cref="PostgresCluster"/>);
/// each test asks for its own database. Set <c>LINEAGE_TEST_POSTGRES_URL</c> (an admin URL) to use an existing server.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Password = PostgresCluster.Password;
    private readonly StartOnce<string> _adminUrl;
    private PostgresCluster? _cluster;

    public PostgresServer() => _adminUrl = new StartOnce<string>("PostgreSQL", async () =>
        Environment.GetEnvironmentVariable("LINEAGE_TEST_POSTGRES_URL") is { Length: > 0 } existing
            ? existing
            : (_cluster = await PostgresCluster.StartAsync()).AdminUrl);

    /// <summary>The server's admin URL, or skips/fails the calling test when no server can run.</summary>
    public Task<string> AdminUrlAsync() => _adminUrl.GetAsync();

    /// <summary>Creates an empty database and returns its URL (with the password in it, as users write them).</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var admin = await AdminUrlAsync();
        var name = "lineage_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(ToConnectionString(admin)))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return WithDatabase(admin, name);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    internal static string ToConnectionString(string url) =>
        Lineage.Metadata.Postgres.PostgresUrl.ToConnectionString(Lineage.Configuration.DatabaseLocation.Parse(url, "/", "/")).ConnectionString;

    internal static string WithDatabase(string url, string database)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        var withoutQuery = query < 0 ? url : url[..query];
        var slash = withoutQuery.IndexOf('/', withoutQuery.IndexOf("://", StringComparison.Ordinal) + 3);
        return (slash < 0 ? withoutQuery : withoutQuery[..slash]) + "/" + database + (query < 0 ? string.Empty : url[query..]);
    }
}
