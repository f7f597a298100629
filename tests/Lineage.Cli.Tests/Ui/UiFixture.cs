using System.Diagnostics;
using Lineage.Testing;
using Microsoft.Playwright;

namespace Lineage.Cli.Tests.Ui;

/// <summary>
/// One store with a small pipeline (prepare → train, twice → evaluate; metadata, an alias, hostile text), one
/// <c>lineage ui</c> serving it, and one headless Chromium (Debian's, installed when missing) driven by Playwright,
/// shared by the whole test class. Screenshots go to artifacts/test-results/ui/.
/// </summary>
public sealed class UiFixture : IAsyncLifetime
{
    /// <summary>Text that would run script if a page let it through unescaped.</summary>
    public const string Hostile = HostileCore + "&amp;'\"";

    /// <summary>The part of <see cref="Hostile"/> without quotes (which a metadata literal doubles).</summary>
    public const string HostileCore = "<script>window.pwned=1</script><img src=x onerror=\"window.pwned=2\">";

    public const string PrepareCode = "static float[] Prepare(string path) => File.ReadAllLines(path).Select(float.Parse).ToArray();";

    public const string TrainV1 = """
        static float[] Train(float[] data)
        {
            var mean = data.Average();
            return [mean];
        }
        """;

    public const string TrainV2 = """
        static float[] Train(float[] data)
        {
            var mean = data.Average();
            var spread = data.Max() - data.Min();
            return [mean, spread];
        }
        """;

    public const string EvaluateCode = "static string Evaluate(float[] model, float[] data) => $\"mean error {Math.Abs(model[0] - data[0]):0.00}\";";

    private const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private string? _problem;

    public CliHome Home { get; } = new();

    public UiServerProcess Server { get; private set; } = null!;

    public IBrowser? Browser { get; private set; }

    /// <summary>Uids of the runs the pipeline recorded.</summary>
    public string TrainRun { get; private set; } = string.Empty;

    public static string Screenshots { get; } = Path.Combine(LocalServers.RepositoryRoot(), "artifacts", "test-results", "ui");

    public async ValueTask InitializeAsync()
    {
        SavePipeline();
        Server = await UiServerProcess.StartAsync(Home, "--port", "0");
        Directory.CreateDirectory(Screenshots);
        try
        {
            if (!File.Exists(Chromium))
            {
                await InstallChromiumAsync();
            }

            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                // As root in a container, Chromium's sandbox cannot start.
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
                Timeout = 60_000,
            });
        }
        catch (Exception e) when (e is PlaywrightException or InvalidOperationException or IOException or System.ComponentModel.Win32Exception or TimeoutException)
        {
            _problem = $"Headless Chromium could not start: {e.Message}";
        }
    }

    /// <summary>A fresh page (own cookies) on the shared browser; the test is skipped when no browser could start, and fails under CI.</summary>
    public async Task<IPage> NewPageAsync()
    {
        if (Browser is null)
        {
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(_problem);
            }

            Assert.Skip(_problem ?? "no browser");
        }

        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        // Generous: under a loaded CI machine a page and its navigation have taken over 15 s; a real failure still fails.
        context.SetDefaultTimeout(45_000);
        return await context.NewPageAsync();
    }

    /// <summary>An address on the server: <c>/version?name=...</c>.</summary>
    public string Url(string pathAndQuery) => new Uri(Server.Loopback, pathAndQuery).ToString();

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Home.Dispose();
    }

    private void SavePipeline()
    {
        using var store = Home.Open();
        using (store.Runs.Start("prepare", new Dictionary<string, string> { ["source"] = "iris.csv" }))
        {
            store.Save("iris-data", new[] { 5.1f, 4.9f, 7.0f }, new ArtifactCode("prep-v1", PrepareCode));
        }

        using (var run = store.Runs.Start("train", new Dictionary<string, string> { ["epochs"] = "100", ["note"] = Hostile }))
        {
            var data = store.Load<float[]>("iris-data");
            store.Save("iris-model", new[] { data.Average() }, new ArtifactCode("train-v1", TrainV1));
        }

        using (var run = store.Runs.Start("train", new Dictionary<string, string> { ["epochs"] = "200" }))
        {
            var data = store.Load<float[]>("iris-data");
            store.Save("iris-model", new[] { data.Average(), data.Max() - data.Min() }, new ArtifactCode("train-v2", TrainV2));
            TrainRun = run.Uid;
        }

        store.Annotate("iris-model@1", metadata: [new("accuracy", 0.81), new("dataset", "iris")]);
        store.Annotate("iris-model@2", addTags: ["candidate"], metadata: [new("accuracy", 0.93), new("dataset", "iris")]);
        store.Aliases.Set("iris-model", "production", 2);
        using (store.Runs.Start("evaluate"))
        {
            store.Load<float[]>("iris-model");
            store.Load<float[]>("iris-data");
            store.Save("iris-report", "mean error 0.12", new ArtifactCode("eval-v1", EvaluateCode));
        }

        store.Annotate("iris-report@1", description: Hostile, metadata: [new("note", Hostile)]);
    }

    private static async Task InstallChromiumAsync()
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{Chromium} is missing; install Debian's chromium (apt-get install chromium) to run the browser tests.");
        }

        var start = new ProcessStartInfo("bash", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0 || !File.Exists(Chromium))
        {
            throw new InvalidOperationException($"apt-get install chromium failed (exit {process.ExitCode}): {await error}{await output}");
        }
    }
}
