using System.CommandLine;
using Lineage.Cli.Output;
using Spectre.Console;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage verify</c>: rehash every stored value (live, trash and archive) against its metadata.</summary>
public static class VerifyCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var command = new Command("verify", "Check every stored value's size and SHA-256 against its metadata");
        command.SetAction(async (parsed, ct) =>
        {
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var records = await store.ListAllVersionsAsync(branch: null, ct);
            var results = new List<ValueCheck>(records.Count);

            if (terminal.IsTerminal && !terminal.IsJson && records.Count > 0)
            {
                await terminal.Console.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                    .StartAsync(async progress =>
                {
                    var task = progress.AddTask("Verifying", maxValue: Math.Max(1, records.Sum(r => r.Size)));
                    var bytes = new InlineProgress<long>(b => task.Increment(b));
                    double before = 0;
                    foreach (var record in records)
                    {
                        task.Description = Markup.Escape(Formats.Reference(record));
                        results.Add(await store.VerifyAsync(record, bytes, ct));

                        // A value that failed part way has not read all its bytes: the bar still moves past it.
                        before += record.Size;
                        task.Value = before;
                    }

                    task.Description = "Verified";
                    task.Value = task.MaxValue;
                });
            }
            else
            {
                foreach (var record in records)
                {
                    results.Add(await store.VerifyAsync(record, ct));
                }
            }

            var problems = results.Where(r => r.Status != ValueCheckStatus.Ok).ToList();
            if (terminal.IsJson)
            {
                terminal.WriteJson(new
                {
                    Checked = results.Count,
                    Ok = results.Count - problems.Count,
                    Problems = problems.Select(p => new
                    {
                        p.Record.Name,
                        p.Record.Version,
                        Branch = p.Record.Branch.ToString().ToLowerInvariant(),
                        p.Record.Uid,
                        p.Record.StorageRoot,
                        p.Record.Key,
                        Status = p.Status.ToString().ToLowerInvariant(),
                        p.Problem,
                    }),
                });
            }
            else
            {
                foreach (var problem in problems)
                {
                    terminal.Line($"{problem.Status.ToString().ToUpperInvariant()}  {Formats.Reference(problem.Record)}  {problem.Problem}");
                }

                var missing = problems.Count(p => p.Status == ValueCheckStatus.Missing);
                terminal.Line($"Checked {results.Count} value(s): {results.Count - problems.Count} ok, {problems.Count - missing} corrupt, {missing} missing.");
            }

            return problems.Count == 0 ? 0 : LineageCli.Failure;
        });
        return command;
    }
}
