using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Lineage.Cli.Tests.Ui;

/// <summary>The real <c>lineage ui</c> as a child process on a home, until disposed; its address read from what it prints.</summary>
public sealed partial class UiServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output;

    private UiServerProcess(Process process, List<string> output)
    {
        _process = process;
        _output = output;
    }

    /// <summary>The address the tool printed (with <c>?token=</c> when it has one).</summary>
    public required string PrintedUrl { get; init; }

    /// <summary>The same server reached on the loopback address: <c>http://127.0.0.1:PORT/</c>.</summary>
    public required Uri Loopback { get; init; }

    /// <summary>Everything it printed so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static async Task<UiServerProcess> StartAsync(CliHome home, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = home.Path,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Lineage.Cli.dll"));
        start.ArgumentList.Add("ui");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LINEAGE_HOME"] = home.Path;
        start.Environment.Remove("LINEAGE_DATABASE_URL");
        start.Environment.Remove("LINEAGE_ARTIFACT_STORAGE_DIR");
        var process = Process.Start(start)!;
        var lines = new List<string>();
        var serving = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null)
            {
                serving.TrySetException(new InvalidOperationException("lineage ui ended before serving:\n" + string.Join('\n', lines)));
                return;
            }

            lock (lines)
            {
                lines.Add(line);
            }

            if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal))
            {
                // Printed last, after the address and any generated token.
                lock (lines)
                {
                    serving.TrySetResult(lines.Select(l => ServingLine().Match(l)).First(m => m.Success).Groups["url"].Value);
                }
            }
        }

        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (lines)
                {
                    lines.Add(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        string url;
        try
        {
            url = await serving.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        var port = int.Parse(PortOf().Match(url).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return new UiServerProcess(process, lines) { PrintedUrl = url, Loopback = new Uri($"http://127.0.0.1:{port}/") };
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"^Serving .* \(read-only\) at (?<url>http://\S+)$")]
    private static partial Regex ServingLine();

    [GeneratedRegex(@":(?<port>\d+)/")]
    private static partial Regex PortOf();
}
