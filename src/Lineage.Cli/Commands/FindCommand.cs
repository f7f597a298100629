using System.CommandLine;
using System.Text;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary>
/// <c>lineage find [--where FILTER] [--name GLOB] [--tag T]… [--alias A] [--created-by U] [--since TIME] [--until TIME]
/// [--sort KEY|-KEY] [--limit N] [--all-versions]</c>: versions by their catalog entries, through <c>store.Find</c>.
/// </summary>
public static class FindCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var where = new Option<string?>("--where", "-w") { Description = "A metadata filter, e.g. \"accuracy > 0.9 and dataset = 'iris'\" (see docs/catalog.md)" };
        var name = new Option<string?>("--name") { Description = "A name, or a glob over names (* any characters, ? one)" };
        var tags = new Option<string[]>("--tag") { Description = "A tag the version carries (repeatable: all of them)" };
        var alias = new Option<string?>("--alias") { Description = "An alias that points at the version" };
        var createdBy = new Option<string?>("--created-by") { Description = "The user that saved it" };
        var since = new Option<string?>("--since") { Description = "Saved at or after TIME (ISO 8601, UTC unless an offset is given, or ago: 30m, 12h, 7d, 2w)" };
        var until = new Option<string?>("--until") { Description = "Saved before TIME (same forms as --since)" };
        var sort = new Option<string?>("--sort") { Description = "name (default), created, version or a metadata key (metadata.KEY for a key named like those); -KEY for descending" };
        var limit = new Option<int?>("--limit", "-n") { Description = "At most N versions (1 to 100,000)" };
        var allVersions = new Option<bool>("--all-versions") { Description = "Every live version, not only the latest of each name" };
        var command = new Command("find", "Find versions by metadata, name, tags, alias, creator and time; sorted and limited")
        {
            where, name, tags, alias, createdBy, since, until, sort, limit, allVersions,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var now = DateTimeOffset.UtcNow;
            var count = parsed.GetValue(limit);
            if (count is < 1 or > 100_000)
            {
                throw new UsageException("--limit takes a number of versions from 1 to 100,000.");
            }

            var filter = parsed.GetValue(where);
            var sortKey = parsed.GetValue(sort);
            var query = new ArtifactQuery
            {
                Where = filter,
                Name = parsed.GetValue(name),
                Tags = parsed.GetValue(tags) ?? [],
                Alias = parsed.GetValue(alias),
                CreatedBy = parsed.GetValue(createdBy),
                CreatedAfter = parsed.GetValue(since) is { } s ? TimeArgument.Parse(s, "--since", now) : null,
                CreatedBefore = parsed.GetValue(until) is { } u ? TimeArgument.Parse(u, "--until", now) : null,
                OrderBy = sortKey,
                Limit = count,
                AllVersions = parsed.GetValue(allVersions),
            };
            if (!string.IsNullOrWhiteSpace(filter))
            {
                try
                {
                    Filter.Parse(filter);
                }
                catch (FilterSyntaxException e)
                {
                    throw new UsageException(PointAt(filter, e));
                }
            }

            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreForReadingAsync(parsed, ct);
            IReadOnlyList<ArtifactRecord> found;
            try
            {
                found = await store.FindAsync(query, ct);
            }
            catch (ArgumentException e)
            {
                // A tag, alias, glob or sort key that cannot be: the command line asked for it.
                throw UsageException.From(e);
            }

            ListCommand.Print(
                terminal,
                found,
                query.AllVersions ? "No versions match." : "No versions match among the latest version of each name; --all-versions looks at every live version.",
                MetadataSortKey(sortKey));
            return 0;
        });
        return command;
    }

    /// <summary>The metadata key a sort names (<c>-accuracy</c> → <c>accuracy</c>, <c>metadata.name</c> → <c>name</c>), or null for name, created and version.</summary>
    public static string? MetadataSortKey(string? sort)
    {
        var key = (sort ?? "name").Trim().TrimStart('-', '+');
        return key switch
        {
            "name" or "created" or "version" => null,
            _ when key.StartsWith("metadata.", StringComparison.Ordinal) => key["metadata.".Length..],
            _ => key,
        };
    }

    /// <summary>
    /// The message, then the filter's line holding the error and a caret under its column, as the terminal will show them:
    /// a tab stays a tab, a control character takes the width of its <c>\uXXXX</c> escape.
    /// </summary>
    public static string PointAt(string filter, FilterSyntaxException error)
    {
        var lines = filter.Split('\n');
        var line = lines[Math.Clamp(error.Line, 1, lines.Length) - 1];
        var before = line[..Math.Min(error.Column - 1, line.Length)];
        var caret = new StringBuilder("  ");
        foreach (var c in before)
        {
            if (c == '\t')
            {
                caret.Append('\t');
            }
            else if (!char.IsLowSurrogate(c))
            {
                caret.Append(' ', EscapingWriter.Escape(c.ToString()).Length);
            }
        }

        var where = lines.Length > 1 ? $" (line {error.Line}, column {error.Column})" : string.Empty;
        return $"{error.Message.TrimEnd('.')}{where}.{Environment.NewLine}  {line.TrimEnd('\r')}{Environment.NewLine}{caret}^";
    }
}
