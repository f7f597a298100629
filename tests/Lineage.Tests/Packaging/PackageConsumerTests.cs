using Lineage.Testing;

namespace Lineage.Tests.Packaging;

/// <summary>
/// The Lineage package as a user gets it: packed from this repository, restored from a local folder feed into a
/// throwaway project that references nothing else, built with warnings as errors and nullable on, and run.
/// </summary>
public sealed class PackageConsumerTests
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

    [Fact]
    public async Task A_project_with_only_the_Lineage_package_gets_runtime_and_generated_code()
    {
        using var work = new TestHome();
        var repository = RepositoryRoot();
        var version = "0.0.0-consumer." + Guid.NewGuid().ToString("N")[..12];
        var feed = work.Sub("feed");

        var pack = await LocalServers.RunAsync("dotnet",
            ["pack", Path.Combine(repository, "src", "Lineage", "Lineage.csproj"), "-c", "Release", "-o", feed, $"-p:Version={version}", "--nologo"],
            TimeSpan.FromMinutes(5));
        Assert.True(pack.ExitCode == 0, pack.Output);

        var consumer = work.Sub("consumer");
        Directory.CreateDirectory(consumer);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Consumer.csproj"), ConsumerProject.Replace("VERSION", version, StringComparison.Ordinal), TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), ConsumerProgram, TestContext.Current.CancellationToken);
        // Adds the local feed to the machine's configured sources (which provide Lineage's own dependencies).
        await File.WriteAllTextAsync(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="lineage-local" value="{feed}" />
              </packageSources>
            </configuration>
            """, TestContext.Current.CancellationToken);

        var build = await LocalServers.RunAsync("dotnet", ["build", consumer, "--nologo", "-p:SourceRevisionId=0123abc", "-p:Version=2.3.4"], TimeSpan.FromMinutes(5));
        Assert.True(build.ExitCode == 0, build.Output);

        var run = await RunWithHomeAsync(Path.Combine(consumer, "bin", "Debug", "net10.0", "Consumer.dll"), work.Sub("lineage-home"));
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("forecast 12 12 v1 of 1", run.Output);
        Assert.Contains("code True True", run.Output);
        Assert.Contains("built from Consumer 2.3.4.0 at 0123abc", run.Output);
    }

    private static async Task<(int ExitCode, string Output)> RunWithHomeAsync(string program, string home)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(program);
        start.Environment["LINEAGE_HOME"] = home;
        start.Environment.Remove("LINEAGE_DATABASE_URL");
        start.Environment.Remove("LINEAGE_ARTIFACT_STORAGE_DIR");
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    private static string RepositoryRoot()
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
}
