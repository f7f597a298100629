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
        var command = new Command("ls", "List artifacts (the latest version of each name)") { all, trash, archive };
        command.SetAction(async (parsed, ct) =>
        {
            if (new[] { parsed.GetValue(all), parsed.GetValue(trash), parsed.GetValue(archive) }.Count(f => f) > 1)
            {
                throw new UsageException("--all, --trash and --archive cannot be combined.");
            }

            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            var records = parsed.GetValue(trash) ? await store.ListAllVersionsAsync(ArtifactBranch.Trash, ct)
                : parsed.GetValue(archive) ? await store.ListAllVersionsAsync(ArtifactBranch.Archive, ct)
                : parsed.GetValue(all) ? await store.ListAllVersionsAsync(ArtifactBranch.Main, ct)
                : await store.ListAsync(ct);
            Print(terminal, records, parsed.GetValue(trash) ? "The trash is empty." : parsed.GetValue(archive) ? "Nothing is archived." : "No artifacts.");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A listing of versions as a table (or JSON array). ALIASES and TAGS columns appear when any listed version has one;
    /// <paramref name="metadataKey"/> adds a column of that key's values after VERSION (<c>find --sort KEY</c>).
    /// </summary>
    public static void Print(Terminal terminal, IReadOnlyList<ArtifactRecord> records, string whenEmpty, string? metadataKey = null)
    {
        if (terminal.IsJson)
        {
            terminal.WriteJson(records.Select(r => ArtifactJson.From(r)));
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
