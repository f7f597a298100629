using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lineage.Testing;

/// <summary>
/// Starts the real servers tests and benchmarks run against, on 127.0.0.1 only: a throwaway PostgreSQL
/// cluster and the moto S3 emulator. Shared (as source) by the test project and the benchmarks.
/// </summary>
internal static class LocalServers
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Runs a program to its end; <paramref name="environment"/> sets variables for it, and removes those given as null.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory ?? string.Empty };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} did not finish within {timeout}.");
        }

        return (process.ExitCode, new StringBuilder().Append(await stdout).Append(await stderr).ToString());
    }

    /// <summary>The repository's root folder (where Generators.sln is), found above the running tests.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Generators.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Generators.sln) above " + AppContext.BaseDirectory);
    }

    public static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
}

/// <summary>
/// A PostgreSQL cluster in a temp folder: initdb (as the <c>postgres</c> user when running as root, since
/// initdb refuses root), 127.0.0.1 on a free port, fsync off, SCRAM password authentication over TCP.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    public const string User = "lineage";
    public const string Password = "pg-Test-Secret-42";

    private readonly string _root;
    private readonly string _binDirectory;
    private readonly int _port;
    private readonly bool _crashSafe;

    private PostgresCluster(string root, string binDirectory, int port, bool crashSafe)
    {
        _root = root;
        _binDirectory = binDirectory;
        _port = port;
        _crashSafe = crashSafe;
        AdminUrl = $"postgresql://{User}:{Password}@127.0.0.1:{port}/postgres";
    }

    /// <summary>URL of the <c>postgres</c> database, with the password, as users write them.</summary>
    public string AdminUrl { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>The running server's process id (the postmaster, first line of <c>postmaster.pid</c>): its children are the backends.</summary>
    public int ServerProcessId => int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Creates and starts a cluster.</summary>
    /// <param name="crashSafe">
    /// Commits are acknowledged only once written, so they survive <see cref="StopAsync"/> with <c>immediate</c> (a crash);
    /// otherwise commits are asynchronous, which is faster and enough for a server that is never killed.
    /// </param>
    public static async Task<PostgresCluster> StartAsync(bool crashSafe = false)
    {
        var bin = await FindBinDirectoryAsync() ?? throw new InvalidOperationException("no PostgreSQL server binaries (pg_config --bindir, /usr/lib/postgresql/*/bin)");
        // A throwaway cluster: on tmpfs when the machine has one, where CREATE DATABASE (one per test) is ten times faster.
        var scratch = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        var root = Path.Combine(scratch, "lineage-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        var passwordFile = Path.Combine(root, "password");
        await File.WriteAllTextAsync(passwordFile, Password);
        if (IsRoot)
        {
            var (code, output) = await LocalServers.RunAsync("chown", ["-R", "postgres:postgres", root], TimeSpan.FromSeconds(30));
            if (code != 0)
            {
                throw new InvalidOperationException($"cannot hand {root} to the postgres user: {output}");
            }
        }

        var port = LocalServers.FreePort();
        var cluster = new PostgresCluster(root, bin, port, crashSafe);
        var initdb = await RunAsPostgresAsync(Path.Combine(bin, "initdb"),
            ["-D", cluster.DataDirectory, "-U", User, "--pwfile", passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"],
            TimeSpan.FromMinutes(2));
        if (initdb.ExitCode != 0)
        {
            throw new InvalidOperationException($"initdb failed: {initdb.Output}");
        }

        await cluster.StartServerAsync();
        return cluster;
    }

    /// <summary>
    /// Stops the server: <c>fast</c> disconnects every client and shuts down cleanly, <c>immediate</c> kills it as a crash would.
    /// Only for a cluster a test started for itself: others share <see cref="StartAsync"/>'s fixture cluster.
    /// </summary>
    public async Task StopAsync(string mode)
    {
        var (code, output) = await RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "stop", "-w", "-m", mode], TimeSpan.FromSeconds(60));
        if (code != 0)
        {
            throw new InvalidOperationException($"pg_ctl stop failed: {output}");
        }
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>, on the same port with the same data.</summary>
    public Task RestartAsync() => StartServerAsync();

    private async Task StartServerAsync()
    {
        // fsync off only risks data when the machine itself crashes; synchronous_commit off loses acknowledged commits when the server does.
        var commits = _crashSafe ? string.Empty : " -c synchronous_commit=off";
        var settings = $"-c listen_addresses=127.0.0.1 -p {_port} -c fsync=off{commits} -c full_page_writes=off -c unix_socket_directories={_root} -c max_connections=300";
        var log = Path.Combine(_root, "server.log");
        var start = await RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "-l", log, "-w", "-t", "60", "-o", settings, "start"], TimeSpan.FromMinutes(2));
        if (start.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl start failed: {start.Output} {(File.Exists(log) ? await File.ReadAllTextAsync(log) : string.Empty)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsPostgresAsync(Path.Combine(_binDirectory, "pg_ctl"), ["-D", DataDirectory, "stop", "-m", "immediate"], TimeSpan.FromSeconds(60));
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static Task<(int ExitCode, string Output)> RunAsPostgresAsync(string tool, string[] arguments, TimeSpan timeout) =>
        IsRoot
            ? LocalServers.RunAsync("runuser", ["-u", "postgres", "--", tool, .. arguments], timeout)
            : LocalServers.RunAsync(tool, arguments, timeout);

    private static async Task<string?> FindBinDirectoryAsync()
    {
        if (LocalServers.FindOnPath("pg_config") is { } pgConfig)
        {
            var (code, output) = await LocalServers.RunAsync(pgConfig, ["--bindir"], TimeSpan.FromSeconds(30));
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

/// <summary>The moto S3 emulator (<c>moto_server</c>) on 127.0.0.1 and a free port.</summary>
internal sealed class MotoEmulator : IDisposable
{
    private readonly Process _process;

    private MotoEmulator(Process process, string endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    /// <summary>Starts moto on <paramref name="port"/> (a free one when null; a fault test restarts on the port it killed).</summary>
    public static async Task<MotoEmulator> StartAsync(int? port = null)
    {
        var moto = LocalServers.FindOnPath("moto_server") ?? throw new InvalidOperationException("moto_server is not on PATH");
        port ??= LocalServers.FreePort();
        var start = new ProcessStartInfo(moto) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.Value.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start moto_server");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var emulator = new MotoEmulator(process, $"http://127.0.0.1:{port}");

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                emulator.Dispose();
                throw new InvalidOperationException($"moto_server exited with code {process.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(emulator.Endpoint + "/");
                return emulator;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }

        emulator.Dispose();
        throw new InvalidOperationException("moto_server did not answer within 60 s");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
