using System.Diagnostics;
using System.Globalization;

namespace Lineage.Testing;

/// <summary>
/// Azurite's blob service (the npm package <c>azurite</c>) on 127.0.0.1 and a free port, keeping blobs in memory (or, with
/// <c>onDisk</c>, in its temp folder, removed on dispose: a benchmark's hundreds of MiB per call would fill the memory). Found on
/// PATH as <c>azurite-blob</c>, or where .ci/run installs it: <c>artifacts/tools/azurite</c> under the repository.
/// </summary>
internal sealed class AzuriteEmulator : IDisposable
{
    /// <summary>The account and key every Azurite knows (published by Microsoft; not a secret).</summary>
    public const string AccountName = "devstoreaccount1";
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _workspace;
    private readonly int _port;
    private readonly bool _onDisk;
    private Process? _process;

    private AzuriteEmulator(string workspace, int port, bool onDisk)
    {
        _workspace = workspace;
        _port = port;
        _onDisk = onDisk;
        Endpoint = $"http://127.0.0.1:{port}/{AccountName}";
    }

    /// <summary>The blob service URL of the account: <c>http://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The development connection string pointing at this emulator.</summary>
    public string ConnectionString => ConnectionStringFor(Endpoint);

    public static string ConnectionStringFor(string endpoint) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={endpoint};";

    /// <summary>Where azurite-blob is: PATH, then the repository's artifacts/tools/azurite; null when neither has it.</summary>
    public static string? FindExecutable()
    {
        if (LocalServers.FindOnPath("azurite-blob") is { } onPath)
        {
            return onPath;
        }

        try
        {
            var local = Path.Combine(LocalServers.RepositoryRoot(), "artifacts", "tools", "azurite", "node_modules", ".bin", "azurite-blob");
            return File.Exists(local) ? local : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public static async Task<AzuriteEmulator> StartAsync(bool onDisk = false)
    {
        var workspace = Path.Combine(Path.GetTempPath(), "lineage-azurite-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(workspace);
        var emulator = new AzuriteEmulator(workspace, LocalServers.FreePort(), onDisk);
        try
        {
            await emulator.RunAsync();
            return emulator;
        }
        catch
        {
            emulator.Dispose();
            throw;
        }
    }

    /// <summary>Kills the process, as an endpoint that dies; its folder stays, so <see cref="RestartAsync"/> can bring it back.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
    }

    /// <summary>Starts it again on the same port (after <see cref="Kill"/>); on disk, with the blobs it held.</summary>
    public Task RestartAsync()
    {
        Kill();
        _process?.Dispose();
        return RunAsync();
    }

    private async Task RunAsync()
    {
        var azurite = FindExecutable()
            ?? throw new InvalidOperationException("azurite-blob is neither on PATH nor in artifacts/tools/azurite (bash .ci/run installs it there from npm)");
        var start = new ProcessStartInfo(azurite) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _workspace };
        foreach (var argument in new[]
                 {
                     "--blobHost", "127.0.0.1", "--blobPort", _port.ToString(CultureInfo.InvariantCulture),
                     "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent",
                 }.Concat(_onDisk ? ["--location", _workspace] : ["--inMemoryPersistence"]))
        {
            start.ArgumentList.Add(argument);
        }

        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start azurite-blob");
        process.OutputDataReceived += (_, line) => { if (line.Data is { } text) { output.Enqueue(text); } };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { } text) { output.Enqueue(text); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"azurite-blob exited with code {process.ExitCode}: {string.Join(" | ", output.TakeLast(5))}");
            }

            try
            {
                // Any answer (403 for an unsigned request) means it listens.
                using var response = await http.GetAsync(Endpoint + "?comp=list");
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(200);
            }
        }

        throw new InvalidOperationException("azurite-blob did not answer within 60 s");
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        try
        {
            Directory.Delete(_workspace, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder: left for the OS to clean.
        }
    }
}
