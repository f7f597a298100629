using Lineage.Testing;

namespace Lineage.Tests.Packaging;

/// <summary>The Lineage package packed once from this repository into a local folder feed, for the consumer tests.</summary>
public sealed class PackedLineage : IAsyncLifetime
{
    private readonly TestHome _work = new();

    public string Version { get; } = "0.0.0-consumer." + Guid.NewGuid().ToString("N")[..12];

    public string Feed => _work.Sub("feed");

    public string? PackOutput { get; private set; }

    public async ValueTask InitializeAsync()
    {
        var pack = await LocalServers.RunAsync("dotnet",
            ["pack", Path.Combine(PackageConsumerTests.RepositoryRoot(), "src", "Lineage", "Lineage.csproj"), "-c", "Release", "-o", Feed, $"-p:Version={Version}", "--nologo"],
            TimeSpan.FromMinutes(12));
        PackOutput = pack.ExitCode == 0 ? null : pack.Output;
    }

    public ValueTask DisposeAsync()
    {
        _work.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// The Lineage package as a user gets it: restored from a local folder feed into a throwaway project that
/// references nothing else, built with warnings as errors and nullable on, and run.
/// </summary>
public sealed class PackageConsumerTests(PackedLineage package) : IClassFixture<PackedLineage>
{
    private const string ConsumerProject = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
            <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
            <RootNamespace>Consumer.App</RootNamespace>
          </PropertyGroup>
          <ItemGroup>
            <PackageReference Include="Lineage" Version="VERSION" />
          </ItemGroup>
        </Project>
        """;

    private const string ConsumerProgram = """
        using Lineage;

        var first = Consumer.App.Artifacts.Forecast.GetOrCompute(new Reading(3, [1.5, 2.5]));
        var again = Consumer.App.Artifacts.Forecast.GetOrCompute(new Reading(3, [1.5, 2.5]));
        var record = ArtifactStore.Default.Get(Consumer.App.Artifacts.Forecast.Name);
        Console.WriteLine($"forecast {first.Value} {again.Value} v{record.Version} of {Consumer.App.Artifacts.Forecast.Versions().Count}");
        Console.WriteLine($"code {record.CodeVersion == Consumer.App.Artifacts.Forecast.CodeVersion} {record.SourceCode!.Contains("Scale(")}");
        Console.WriteLine($"built from {record.AssemblyName} {record.AssemblyVersion} at {record.SourceRevision}");

        [Artifact]
        public sealed record Reading(int Days, double[] Values);

        [Artifact]
        public sealed class Prediction
        {
            public double Value { get; set; }
        }

        public static class Model
        {
            [Artifact("forecast")]
            public static Prediction Predict(Reading reading) => new() { Value = Scale(reading.Values.Sum(), reading.Days) };

            private static double Scale(double total, int days) => total * days;
        }
        """;

    private const string ConfiguredProgram = """
        using Lineage;

        var store = ArtifactStore.Default;
        Console.WriteLine($"database {store.Options.DatabaseUrlSource} {store.Options.DatabaseUrl}");
        Console.WriteLine($"storage {store.Options.ArtifactStorageDirSource} {store.Options.ArtifactStorageDir}");
        """;

    [Fact]
    public async Task A_project_with_only_the_Lineage_package_gets_runtime_and_generated_code()
    {
        using var work = new TestHome();
        var consumer = await CreateConsumerAsync(work, ConsumerProgram);

        var build = await LocalServers.RunAsync("dotnet", ["build", consumer, "--nologo", "-p:SourceRevisionId=0123abc", "-p:Version=2.3.4"], TimeSpan.FromMinutes(12));
        Assert.True(build.ExitCode == 0, build.Output);

        var run = await RunWithHomeAsync(Path.Combine(consumer, "bin", "Debug", "net10.0", "Consumer.dll"), work.Sub("lineage-home"));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("forecast 12 12 v1 of 1", run.Output);
        Assert.Contains("code True True", run.Output);
        Assert.Contains("built from Consumer 2.3.4.0 at 0123abc", run.Output);
    }

    [Fact]
    public async Task A_bad_lineage_json_fails_the_build_at_its_line_and_the_fixed_file_becomes_the_programs_default()
    {
        using var work = new TestHome();
        var consumer = await CreateConsumerAsync(work, ConfiguredProgram);
        var config = Path.Combine(consumer, "lineage.json");
        await File.WriteAllTextAsync(config, """
            {
              "artifact_storage_dir": "team-values",
              "database_url": "mysql://db.internal/lineage"
            }
            """, TestContext.Current.CancellationToken);

        var broken = await LocalServers.RunAsync("dotnet", ["build", consumer, "--nologo"], TimeSpan.FromMinutes(12));

        Assert.NotEqual(0, broken.ExitCode);
        Assert.Matches(@"lineage\.json\(3,19\): error LIN0001: .*unsupported scheme 'mysql'", broken.Output);

        await File.WriteAllTextAsync(config, """
            {
              "artifact_storage_dir": "team-values",
              "database_url": "sqlite:///team.sqlite"
            }
            """, TestContext.Current.CancellationToken);
        var fixedBuild = await LocalServers.RunAsync("dotnet", ["build", consumer, "--nologo"], TimeSpan.FromMinutes(12));
        Assert.True(fixedBuild.ExitCode == 0, fixedBuild.Output);

        var program = Path.Combine(consumer, "bin", "Debug", "net10.0", "Consumer.dll");
        var compiledIn = await RunWithHomeAsync(program, work.Sub("lineage-home"), workingDirectory: work.Path);
        Assert.True(compiledIn.ExitCode == 0, compiledIn.Output);
        Assert.Contains($"database ProjectConfig sqlite:///{work.Sub("team.sqlite")}", compiledIn.Output);
        Assert.Contains($"storage ProjectConfig {work.Sub("team-values")}", compiledIn.Output);

        var fromEnvironment = await RunWithHomeAsync(program, work.Sub("lineage-home"), workingDirectory: work.Path,
            environment: ("LINEAGE_DATABASE_URL", "sqlite:///" + work.Sub("env.sqlite")));
        Assert.Contains($"database Environment sqlite:///{work.Sub("env.sqlite")}", fromEnvironment.Output);
        Assert.Contains($"storage ProjectConfig {work.Sub("team-values")}", fromEnvironment.Output);
    }

    [Fact]
    public void The_package_carries_the_diagnostics_page_its_help_links_open_and_names_its_home()
    {
        Assert.True(package.PackOutput is null, package.PackOutput);
        using var nupkg = System.IO.Compression.ZipFile.OpenRead(Path.Combine(package.Feed, $"Lineage.{package.Version}.nupkg"));

        var page = nupkg.GetEntry("docs/diagnostics.md");
        Assert.NotNull(page);
        using (var reader = new StreamReader(page.Open()))
        {
            Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md")), reader.ReadToEnd());
        }

        using var nuspec = new StreamReader(nupkg.GetEntry("Lineage.nuspec")!.Open());
        Assert.Contains("<projectUrl>https://github.com/lineage-dotnet/lineage</projectUrl>", nuspec.ReadToEnd(), StringComparison.Ordinal);
    }

    private async Task<string> CreateConsumerAsync(TestHome work, string program)
    {
        Assert.True(package.PackOutput is null, package.PackOutput);
        var consumer = work.Sub("consumer");
        Directory.CreateDirectory(consumer);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), ConsumerProject.Replace("VERSION", package.Version, StringComparison.Ordinal), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), program, TestContext.Current.CancellationToken);
        // Adds the local feed to the machine's configured sources (which provide Lineage's own dependencies).
        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="lineage-local" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """, TestContext.Current.CancellationToken);
        return consumer;
    }

    private static async Task<(int ExitCode, string Output)> RunWithHomeAsync(string program, string home, string? workingDirectory = null, (string Name, string Value)? environment = null)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(program);
        start.WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(program)!;
        start.Environment["LINEAGE_HOME"] = home;
        start.Environment.Remove("LINEAGE_DATABASE_URL");
        start.Environment.Remove("LINEAGE_ARTIFACT_STORAGE_DIR");
        if (environment is { } variable)
        {
            start.Environment[variable.Name] = variable.Value;
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    internal static string RepositoryRoot() => LocalServers.RepositoryRoot();
}
