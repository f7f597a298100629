using System.CommandLine;
using System.CommandLine.Help;
using Lineage.Cli.Commands;
using Lineage.Cli.Output;

namespace Lineage.Cli;

/// <summary>The <c>lineage</c> command tree, and the one place errors turn into messages and exit codes.</summary>
public static class LineageCli
{
    /// <summary>Exit code of a command that failed or found a problem.</summary>
    public const int Failure = 1;

    /// <summary>Exit code of a command line that could not be understood.</summary>
    public const int UsageError = 2;

    /// <summary>Parses <paramref name="args"/>, runs the command, and returns its exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        output = new EscapingWriter(output);
        error = new EscapingWriter(error);
        var globals = new GlobalOptions();
        // A plain command named as users type it: RootCommand takes its name from the assembly (Lineage.Cli).
        var root = new Command("lineage", "Inspect, verify and maintain a Lineage artifact store.") { new HelpOption(), new VersionOption() };
        globals.AddTo(root);
        foreach (var command in Commands(globals))
        {
            root.Add(command);
        }

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                await error.WriteLineAsync($"lineage: {parseError.Message}");
            }

            await error.WriteLineAsync("Run 'lineage --help' for usage.");
            return UsageError;
        }

        var verbose = parsed.GetValue(globals.Verbose);
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error });
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"lineage: {e.Message}");
            return UsageError;
        }
        catch (Exception e) when (e is LineageException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // Lineage's messages are written for users: show them as they are.
            await error.WriteLineAsync(verbose ? e.ToString() : $"error: {e.Message}");
            return Failure;
        }
        catch (Exception e)
        {
            await error.WriteLineAsync(verbose ? e.ToString() : $"error: {e.Message} (run with --verbose for details)");
            return Failure;
        }
    }

    private static IEnumerable<Command> Commands(GlobalOptions globals) =>
    [
        InitCommand.Create(globals),
        ConfigCommand.Create(globals),
        DoctorCommand.Create(globals),
        ListCommand.Create(globals),
        VersionsCommand.Create(globals),
        ShowCommand.Create(globals),
        CodeCommand.Create(globals),
        DiffCommand.Create(globals),
        GetCommand.Create(globals),
        RemoveCommand.Create(globals),
        RestoreCommand.Create(globals),
        ArchiveCommand.Create(globals),
        VerifyCommand.Create(globals),
        GcCommand.Create(globals),
        StorageCommand.Create(globals),
    ];
}

/// <summary>A command line that parsed but asks for something malformed (e.g. <c>rm NAME</c> without a version).</summary>
public sealed class UsageException(string message) : Exception(message);
