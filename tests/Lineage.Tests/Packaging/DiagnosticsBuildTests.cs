using System.Text.RegularExpressions;
using Lineage.Testing;

namespace Lineage.Tests.Packaging;

/// <summary>
/// Every LIN diagnostic as a user meets it: a real <c>dotnet build</c> of throwaway projects that reference only the
/// packed Lineage package, with each trigger in its own file and line so the build output names file(line,column).
/// </summary>
public sealed class DiagnosticsBuildTests(PackedLineage package) : IClassFixture<PackedLineage>
{
    // LIN0003 needs a project that states only one of the two settings, so it lives in a library the consumer references.
    private const string HalfConfiguredJson = """
        {
          "database_url": "sqlite:///half.sqlite"
        }
        """;

    private const string InvalidJson = """
        {
          "database_url": "mysql://db.internal/lineage",
          "artifact_storge_dir": "values",
          "storage_options": { "endpoint": "http://127.0.0.1:9000" }
        }
        """;

    private const string InvalidStorage = """
        using Lineage;

        [assembly: ArtifactStorage(
            DatabaseUrl = "sqlite:///s3://team-bucket/lineage.sqlite",
            ArtifactStorageDir = "gs://team-bucket/artifacts",
            StorageOptions = new[] { "secret=wJalrXUtnFEMI" })]
        """;

    private const string InvalidNames = """
        using Lineage;

        namespace Consumer.App;

        public static class Names
        {
            [Artifact("iris model!")]
            public static int[] Invalid() => [1];

            [Artifact("iris-model")]
            public static int[] First() => [2];

            [Artifact("iris_model")]
            public static int[] Second() => [3];
        }
        """;

    private const string InvalidSignatures = """
        using Lineage;

        namespace Consumer.App;

        public static class Signatures
        {
            [Artifact("nothing")]
            public static void ReturnsNothing() { }

            [Artifact("by-ref")]
            public static int[] ByRef(ref int seed) => [seed];
        }
        """;

    private const string InvalidTypes = """
        using Lineage;

        namespace Consumer.App;

        public sealed class Scaler
        {
            public double Factor { get; set; }
        }

        [Artifact]
        public sealed record Model(float[] Weights, Scaler Scaler);

        public static class Holder
        {
            [Artifact]
            private sealed record Hidden(int Value);

            public static object Make() => new Hidden(1);
        }
        """;

    private const string ValidJson = """
        {
          "database_url": "postgresql://lineage@db.internal:5432/lineage",
          "artifact_storage_dir": "s3://valid-bucket/prefix",
          "storage_options": { "profile": "research", "region": "eu-west-1" }
        }
        """;

    private const string ValidCode = """
        using Lineage;

        namespace Consumer.App;

        public enum Species { Setosa, Versicolor, Virginica }

        [Artifact]
        public sealed record Measurement(float SepalLength, Species Species);

        [Artifact]
        public sealed record Dataset(Measurement[] Rows, List<Measurement> Extra, Dictionary<string, Measurement> ByName, Species? Dominant);

        public static class Training
        {
            [Artifact("iris-model")]
            public static async Task<Dataset> TrainAsync(Measurement[] rows, IProgress<int> progress, CancellationToken cancellationToken)
            {
                await Task.Yield();
                progress.Report(rows.Length);
                cancellationToken.ThrowIfCancellationRequested();
                return new Dataset(rows, [], [], null);
            }

            public static LineageOptions Options() => new()
            {
                DatabaseUrl = Environment.GetEnvironmentVariable("LINEAGE_DATABASE_URL"),
                StorageOptions = { ["profile"] = "research" },
            };
        }
        """;

    [Fact]
    public async Task A_build_with_every_trigger_reports_each_id_at_its_file_and_line()
    {
        using var work = new TestHome();
        WriteFeedConfig(work);
        var half = WriteProject(work, "half", references: null, ("lineage.json", HalfConfiguredJson));
        var consumer = WriteProject(work, "consumer", references: half,
            ("lineage.json", InvalidJson), ("Storage.cs", InvalidStorage), ("Names.cs", InvalidNames),
            ("Signatures.cs", InvalidSignatures), ("Types.cs", InvalidTypes));

        var build = await LocalServers.RunAsync("dotnet", ["build", consumer, "--nologo", "-p:TreatWarningsAsErrors=false"], TimeSpan.FromMinutes(5));

        Assert.NotEqual(0, build.ExitCode);
        AssertReported(build.Output, @"half[/\\]lineage\.json\(2,19\): warning LIN0003");
        AssertReported(build.Output, @"consumer[/\\]lineage\.json\(2,19\): error LIN0001: .*'mysql'");
        AssertReported(build.Output, @"consumer[/\\]lineage\.json\(3,3\): error LIN0007: .*'artifact_storge_dir'");
        AssertReported(build.Output, @"consumer[/\\]lineage\.json\(4,24\): warning LIN0005: .*'endpoint_url'");
        AssertReported(build.Output, @"Storage\.cs\(4,19\): error LIN0006");
        AssertReported(build.Output, @"Storage\.cs\(5,26\): error LIN0002: .*S3-compatible endpoint");
        AssertReported(build.Output, @"Storage\.cs\(6,30\): warning LIN0004");
        AssertReported(build.Output, @"Names\.cs\(7,15\): error LIN0100");
        AssertReported(build.Output, @"Names\.cs\(13,15\): error LIN0101: .*Artifacts\.IrisModel");
        AssertReported(build.Output, @"Signatures\.cs\(8,19\): error LIN0102");
        AssertReported(build.Output, @"Signatures\.cs\(11,39\): error LIN0103");
        AssertReported(build.Output, @"Types\.cs\(11,45\): error LIN0104: .*mark it \[Artifact\]");
        AssertReported(build.Output, @"Types\.cs\(16,27\): error LIN0105");
        Assert.DoesNotContain("AD0001", build.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_of_the_valid_neighbours_succeeds_with_warnings_as_errors_and_no_Lineage_diagnostic()
    {
        using var work = new TestHome();
        WriteFeedConfig(work);
        var consumer = WriteProject(work, "consumer", references: null, ("lineage.json", ValidJson), ("Training.cs", ValidCode));

        var build = await LocalServers.RunAsync("dotnet", ["build", consumer, "--nologo"], TimeSpan.FromMinutes(5));

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.DoesNotMatch(@"LIN0\d{3}", build.Output);
    }

    private static void AssertReported(string output, string pattern) =>
        Assert.True(Regex.IsMatch(output, pattern), $"The build output has no match for {pattern}:\n{output}");

    private void WriteFeedConfig(TestHome work)
    {
        Assert.True(package.PackOutput is null, package.PackOutput);
        // Beside both projects: adds the local feed to the machine's configured sources (which provide Lineage's dependencies).
        File.WriteAllText(work.Sub("nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="lineage-local" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>A library project named after <paramref name="name"/>, with warnings as errors unless the build says otherwise.</summary>
    private string WriteProject(TestHome work, string name, string? references, params (string File, string Text)[] files)
    {
        var directory = work.Sub(name);
        Directory.CreateDirectory(directory);
        var reference = references is null ? "" : $"""<ProjectReference Include="{Path.Combine(references, Path.GetFileName(references) + ".csproj")}" />""";
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Lineage" Version="{package.Version}" />
                {reference}
              </ItemGroup>
            </Project>
            """);
        foreach (var (file, text) in files)
        {
            File.WriteAllText(Path.Combine(directory, file), text);
        }

        return directory;
    }
}
