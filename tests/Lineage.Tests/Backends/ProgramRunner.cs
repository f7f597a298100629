using System.Diagnostics;

namespace Lineage.Tests.Backends;

/// <summary>Runs one of the programs built beside the tests (samples, workers) as a separate process.</summary>
internal static class ProgramRunner
{
    /// <param name="directory">Where the program was built; by default this test assembly's folder, where its build copied it.</param>
    public static Process Start(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? directory = null)
    {
        directory ??= AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add(Path.Combine(directory, program + ".dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var variable in new[] { "LINEAGE_HOME", "LINEAGE_DATABASE_URL", "LINEAGE_ARTIFACT_STORAGE_DIR" })
        {
            start.Environment.Remove(variable);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? directory = null)
    {
        using var process = Start(program, arguments, environment, directory);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Writes {home}/config.json with the storage options of <paramref name="options"/>, so a child process finds them.</summary>
    public static void WriteUserConfig(LineageOptions options)
    {
        var settings = new Dictionary<string, object> { ["storage_options"] = options.StorageOptions };
        if (options.DatabaseUrl is { } databaseUrl)
        {
            settings["database_url"] = databaseUrl;
        }

        if (options.ArtifactStorageDir is { } root)
        {
            settings["artifact_storage_dir"] = root;
        }

        var json = System.Text.Json.JsonSerializer.Serialize(settings);
        File.WriteAllText(Path.Combine(options.Home!, "config.json"), json);
    }
}
