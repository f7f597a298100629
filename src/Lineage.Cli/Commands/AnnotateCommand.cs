using System.CommandLine;
using System.Text.Json;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary>
/// <c>lineage annotate REF [--description TEXT] [--tag T]… [--untag T]… [--set KEY=VALUE]… [--set-string KEY=VALUE]… [--unset KEY]…</c>:
/// adds to or changes a version's description, tags and metadata, and prints the version as it now stands.
/// </summary>
public static class AnnotateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var reference = new Argument<string>("REF") { Description = "NAME (the latest version), NAME@VERSION or NAME@ALIAS" };
        var description = new Option<string?>("--description") { Description = "A new description ('' empties it)" };
        var tags = new Option<string[]>("--tag") { Description = "A tag to add (repeatable)" };
        var untags = new Option<string[]>("--untag") { Description = "A tag to remove (repeatable)" };
        var sets = new Option<string[]>("--set") { Description = "KEY=VALUE to set (repeatable); VALUE is a JSON number or true/false when it reads as one, else a string" };
        var setStrings = new Option<string[]>("--set-string") { Description = "KEY=VALUE to set with VALUE kept as a string, even 42 or true (repeatable)" };
        var unsets = new Option<string[]>("--unset") { Description = "A metadata key to remove (repeatable)" };
        var command = new Command("annotate", "Add to or change a version's description, tags and metadata (e.g. metrics computed after training)")
        {
            reference, description, tags, untags, sets, setStrings, unsets,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = References.Parse(parsed.GetValue(reference)!);
            var newDescription = parsed.GetValue(description);
            var added = parsed.GetValue(tags) ?? [];
            var removed = parsed.GetValue(untags) ?? [];
            var unset = parsed.GetValue(unsets) ?? [];
            var metadata = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var entry in parsed.GetValue(sets) ?? [])
            {
                var (key, value) = Entry(entry, "--set");
                metadata[key] = Scalar(value);
            }

            foreach (var entry in parsed.GetValue(setStrings) ?? [])
            {
                var (key, value) = Entry(entry, "--set-string");
                metadata[key] = value;
            }

            if (newDescription is null && added.Length + removed.Length + metadata.Count + unset.Length == 0)
            {
                throw new UsageException("Nothing to change: give --description, --tag, --untag, --set, --set-string or --unset.");
            }

            if (added.Intersect(removed, StringComparer.Ordinal).FirstOrDefault() is { } both)
            {
                throw new UsageException($"Tag '{both}' is given to both --tag and --untag.");
            }

            if (metadata.Keys.Intersect(unset, StringComparer.Ordinal).FirstOrDefault() is { } key2)
            {
                throw new UsageException($"Key '{key2}' is given to both --set and --unset.");
            }

            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreAsync(parsed, ct);
            ArtifactRecord record;
            try
            {
                record = await store.AnnotateAsync(wanted.ToString(), newDescription, added, metadata, removed, unset, ct);
            }
            catch (ArgumentException e)
            {
                // A tag, key or value beyond the rules (length, count, control characters): the command line asked for it.
                throw UsageException.From(e);
            }

            if (terminal.IsJson)
            {
                terminal.WriteJson(ArtifactJson.From(record));
                return 0;
            }

            var lines = new List<(string Key, string Value)>
            {
                ("annotated", Formats.Reference(record)),
                ("aliases", record.Aliases.Count == 0 ? "-" : string.Join(", ", record.Aliases)),
                ("tags", record.Tags.Count == 0 ? "-" : string.Join(", ", record.Tags)),
            };
            lines.AddRange(Fields.Several("description", Formats.Lines(record.Description)));
            lines.AddRange(Fields.Several("metadata", record.Metadata.Select(m => Formats.MetadataEntry(m.Key, m.Value))));
            Fields.Print(terminal, lines);
            return 0;
        });
        return command;
    }

    /// <summary>KEY=VALUE split at the first '='; the key may not be empty, the value may.</summary>
    private static (string Key, string Value) Entry(string text, string option)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? (text[..equals], text[(equals + 1)..])
            : throw new UsageException($"{option} takes KEY=VALUE; '{text}' has {(equals == 0 ? "no key before '='" : "no '='")}.");
    }

    /// <summary>
    /// A JSON number (<c>42</c>, <c>-0.5</c>, <c>1e3</c>) or <c>true</c>/<c>false</c>, exactly as written, keeps its JSON type; anything
    /// else (<c>0.9.1</c>, <c>007</c>, <c>True</c>, <c>null</c>, <c> 42</c>) is the string it is.
    /// </summary>
    public static object Scalar(string value)
    {
        if (value.Length == 0 || value.Trim().Length != value.Length)
        {
            return value;
        }

        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                ? document.RootElement.Clone()
                : value;
        }
        catch (JsonException)
        {
            return value;
        }
    }
}
