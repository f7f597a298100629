using System.CommandLine;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage ls</c>: the latest version of each name; every live version; or the trash.</summary>
public static class ListCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var all = new Option<bool>("--all", "-a") { Description = "Every live version, not only the latest of each name" };
        var trash = new Option<bool>("--trash") { Description = "The versions in the trash" };
        var archive = new Option<bool>("--archive") { Description = "The archived versions" };
        var limit = new Option<int?>("--limit", "-n")
        {
            Description = $"At most this many names (1 to {ArtifactPage.MaxLimit}); default {DefaultPage} in a table, every name with --json",
        };
        var after = new Option<string?>("--after") { Description = "Start after this cursor, as printed under the previous page" };
        var command = new Command("ls", "List artifacts (the latest version of each name)") { all, trash, archive, limit, after };
        command.SetAction(async (parsed, ct) =>
        {
            if ((parsed.GetValue(all) ? 1 : 0) + (parsed.GetValue(trash) ? 1 : 0) + (parsed.GetValue(archive) ? 1 : 0) > 1)
            {
                throw new UsageException("--all, --trash and --archive cannot be combined.");
            }

            var paged = parsed.GetValue(limit) is not null || parsed.GetValue(after) is not null;
            if (paged && (parsed.GetValue(all) || parsed.GetValue(trash) || parsed.GetValue(archive)))
            {
                throw new UsageException("--limit and --after page the latest version of each name; they do not combine with --all, --trash or --archive.");
            }

            if (parsed.GetValue(limit) is < 1 or > ArtifactPage.MaxLimit)
            {
                throw new UsageException($"--limit takes a number from 1 to {ArtifactPage.MaxLimit}.");
            }

            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreForReadingAsync(parsed, ct);
            if (parsed.GetValue(trash) || parsed.GetValue(archive) || parsed.GetValue(all))
            {
                var records = parsed.GetValue(trash) ? await store.ListAllVersionsAsync(ArtifactBranch.Trash, ct)
                    : parsed.GetValue(archive) ? await store.ListAllVersionsAsync(ArtifactBranch.Archive, ct)
                    : await store.ListAllVersionsAsync(ArtifactBranch.Main, ct);
                Print(terminal, records, parsed.GetValue(trash) ? "The trash is empty." : parsed.GetValue(archive) ? "Nothing is archived." : "No artifacts.");
                return 0;
            }

            if (terminal.IsJson && !paged)
            {
                // Every name, a page at a time, each record written as it is read. Pages of the API's default size (1,000), not
                // of ArtifactPage.MaxLimit: a page of 10,000 records outlived the young generation, and copying it into the older
                // ones cost a seventh of `ls --json` over 20,000 names (docs/benchmarks.md, CLI start, sixth pass).
                await ArtifactJsonWriter.WriteAsync(terminal.Out, store.ListEachAsync(cancellationToken: ct), ct);
                return 0;
            }

            ArtifactPage page;
            try
            {
                page = await store.ListPageAsync(parsed.GetValue(limit) ?? DefaultPage, parsed.GetValue(after), ct);
            }
            catch (ArgumentException e) when (e.ParamName == "cursor")
            {
                throw new UsageException($"--after '{parsed.GetValue(after)}' is not a cursor this command printed: pass the one under the previous page, or leave --after out to start at the first name.");
            }

            Print(terminal, page.Items, parsed.GetValue(after) is null ? "No artifacts." : "No more artifacts.");
            if (page.NextCursor is { } next)
            {
                // Under a table on standard output; beside JSON on standard error, so the output stays one JSON array.
                var more = await store.CountListedAsync(next, ct);
                (terminal.IsJson ? terminal.Error : terminal.Out).WriteLine(
                    $"{more} more {(more == 1 ? "name" : "names")}: lineage ls --after {next}{(parsed.GetValue(limit) is { } n ? $" --limit {n}" : string.Empty)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>How many names a table shows when --limit is not given.</summary>
    public const int DefaultPage = 50;

    /// <summary>
    /// A listing of versions as a table (or JSON array). ALIASES and TAGS columns appear when any listed version has one;
    /// <paramref name="metadataKey"/> adds a column of that key's values after VERSION (<c>find --sort KEY</c>).
    /// </summary>
    public static void Print(Terminal terminal, IReadOnlyList<ArtifactRecord> records, string whenEmpty, string? metadataKey = null)
    {
        if (terminal.IsJson)
        {
            ArtifactJsonWriter.Write(terminal.Out, records);
            return;
        }

        if (records.Count == 0)
        {
            terminal.Line(whenEmpty);
            return;
        }

        var aliases = records.Any(r => r.Aliases.Count > 0);
        var tags = records.Any(r => r.Tags.Count > 0);
        var headers = new List<string> { "NAME", "VERSION" };
        if (metadataKey is not null)
        {
            headers.Add(metadataKey);
        }

        headers.AddRange(["SIZE", "TYPE", "CODE", "CREATED", "BY"]);
        if (aliases)
        {
            headers.Add("ALIASES");
        }

        if (tags)
        {
            headers.Add("TAGS");
        }

        terminal.Table(headers, records.Select(r => Row(r, metadataKey, aliases, tags)));
    }

    private static List<string> Row(ArtifactRecord r, string? metadataKey, bool aliases, bool tags)
    {
        var row = new List<string> { r.Name, r.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (metadataKey is not null)
        {
            row.Add(r.Metadata.TryGetValue(metadataKey, out var value) ? Formats.Cut(Formats.MetadataValue(value), 40) : "-");
        }

        row.AddRange([Formats.Size(r.Size), Formats.ShortTypeName(r.TypeName), Formats.Abbreviated(r.CodeVersion), Formats.Time(r.CreatedAt), r.CreatedBy]);
        if (aliases)
        {
            row.Add(Formats.List(r.Aliases));
        }

        if (tags)
        {
            row.Add(Formats.List(r.Tags));
        }

        return row;
    }
}
