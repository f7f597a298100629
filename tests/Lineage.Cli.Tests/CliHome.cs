using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Lineage.Cli.Tests;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    public JsonElement Json() => JsonDocument.Parse(Output).RootElement;

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>
/// A throwaway Lineage home, and the real <c>lineage</c> tool run against it as a child process with
/// LINEAGE_HOME pointing here (set on the child only, never in the test process).
/// </summary>
public sealed class CliHome : IDisposable
{
    public CliHome()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lineage-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string DatabaseUrl => "sqlite:///" + Sub("db.sqlite");

    public string Root => Sub("artifacts");

    public string Sub(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>A store on the same database and root the tool resolves by default for this home.</summary>
    public ArtifactStore Open() => ArtifactStore.Open(new LineageOptions { Home = Path, DatabaseUrl = DatabaseUrl, ArtifactStorageDir = Root });

    /// <summary>The file holding a version's value.</summary>
    public string ValueFile(ArtifactRecord record) => System.IO.Path.Combine(record.StorageRoot, record.Key);

    public Task<CliResult> RunAsync(params string[] args) => RunDllAsync("Lineage.Cli.dll", args);

    /// <summary>
    /// Runs the tool as a user whom file permissions bind: root (as the tests may run) writes read-only files regardless, so as root
    /// the tool runs without the capabilities that override permissions (setpriv), and a 0444 file is read-only to it too.
    /// </summary>
    public Task<CliResult> RunBoundByPermissionsAsync(params string[] args) =>
        Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root"
            ? RunDllAsync("Lineage.Cli.dll", args, ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", "dotnet"])
            : RunDllAsync("Lineage.Cli.dll", args);

    /// <summary>Runs a sample program built beside the tests (e.g. <c>IrisPipeline</c>) on this home, as a user would.</summary>
    /// <summary>Runs a console program the tests build (a sample, the save worker) from its own build folder (see the project file).</summary>
    public Task<CliResult> RunSampleAsync(string program, params string[] args)
    {
        var directory = typeof(CliHome).Assembly.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == program + "Directory")?.Value
            ?? throw new ArgumentException($"No build folder is recorded for {program} (Lineage.Cli.Tests.csproj).", nameof(program));
        return RunDllAsync(System.IO.Path.Combine(directory, program + ".dll"), args);
    }

    /// <summary>The path of an assembly built beside the tests.</summary>
    public static string BuiltAssembly(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, name + ".dll");

    private async Task<CliResult> RunDllAsync(string dll, string[] args, string[]? launcher = null)
    {
        launcher ??= ["dotnet"];
        var start = new ProcessStartInfo(launcher[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path,
        };
        foreach (var word in launcher.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        start.ArgumentList.Add(System.IO.Path.Combine(AppContext.BaseDirectory, dll));   // an absolute path stays as it is
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["LINEAGE_HOME"] = Path;
        start.Environment.Remove("LINEAGE_DATABASE_URL");
        start.Environment.Remove("LINEAGE_ARTIFACT_STORAGE_DIR");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
