using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using IrisPipeline;
using Lineage.Testing;
using Lineage.Tests.Backends;

namespace Lineage.Tests.Samples;

/// <summary>
/// Runs the ASP.NET Core sample as a service would run: after the pipeline sample trained iris-model and pointed production at
/// it, on a real Kestrel on 127.0.0.1, asked over HTTP.
/// </summary>
public sealed class ModelServiceTests
{
    [Fact]
    public async Task The_service_loads_iris_model_at_production_at_start_predicts_with_it_reports_health_and_traces_requests_and_the_store()
    {
        using var home = new TestHome();
        var settings = new Dictionary<string, string> { ["LINEAGE_HOME"] = home.Path };
        var trained = await ProgramRunner.RunAsync("IrisPipeline", [], settings);
        Assert.True(trained.ExitCode == 0, trained.Output + trained.Error);
        IrisModel expected;
        using (var store = ArtifactStore.Open(new LineageOptions { Home = home.Path }))
        {
            expected = store.Load<IrisModel>("iris-model@production");
        }

        await using var service = await RunningService.StartAsync(settings);
        using var http = new HttpClient { BaseAddress = service.Address };

        var health = await http.GetAsync("/health", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var model = await http.GetFromJsonAsync<ModelInfo>("/model", TestContext.Current.CancellationToken);
        Assert.Equal(("iris-model", 1), (model!.Name, model.Version));
        Assert.Equal(["production"], model.Aliases);

        var response = await http.PostAsJsonAsync("/predict", new { features = new[] { 4.7f, 1.4f } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var prediction = await response.Content.ReadFromJsonAsync<PredictionResult>(TestContext.Current.CancellationToken);
        Assert.Equal(expected.Bias + (4.7f * expected.Weights[0]) + (1.4f * expected.Weights[1]), prediction!.SepalLength, 0.0001f);
        Assert.Equal("iris-model@1", prediction.Model);

        var wrong = await http.PostAsJsonAsync("/predict", new { features = new[] { 4.7f } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);

        var output = await service.StopAsync();
        Assert.Contains("Serving iris-model@production: version 1", output, StringComparison.Ordinal);
        // The console exporter's span for the prediction request.
        Assert.Contains("Activity.DisplayName:        POST /predict", output, StringComparison.Ordinal);
        Assert.Contains("service.name: ModelService", output, StringComparison.Ordinal);
        // Lineage's own span for the model loaded at start, its log event through the host's logging, and its meter at shutdown.
        Assert.Contains("Activity.DisplayName:        lineage.load", output, StringComparison.Ordinal);
        Assert.Contains("lineage.artifact.name: iris-model", output, StringComparison.Ordinal);
        Assert.Contains("Opened the store on sqlite:///", output, StringComparison.Ordinal);
        Assert.Contains("Metric Name: lineage.bytes_read", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_production_model_the_service_fails_at_start_with_the_stores_message()
    {
        using var home = new TestHome();
        var settings = new Dictionary<string, string> { ["LINEAGE_HOME"] = home.Path };

        var (exitCode, output, error) = await ProgramRunner.RunAsync("ModelService", ["--urls", $"http://127.0.0.1:{LocalServers.FreePort()}"], settings, RunningService.ModelServiceDirectory);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Artifact 'iris-model' has no alias 'production' in sqlite:///", output + error, StringComparison.Ordinal);
    }

    private sealed record ModelInfo(string Name, int Version, string[] Aliases);

    private sealed record PredictionResult(float SepalLength, string Model);

    /// <summary>The sample as a process on a free loopback port, its output kept for assertions.</summary>
    private sealed class RunningService : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private RunningService(Process process, Uri address)
        {
            _process = process;
            Address = address;
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public Uri Address { get; }

        /// <summary>The sample's own build output (see Lineage.Tests.csproj: it is built first, not copied here).</summary>
        public static string ModelServiceDirectory => typeof(ModelServiceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "ModelServiceDirectory").Value!;

        public static async Task<RunningService> StartAsync(IReadOnlyDictionary<string, string> environment)
        {
            var address = new Uri($"http://127.0.0.1:{LocalServers.FreePort()}");
            var service = new RunningService(ProgramRunner.Start("ModelService", ["--urls", address.ToString()], environment, ModelServiceDirectory), address);
            using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
            var deadline = Stopwatch.StartNew();
            while (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                if (service._process.HasExited)
                {
                    throw new InvalidOperationException($"ModelService exited with {service._process.ExitCode}: {service.Output}");
                }

                try
                {
                    using var answer = await probe.GetAsync("/health");
                    return service;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(200);
                }
            }

            await service.DisposeAsync();
            throw new TimeoutException($"ModelService did not answer on {address} within 60 s: {service.Output}");
        }

        private string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        /// <summary>Stops the service as a host would be stopped (SIGTERM), and returns everything it wrote.</summary>
        public async Task<string> StopAsync()
        {
            if (!_process.HasExited)
            {
                Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await _process.WaitForExitAsync(timeout.Token);
            }

            _process.WaitForExit();
            return Output;
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

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
