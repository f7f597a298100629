using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;

[assembly: AssemblyFixture(typeof(Lineage.Tests.Servers.S3Server))]

namespace Lineage.Tests.Servers;

/// <summary>
/// An S3 emulator (moto_server) on 127.0.0.1 and a free port for the whole test run; each test asks for
/// its own bucket. Set <c>LINEAGE_TEST_S3_ENDPOINT</c> (with <c>LINEAGE_TEST_S3_KEY</c>/<c>_SECRET</c>) to use an existing one.
/// </summary>
public sealed class S3Server : IAsyncLifetime
{
    public const string Key = "lineage-test-key";
    public const string Secret = "lineage-test-secret-value";
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private Process? _process;
    private string? _endpoint;
    private string? _failure;
    private bool _started;

    public string AccessKey { get; private set; } = Key;

    public string SecretKey { get; private set; } = Secret;

    /// <summary>The endpoint, or skips/fails the calling test when no emulator can run.</summary>
    public async Task<string> EndpointAsync()
    {
        await EnsureStartedAsync();
        if (_endpoint is null)
        {
            ServerProcess.Unavailable("The S3 emulator", _failure ?? "unknown reason");
        }

        return _endpoint!;
    }

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
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        return ValueTask.CompletedTask;
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
            if (Environment.GetEnvironmentVariable("LINEAGE_TEST_S3_ENDPOINT") is { Length: > 0 } existing)
            {
                _endpoint = existing;
                AccessKey = Environment.GetEnvironmentVariable("LINEAGE_TEST_S3_KEY") ?? Key;
                SecretKey = Environment.GetEnvironmentVariable("LINEAGE_TEST_S3_SECRET") ?? Secret;
                return;
            }

            await StartMotoAsync();
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

    private async Task StartMotoAsync()
    {
        var moto = ServerProcess.FindOnPath("moto_server") ?? throw new InvalidOperationException("moto_server is not on PATH");
        var port = ServerProcess.FreePort();
        var start = new ProcessStartInfo(moto) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-H", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("cannot start moto_server");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var endpoint = $"http://127.0.0.1:{port}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode}");
            }

            try
            {
                using var response = await http.GetAsync(endpoint + "/");
                _endpoint = endpoint;
                return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new InvalidOperationException("moto_server did not answer within 60 s");
    }
}
