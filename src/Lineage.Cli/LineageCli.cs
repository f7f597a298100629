using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
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
        var helpAndVersion = MayAskForHelpOrVersion(args);
        var (globals, parsed) = Parse(args, helpAndVersion);
        if (parsed.Errors.Count > 0 && !helpAndVersion)
        {
            // Errors are reported from the whole tree, as they always were (a mistyped option may be near --help).
            (globals, parsed) = Parse(args, helpAndVersion: true);
        }

        if (parsed.Errors.Count > 0)
        {
            var command = parsed.CommandResult;
            var missing = command.Command.Arguments.Where(a => a.Arity.MinimumNumberOfValues > 0 && command.GetResult(a) is not { Tokens.Count: > 0 }).ToList();
            // System.CommandLine names the command, not the argument it misses: name each one, with what it is for.
            foreach (var argument in missing)
            {
                await error.WriteLineAsync($"lineage: missing {argument.Name.ToUpperInvariant()}: {argument.Description}");
            }

            foreach (var parseError in parsed.Errors.Where(e => missing.Count == 0 || !e.Message.StartsWith("Required argument missing", StringComparison.Ordinal)))
            {
                await error.WriteLineAsync($"lineage: {parseError.Message}");
            }

            await error.WriteLineAsync($"Usage: {Usage(command)}");
            await error.WriteLineAsync($"Run '{CommandPath(command)} --help' for more.");
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
        catch (CommandFailedException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return Failure;
        }
        catch (Exception e) when (e is LineageException or IOException or UnauthorizedAccessException or OperationCanceledException)
        {
            // Lineage's messages are written for users: show them as they are, with commands where they advise a C# call.
            await error.WriteLineAsync(verbose ? e.ToString() : $"error: {CliSuggestions.ForCommandLine(e.Message)}");
            return Failure;
        }
        catch (Exception e)
        {
            await error.WriteLineAsync(verbose ? e.ToString() : $"error: {e.Message} (run with --verbose for details)");
            return Failure;
        }
    }

    /// <summary>
    /// The command tree for <paramref name="args"/>, parsed. The help and version options are left out when no word of the line
    /// can be one of them and the line parses without them (<see cref="MayAskForHelpOrVersion"/>; on an error the caller parses
    /// again with them): their constructors read their descriptions from System.CommandLine's resources, a ResourceManager's
    /// start, about 3% of a one-name <c>lineage ls</c> (docs/benchmarks.md, CLI start).
    /// </summary>
    private static (GlobalOptions Globals, ParseResult Parsed) Parse(string[] args, bool helpAndVersion)
    {
        var globals = new GlobalOptions();
        // A plain command named as users type it: RootCommand takes its name from the assembly (Lineage.Cli).
        var root = new Command("lineage", "Inspect, verify and maintain a Lineage artifact store.");
        if (helpAndVersion)
        {
            root.Add(new HelpOption());
            root.Add(new VersionOption());
        }

        globals.AddTo(root);
        foreach (var command in Commands(globals, args))
        {
            root.Add(command);
        }

        return (globals, root.Parse(args));
    }

    /// <summary>
    /// False only when no word of <paramref name="args"/> can be --help (-h, /h, -?, /?, alone or among bundled short options),
    /// --version or a response file (@file): every other line parses the same with or without those two options.
    /// </summary>
    internal static bool MayAskForHelpOrVersion(string[] args)
    {
        foreach (var arg in args)
        {
            if (arg.StartsWith('@')
                || arg.Contains("help", StringComparison.OrdinalIgnoreCase)
                || arg.Contains("version", StringComparison.OrdinalIgnoreCase)
                || (arg.StartsWith('-') && !arg.StartsWith("--", StringComparison.Ordinal) && arg.AsSpan().IndexOfAny('h', 'H', '?') >= 0)
                || (arg.StartsWith('/') && arg.Length > 1 && arg[1] is 'h' or 'H' or '?'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An argument exception's message without the <c> (Parameter 'x')</c> .NET appends: the parameter is the API's, not the command line's.</summary>
    internal static string MessageOf(ArgumentException e) =>
        e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : e.Message;

    /// <summary><c>lineage storage migrate FROM TO [options]</c>: the command's path, its arguments, and whether it has subcommands.</summary>
    private static string Usage(CommandResult command)
    {
        var arguments = command.Command.Arguments.Select(a => a.Name.ToUpperInvariant());
        var subcommands = command.Command.Subcommands.Count > 0 ? ["[command]"] : Array.Empty<string>();
        return string.Join(' ', [CommandPath(command), .. subcommands, .. arguments, "[options]"]);
    }

    private static string CommandPath(CommandResult command)
    {
        var names = new List<string>();
        for (SymbolResult? result = command; result is not null; result = result.Parent)
        {
            if (result is CommandResult { Command: var c })
            {
                names.Add(c.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>Every command, by the name it is typed with, and how to build it.</summary>
    private static readonly (string Name, Func<GlobalOptions, Command> Create)[] CommandFactories =
    [
        ("init", InitCommand.Create),
        ("config", ConfigCommand.Create),
        ("doctor", DoctorCommand.Create),
        ("ls", ListCommand.Create),
        ("versions", VersionsCommand.Create),
        ("find", FindCommand.Create),
        ("show", ShowCommand.Create),
        ("code", CodeCommand.Create),
        ("graph", GraphCommand.Create),
        ("runs", RunsCommand.CreateList),
        ("run", RunsCommand.CreateShow),
        ("diff", DiffCommand.Create),
        ("get", GetCommand.Create),
        ("annotate", AnnotateCommand.Create),
        ("alias", AliasCommand.Create),
        ("rm", RemoveCommand.Create),
        ("restore", RestoreCommand.Create),
        ("archive", ArchiveCommand.Create),
        ("verify", VerifyCommand.Create),
        ("gc", GcCommand.Create),
        ("prune", PruneCommand.Create),
        ("trash", TrashCommand.Create),
        ("du", DuCommand.Create),
        ("storage", StorageCommand.Create),
        ("ui", Ui.UiCommand.Create),
    ];

    /// <summary>
    /// The command the line names, alone; every command when it names none (help, version, a mistyped name, a response file):
    /// building all 25 option trees was a tenth of <c>lineage ls</c>'s start (docs/benchmarks.md, CLI start).
    /// </summary>
    private static IEnumerable<Command> Commands(GlobalOptions globals, string[] args)
    {
        var name = CommandName(args);
        foreach (var (commandName, create) in CommandFactories)
        {
            if (name is null || commandName == name)
            {
                yield return create(globals);
            }
        }
    }

    /// <summary>The first word of <paramref name="args"/> that is not a global option (or its value) when it names a command; else null.</summary>
    internal static string? CommandName(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg is "--home" or "--database" or "--storage" or "--project")
            {
                i++;
            }
            else if (arg.StartsWith('@') || arg == "--")
            {
                return null;
            }
            else if (!arg.StartsWith('-'))
            {
                foreach (var (commandName, _) in CommandFactories)
                {
                    if (commandName == arg)
                    {
                        return arg;
                    }
                }

                return null;
            }
        }

        return null;
    }
}

/// <summary>A command that failed for a reason its message explains in full (exit 1, no stack trace).</summary>
public sealed class CommandFailedException(string message) : Exception(message)
{
    /// <summary>The runtime's refusal, without the parameter name .NET appends (meant for C# callers).</summary>
    public static CommandFailedException From(ArgumentException e) => new(LineageCli.MessageOf(e));
}

/// <summary>A command line that parsed but asks for something malformed (e.g. <c>rm NAME</c> without a version).</summary>
public sealed class UsageException(string message) : Exception(message)
{
    /// <summary>The runtime's refusal of what the command line gave, without the parameter name .NET appends.</summary>
    public static UsageException From(ArgumentException e) => new(LineageCli.MessageOf(e));
}
