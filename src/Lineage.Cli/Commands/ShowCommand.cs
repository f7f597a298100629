using System.CommandLine;
using System.Globalization;
using Lineage.Cli.Output;

namespace Lineage.Cli.Commands;

/// <summary><c>lineage show REF</c>: all metadata of one version.</summary>
public static class ShowCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(GlobalOptions globals)
    {
        var reference = new Argument<string>("REF") { Description = "NAME (the latest version), NAME@VERSION or NAME@ALIAS" };
        var asOf = References.AsOfOption();
        var command = new Command("show", "Show all metadata of an artifact version") { reference, asOf };
        command.SetAction(async (parsed, ct) =>
        {
            var wanted = References.Parse(parsed.GetValue(reference)!);
            var moment = References.AsOf(parsed, asOf);
            var terminal = Terminal.For(parsed, globals);
            await using var store = await globals.OpenStoreForReadingAsync(parsed, ct);
            var record = await References.FindAsync(store, wanted, moment, ct);
            var lineage = await VersionLineage.ReadAsync(store, record, ct);
            if (terminal.IsJson)
            {
                var json = Terminal.ToJsonNode(ArtifactJson.From(record, withSourceCode: true))!;
                json["run"] = lineage.Run is null ? null : Terminal.ToJsonNode(RunSummaryJson.From(lineage.Run));
                json["inputs"] = Terminal.ToJsonNode(lineage.Inputs.Select(InputJson.From));
                json["outputs"] = Terminal.ToJsonNode(lineage.Outputs.Select(OutputJson.From));
                json["declared_inputs"] = Terminal.ToJsonNode(lineage.Declared);
                terminal.WriteJson(json);
                return 0;
            }

            var lines = new List<(string Key, string Value)>
            {
                ("name", record.Name),
                ("version", record.Version.ToString(CultureInfo.InvariantCulture)),
                ("branch", record.Branch.ToString().ToLowerInvariant()),
                ("aliases", record.Aliases.Count == 0 ? "-" : string.Join(", ", record.Aliases)),
                ("tags", record.Tags.Count == 0 ? "-" : string.Join(", ", record.Tags)),
            };
            lines.AddRange(Fields.Several("description", Formats.Lines(record.Description)));
            lines.AddRange(Fields.Several("metadata", record.Metadata.Select(m => Formats.MetadataEntry(m.Key, m.Value))));
            lines.AddRange(
            [
                ("uid", record.Uid),
                ("created_at", Formats.Time(record.CreatedAt)),
                ("created_by", record.CreatedBy),
                ("host", record.Host),
                ("size", $"{record.Size.ToString(CultureInfo.InvariantCulture)} bytes ({Formats.Size(record.Size)})"),
                ("hash", $"sha256:{record.Hash}"),
                ("type_name", record.TypeName),
                ("format", record.Format),
                ("storage_root", record.StorageRoot),
                ("key", record.Key),
                ("code_version", record.CodeVersion ?? "-"),
                ("assembly", record.AssemblyName is null ? "-" : $"{record.AssemblyName} {record.AssemblyVersion}".TrimEnd()),
                ("source_revision", record.SourceRevision ?? "-"),
                ("inputs_hash", record.InputsHash ?? "-"),
                ("type_schema", record.TypeSchema ?? "-"),
                ("source_code", record.SourceCode is null
                    ? "not recorded"
                    : $"{record.SourceCode.Split('\n').Length.ToString(CultureInfo.InvariantCulture)} lines (lineage code {Formats.Reference(record)})"),
                ("run", lineage.Run is null ? "-" : Formats.RunSummary(lineage.Run)),
            ]);
            lines.AddRange(Fields.Several("inputs", lineage.Inputs.Select(Formats.Input)));
            lines.AddRange(Fields.Several("outputs", lineage.Outputs.Select(Formats.Output)));
            lines.Add(("declared_inputs", lineage.Declared.Count == 0 ? "-" : string.Join(", ", lineage.Declared)));
            Fields.Print(terminal, lines);
            return 0;
        });
        return command;
    }
}
