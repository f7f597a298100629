using Npgsql;

[assembly: AssemblyFixture(typeof(Lineage.Tests.Servers.PostgresServer))]

namespace Lineage.Tests.Servers;

/// <summary>
/// A throwaway PostgreSQL cluster for the whole test run: initdb in a temp folder (as the <c>postgres</c>
/// user when running as root, since initdb refuses root), listening on 127.0.0.1 on a free port, fsync off,
/// password (SCRAM) authentication over TCP. Each test asks for its own database.
/// Set <c>LINEAGE_TEST_POSTGRES_URL</c> (an admin URL) to use an existing server instead.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string User = "lineage";
    public const string Password = "pg-Test-Secret-42";
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private string? _dataDirectory;
    private string? _binDirectory;
    private string? _adminUrl;
    private string? _failure;
    private bool _started;

    /// <summary>The server's admin URL, or skips/fails the calling test when no server can run.</summary>
    public async Task<string> AdminUrlAsync()
    {
        await EnsureStartedAsync();
        if (_adminUrl is null)
        {
            ServerProcess.Unavailable("PostgreSQL", _failure ?? "unknown reason");
        }

        return _adminUrl!;
    }

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
        if (_dataDirectory is not null && _binDirectory is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", _dataDirectory, "stop", "-m", "immediate"], TimeSpan.FromSeconds(60));
            try
            {
                Directory.Delete(Path.GetDirectoryName(_dataDirectory)!, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    internal static string ToConnectionString(string url) =>
        Lineage.Metadata.Postgres.PostgresUrl.ToConnectionString(Lineage.Configuration.DatabaseLocation.Parse(url, "/", "/")).ConnectionString;

    private static string WithDatabase(string url, string database)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        var withoutQuery = query < 0 ? url : url[..query];
        var slash = withoutQuery.IndexOf('/', "postgresql://".Length);
        return (slash < 0 ? withoutQuery : withoutQuery[..slash]) + "/" + database + (query < 0 ? string.Empty : url[query..]);
    }

    private async Task EnsureStartedAsync()
    {
        await _startGate.WaitAsync();
        try
        {
            if (_started)
            {
                return;
            }

            _started = true;
            if (Environment.GetEnvironmentVariable("LINEAGE_TEST_POSTGRES_URL") is { Length: > 0 } existing)
            {
                _adminUrl = existing;
                return;
            }

            await StartClusterAsync();
        }
        catch (Exception e)
        {
            _failure = e.Message;
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task StartClusterAsync()
    {
        _binDirectory = await FindBinDirectoryAsync() ?? throw new InvalidOperationException("no PostgreSQL server binaries (pg_config --bindir, /usr/lib/postgresql/*/bin)");
        var root = Path.Combine(Path.GetTempPath(), $"lineage-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(root);
        _dataDirectory = Path.Combine(root, "data");
        var passwordFile = Path.Combine(root, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (IsRoot)
        {
            var (code, output) = await ServerProcess.RunAsync("chown", ["-R", "postgres:postgres", root], TimeSpan.FromSeconds(30));
            if (code != 0)
            {
                throw new InvalidOperationException($"cannot hand {root} to the postgres user: {output}");
            }
        }

        var initdb = await RunAsPostgresAsync(Path.Combine(_binDirectory, "initdb"),
            ["-D", _dataDirectory, "-U", User, "--pwfile", passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"],
            TimeSpan.FromMinutes(2));
        if (initdb.ExitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed: {initdb.Output}");
        }

        var port = ServerProcess.FreePort();
        var options = $"-c listen_addresses=127.0.0.1 -p {port} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c unix_socket_directories={root} -c max_connections=300";
        var start = await RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"),
            ["-D", _dataDirectory, "-l", Path.Combine(root, "server.log"), "-w", "-t", "60", "-o", options, "start"], TimeSpan.FromMinutes(2));
        if (start.ExitCode != 0)
        {
            var log = File.Exists(Path.Combine(root, "server.log")) ? await File.ReadAllTextAsync(Path.Combine(root, "server.log")) : string.Empty;
            throw new InvalidOperationException($"pg_ctl start failed: {start.Output} {log}");
        }

        _adminUrl = $"postgresql://{User}:{Password}@127.0.0.1:{port}/postgres";
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static Task<(int ExitCode, string Output)> RunAsPostgresAsync(string tool, string[] arguments, TimeSpan timeout) =>
        IsRoot
            ? ServerProcess.RunAsync("runuser", ["-u", "postgres", "--", tool, .. arguments], timeout)
            : ServerProcess.RunAsync(tool, arguments, timeout);

    private static async Task<string?> FindBinDirectoryAsync()
    {
        if (ServerProcess.FindOnPath("pg_config") is { } pgConfig)
        {
            var (code, output) = await ServerProcess.RunAsync(pgConfig, ["--bindir"], TimeSpan.FromSeconds(30));
            var directory = output.Trim();
            if (code == 0 && File.Exists(Path.Combine(directory, "initdb")))
            {
                return directory;
            }
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
    }
}
