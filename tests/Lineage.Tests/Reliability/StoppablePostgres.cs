using Lineage.Testing;
using Lineage.Tests.Servers;
using Npgsql;

namespace Lineage.Tests.Reliability;

/// <summary>
/// A PostgreSQL cluster of the outage tests' own, which they stop and start: the shared <see cref="PostgresServer"/> serves
/// every other test at the same time and must never go down. Started on first use; xunit runs one class's tests one at a time,
/// so a test that stops it has it to itself, and restarts it before it ends. Commits are synchronous here: an acknowledged
/// save must survive <c>pg_ctl stop -m immediate</c>, as it does on a real server.
/// </summary>
public sealed class StoppablePostgres : IAsyncLifetime
{
    private readonly StartOnce<PostgresCluster> _cluster = new("A PostgreSQL cluster of the outage tests' own", () => PostgresCluster.StartAsync(crashSafe: true));
    private PostgresCluster? _started;

    /// <summary>The cluster, or skips (fails under CI) the calling test when none can run.</summary>
    internal async Task<PostgresCluster> ClusterAsync() => _started = await _cluster.GetAsync();

    /// <summary>Creates an empty database on the cluster and returns its URL, password included, as users write them.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var cluster = await ClusterAsync();
        var name = "outage_" + Guid.NewGuid().ToString("N")[..16];
        // Unpooled: a pooled connection would be one the last restart broke.
        await using (var connection = new NpgsqlConnection(PostgresServer.ToConnectionString(cluster.AdminUrl) + ";Pooling=false"))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return PostgresServer.WithDatabase(cluster.AdminUrl, name);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_started is not null)
        {
            await _started.DisposeAsync();
        }
    }
}
