using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage runs [--limit N]</c>: the most recent runs, newest first; <c>lineage run UID</c>: one run, its inputs and outputs.</summary>
public static class RunsCommand
{
    /// <summary>How many runs <c>runs</c> lists when no <c>--limit</c> is given.</summary>
    public const int DefaultLimit = 50;

    /// <summary>Builds <c>runs</c>.</summary>
    public static Command CreateList(GlobalOptions globals)
    {
        var limit = new Option<int>("--limit", "-n") { Description = $"How many runs to list, newest first (default {DefaultLimit})", DefaultValueFactory = _ => DefaultLimit };
        var command = new Command("runs", "List the most recent runs, newest first") { limit };
        command.SetAction(async (parsed, ct) =>
        {
            var count = parsed.GetValue(limit);
            if (count < 1)
            {
                throw new UsageException("--limit takes a number of runs, 1 or more.");
            }

            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var runs = await store.Runs.ListAsync(count, ct);
            if (terminal.IsJson)
            {
                terminal.WriteJson(runs.Select(RunJson.From));
                return 0;
            }

            if (runs.Count == 0)
            {
                terminal.Line("No runs.");
                return 0;
            }

            terminal.Table(
                ["UID", "NAME", "STATUS", "STARTED", "DURATION", "USER", "HOST"],
                runs.Select(r => (IReadOnlyList<string>)
                    [r.Uid, r.IsImplicit ? $"{r.Name} (implicit)" : r.Name, Formats.Status(r.Status), Formats.Time(r.StartedAt), Formats.Duration(r), r.User, r.Host]));
            return 0;
        });
        return command;
    }

    /// <summary>Builds <c>run</c>.</summary>
    public static Command CreateShow(GlobalOptions globals)
    {
        var uid = new Argument<string>("UID") { Description = "The run's uid (see 'lineage runs', or the run line of 'lineage show')" };
        var command = new Command("run", "Show one run: what, who, where, its parameters and command line, its inputs and outputs") { uid };
        command.SetAction(async (parsed, ct) =>
        {
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var run = await store.Runs.GetAsync(parsed.GetValue(uid)!, ct);
            var (inputs, outputs) = await store.Runs.InputsAndOutputsAsync(run.Uid, ct);
            if (terminal.IsJson)
            {
                var json = Terminal.ToJsonNode(RunJson.From(run))!;
                json["inputs"] = Terminal.ToJsonNode(inputs.Select(InputJson.From));
                json["outputs"] = Terminal.ToJsonNode(outputs.Select(OutputJson.From));
                terminal.WriteJson(json);
                return 0;
            }

            var lines = new List<(string Key, string Value)>
            {
                ("uid", run.Uid),
                ("name", run.Name),
                ("status", Formats.Status(run.Status)),
                ("kind", run.IsImplicit ? "implicit (a process saving outside any explicit run: records its saves, not its loads)" : "explicit"),
                ("started_at", Formats.Time(run.StartedAt)),
                ("finished_at", run.FinishedAt is { } finished ? Formats.Time(finished) : "-"),
                ("duration", Formats.Duration(run)),
                ("user", run.User),
                ("host", run.Host),
                ("entry_assembly", run.EntryAssembly is null ? "-" : $"{run.EntryAssembly} {run.EntryAssemblyVersion}".TrimEnd()),
                ("source_revision", run.SourceRevision ?? "-"),
                ("command_line", run.CommandLine ?? "-"),
            };
            lines.AddRange(Fields.Several("parameters", run.Parameters.Select(p => $"{p.Key}={p.Value}")));
            lines.Add(("error", run.Error ?? "-"));
            lines.AddRange(Fields.Several("inputs", inputs.Select(Formats.Reference)));
            lines.AddRange(Fields.Several("outputs", outputs.Select(Formats.Output)));
            Fields.Print(terminal, lines);
            return 0;
        });
        return command;
    }
}
