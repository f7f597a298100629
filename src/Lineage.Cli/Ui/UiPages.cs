using System.Globalization;
using System.Text;
using ColorCode;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Lineage.Backends;
using Lineage.Cli.Commands;
using Lineage.Cli.Output;
using Lineage.Cli.Rendering;
using Microsoft.AspNetCore.Http;

namespace Lineage.Cli.Ui;

/// <summary>The pages of <c>lineage ui</c>, rendered on the server from the store; every query parameter is checked first.</summary>
internal sealed class UiPages(ArtifactStore store, string storeLabel)
{
    /// <summary>Rows on one page of the artifacts list.</summary>
    public const int PageSize = 50;

    /// <summary>The deepest page the list reaches (<c>find</c> reads at most 100,000 versions).</summary>
    public const int MaxPage = 100_000 / PageSize;

    /// <summary>Values up to this size are rendered as JSON on their version's page; larger ones behind a link.</summary>
    private const long InlineJsonLimit = 256 * 1024;

    /// <summary>Artifacts: the latest version of each name (or every version), filtered as <c>lineage find</c>, sorted, paged.</summary>
    public async Task<string> ArtifactsAsync(HttpRequest request, CancellationToken ct)
    {
        var q = request.Query;
        var page = Query.Int(q, "page", 1, MaxPage) ?? 1;
        var sort = Query.Text(q, "sort", 200);
        var where = Query.Text(q, "where", 2000);
        var name = Query.Text(q, "q", 400);
        var tag = Query.Text(q, "tag", 200);
        var alias = Query.Text(q, "alias", 200);
        var createdBy = Query.Text(q, "created_by", 200);
        var since = Query.Text(q, "since", 100);
        var until = Query.Text(q, "until", 100);
        var all = Query.Text(q, "all", 10) is "1" or "on" or "true";
        var now = DateTimeOffset.UtcNow;
        ArtifactQuery query;
        try
        {
            query = new ArtifactQuery
            {
                Where = where,
                Name = name is null ? null : name.Contains('*', StringComparison.Ordinal) || name.Contains('?', StringComparison.Ordinal) ? name : $"*{name}*",
                Tags = tag is null ? [] : [tag],
                Alias = alias,
                CreatedBy = createdBy,
                CreatedAfter = since is null ? null : TimeArgument.Parse(since, "since", now),
                CreatedBefore = until is null ? null : TimeArgument.Parse(until, "until", now),
                OrderBy = sort,
                // One row past the page tells whether there is a next one; find reads at most 100,000.
                Limit = Math.Min((page * PageSize) + 1, 100_000),
                AllVersions = all,
            };
            if (where is not null)
            {
                Filter.Parse(where);
            }
        }
        catch (Exception e) when (e is UsageException or FilterSyntaxException)
        {
            throw new BadRequestException(e.Message);
        }

        IReadOnlyList<ArtifactRecord> found;
        try
        {
            found = await store.FindAsync(query, ct);
        }
        catch (ArgumentException e)
        {
            throw new BadRequestException(LineageCli.MessageOf(e));
        }

        var rows = found.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        var hasNext = found.Count > page * PageSize;
        var metadataKey = FindCommand.MetadataSortKey(sort);
        (string Key, string? Value)[] Keep(params (string Key, string? Value)[] changed)
        {
            var current = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["q"] = name, ["where"] = where, ["tag"] = tag, ["alias"] = alias, ["created_by"] = createdBy,
                ["since"] = since, ["until"] = until, ["all"] = all ? "1" : null, ["sort"] = sort,
            };
            foreach (var (key, value) in changed)
            {
                current[key] = value;
            }

            return [.. current.Select(c => (c.Key, c.Value))];
        }

        string SortHeader(string label, string key, string css = "")
        {
            var descending = sort == key;
            var next = descending ? $"-{key}" : key;
            var mark = sort == key ? " ▲" : sort == $"-{key}" ? " ▼" : string.Empty;
            return $"<th{css}><a href=\"{Html.Url("/", Keep(("sort", next), ("page", null)))}\">{Html.Text(label)}</a>{mark}</th>";
        }

        var body = new StringBuilder();
        body.Append("<form class=\"filters\" method=\"get\" action=\"/\">")
            .Append(Input("q", "Name (glob or part)", name))
            .Append(Input("where", "Metadata filter", where, "wide"))
            .Append(Input("tag", "Tag", tag))
            .Append(Input("alias", "Alias", alias))
            .Append(Input("created_by", "Created by", createdBy))
            .Append(Input("since", "Since", since))
            .Append(Input("until", "Until", until))
            .Append(Input("sort", "Sort", sort))
            .Append(CultureInfo.InvariantCulture, $"<label><span>All versions</span><input type=\"checkbox\" name=\"all\" value=\"1\"{(all ? " checked" : string.Empty)}></label>")
            .Append("<button type=\"submit\">Search</button></form>");
        if (rows.Count == 0)
        {
            body.Append("<p class=\"muted\" id=\"empty\">No versions match.</p>");
        }
        else
        {
            body.Append("<table id=\"artifacts\"><thead><tr>")
                .Append(SortHeader("Name", "name"))
                .Append(SortHeader("Version", "version", " class=\"num\""))
                .Append("<th class=\"num\">Size</th><th>Type</th><th>Code</th>")
                .Append(SortHeader("Created", "created"))
                .Append("<th>By</th><th>Aliases</th><th>Tags</th>");
            body.Append(metadataKey is null ? "<th>Metadata</th>" : SortHeader(metadataKey, sort!.TrimStart('-', '+')));
            body.Append("</tr></thead><tbody>");
            foreach (var r in rows)
            {
                var metadata = metadataKey is null ? Html.Metadata(r.Metadata) : r.Metadata.TryGetValue(metadataKey, out var v) ? Html.Text(Formats.MetadataValue(v)) : string.Empty;
                body.Append("<tr><td>").Append(Html.ArtifactLink(r.Name)).Append("</td>")
                    .Append("<td class=\"num\">").Append(Html.Link(Html.VersionUrl(r.Name, r.Version), Html.Number(r.Version))).Append("</td>")
                    .Append("<td class=\"num\">").Append(Html.Text(Formats.Size(r.Size))).Append("</td>")
                    .Append("<td class=\"mono\">").Append(Html.Text(Formats.ShortTypeName(r.TypeName))).Append("</td>")
                    .Append("<td class=\"mono\">").Append(Html.Text(Formats.Abbreviated(r.CodeVersion))).Append("</td>")
                    .Append("<td>").Append(Html.Text(Formats.Time(r.CreatedAt))).Append("</td>")
                    .Append("<td>").Append(Html.Text(r.CreatedBy)).Append("</td>")
                    .Append("<td>").Append(Html.Chips(r.Aliases, "alias")).Append("</td>")
                    .Append("<td>").Append(Html.Chips(r.Tags, "tag")).Append("</td>")
                    .Append("<td>").Append(metadata).Append("</td></tr>");
            }

            body.Append("</tbody></table>");
        }

        body.Append("<div class=\"pager\">");
        if (page > 1)
        {
            body.Append(CultureInfo.InvariantCulture, $"<a rel=\"prev\" href=\"{Html.Url("/", Keep(("page", Html.Number(page - 1))))}\">← Previous</a>");
        }

        body.Append(CultureInfo.InvariantCulture, $"<span class=\"muted\">Page {page}{(rows.Count > 0 ? $", versions {((page - 1) * PageSize) + 1}–{((page - 1) * PageSize) + rows.Count}" : string.Empty)}</span>");
        if (hasNext)
        {
            body.Append(CultureInfo.InvariantCulture, $"<a rel=\"next\" href=\"{Html.Url("/", Keep(("page", Html.Number(page + 1))))}\">Next →</a>");
        }

        body.Append("</div>");
        return Html.Page(all ? "All versions" : "Artifacts", storeLabel, body.ToString());
    }

    /// <summary>One artifact: its versions, with a form to compare two of them.</summary>
    public async Task<string> ArtifactAsync(HttpRequest request, CancellationToken ct)
    {
        var name = Query.Name(request.Query);
        var versions = await store.VersionsAsync(name, ct);
        if (versions.Count == 0)
        {
            throw new NotFoundException($"No artifact named '{name}'.");
        }

        var ordered = versions.OrderByDescending(v => v.Version).ToList();
        var body = new StringBuilder();
        body.Append("<form method=\"get\" action=\"/compare\">")
            .Append(CultureInfo.InvariantCulture, $"<input type=\"hidden\" name=\"name\" value=\"{Html.Text(name)}\">")
            .Append("<table id=\"versions\"><thead><tr><th>A</th><th>B</th><th class=\"num\">Version</th><th class=\"num\">Size</th><th>Type</th><th>Created by</th><th>Created</th><th>Code version</th><th>Aliases</th><th>Tags</th><th>Metadata</th></tr></thead><tbody>");
        for (var i = 0; i < ordered.Count; i++)
        {
            var r = ordered[i];
            var number = Html.Number(r.Version);
            body.Append(CultureInfo.InvariantCulture, $"<tr><td><input type=\"radio\" name=\"a\" value=\"{number}\"{(i == 1 || ordered.Count == 1 ? " checked" : string.Empty)}></td>")
                .Append(CultureInfo.InvariantCulture, $"<td><input type=\"radio\" name=\"b\" value=\"{number}\"{(i == 0 ? " checked" : string.Empty)}></td>")
                .Append("<td class=\"num\">").Append(Html.Link(Html.VersionUrl(r.Name, r.Version), number)).Append("</td>")
                .Append("<td class=\"num\">").Append(Html.Text(Formats.Size(r.Size))).Append("</td>")
                .Append("<td class=\"mono\">").Append(Html.Text(Formats.ShortTypeName(r.TypeName))).Append("</td>")
                .Append("<td>").Append(Html.Text(r.CreatedBy)).Append("</td>")
                .Append("<td>").Append(Html.Text(Formats.Time(r.CreatedAt))).Append("</td>")
                .Append("<td class=\"mono\">").Append(Html.Text(Formats.Abbreviated(r.CodeVersion))).Append("</td>")
                .Append("<td>").Append(Html.Chips(r.Aliases, "alias")).Append("</td>")
                .Append("<td>").Append(Html.Chips(r.Tags, "tag")).Append("</td>")
                .Append("<td>").Append(Html.Metadata(r.Metadata)).Append("</td></tr>");
        }

        body.Append("</tbody></table>");
        if (ordered.Count > 1)
        {
            body.Append("<button type=\"submit\" id=\"compare\">Compare A and B</button>");
        }

        body.Append("</form>");
        return Html.Page(name, storeLabel, body.ToString());
    }

    /// <summary>Two versions of one artifact: metadata side by side, and the diff of their recorded code.</summary>
    public async Task<string> CompareAsync(HttpRequest request, CancellationToken ct)
    {
        var name = Query.Name(request.Query);
        var a = Query.Int(request.Query, "a", 1, int.MaxValue) ?? throw new BadRequestException("Give two versions to compare: a=N and b=M.");
        var b = Query.Int(request.Query, "b", 1, int.MaxValue) ?? throw new BadRequestException("Give two versions to compare: a=N and b=M.");
        var old = await store.GetAsync(name, a, ct);
        var @new = await store.GetAsync(name, b, ct);
        var body = new StringBuilder();
        body.Append("<h2>Versions</h2>").Append(Html.Fields(
        [
            ("A", Html.VersionLink(name, a) + " · " + Html.Text($"{Formats.Time(old.CreatedAt)} by {old.CreatedBy}")),
            ("B", Html.VersionLink(name, b) + " · " + Html.Text($"{Formats.Time(@new.CreatedAt)} by {@new.CreatedBy}")),
        ]));
        body.Append("<h2>Metadata</h2><table id=\"metadata\"><thead><tr><th>Key</th><th>A</th><th>B</th></tr></thead><tbody>");
        var rows = new List<(string Key, string A, string B)>
        {
            ("size", Formats.Size(old.Size), Formats.Size(@new.Size)),
            ("type", old.TypeName, @new.TypeName),
            ("hash", old.Hash, @new.Hash),
            ("code_version", old.CodeVersion ?? "-", @new.CodeVersion ?? "-"),
            ("tags", string.Join(", ", old.Tags), string.Join(", ", @new.Tags)),
            ("aliases", string.Join(", ", old.Aliases), string.Join(", ", @new.Aliases)),
            ("description", old.Description ?? string.Empty, @new.Description ?? string.Empty),
        };
        foreach (var key in old.Metadata.Keys.Union(@new.Metadata.Keys).Order(StringComparer.Ordinal))
        {
            rows.Add(($"metadata.{key}", old.Metadata.TryGetValue(key, out var x) ? Formats.MetadataValue(x) : "-", @new.Metadata.TryGetValue(key, out var y) ? Formats.MetadataValue(y) : "-"));
        }

        foreach (var (key, x, y) in rows)
        {
            body.Append(CultureInfo.InvariantCulture, $"<tr{(x == y ? string.Empty : " class=\"changed\"")}><th>{Html.Text(key)}</th><td>{Html.Text(x)}</td><td>{Html.Text(y)}</td></tr>");
        }

        body.Append("</tbody></table><h2>Code</h2>");
        if (old.SourceCode is null || @new.SourceCode is null)
        {
            body.Append("<p class=\"muted\">No code was recorded with ").Append(Html.Text(string.Join(" and ", new[] { old, @new }.Where(r => r.SourceCode is null).Select(Formats.Reference).Distinct()))).Append(".</p>");
        }
        else if (old.SourceCode == @new.SourceCode)
        {
            body.Append("<p id=\"same-code\">The recorded code is identical.</p>");
        }
        else
        {
            var model = new InlineDiffBuilder(new Differ()).BuildDiffModel(old.SourceCode, @new.SourceCode, ignoreWhitespace: false);
            var added = model.Lines.Count(l => l.Type == ChangeType.Inserted);
            var removed = model.Lines.Count(l => l.Type == ChangeType.Deleted);
            body.Append(CultureInfo.InvariantCulture, $"<p>{added} line(s) added, {removed} removed{(old.CodeVersion is not null && old.CodeVersion == @new.CodeVersion ? " (same code version: comments or formatting only)" : string.Empty)}.</p>");
            body.Append("<div class=\"diff\" id=\"diff\">");
            foreach (var line in model.Lines)
            {
                var (css, mark) = line.Type switch
                {
                    ChangeType.Inserted => (" class=\"ins\"", "+"),
                    ChangeType.Deleted => (" class=\"del\"", "-"),
                    _ => (string.Empty, " "),
                };
                var number = line.Position is { } p ? Html.Number(p) : string.Empty;
                body.Append(CultureInfo.InvariantCulture, $"<div{css}><span class=\"ln\">{number}</span>{mark} {Html.Text(line.Text)}</div>");
            }

            body.Append("</div>");
        }

        return Html.Page($"{name}: {Html.Number(a)} ↔ {Html.Number(b)}", storeLabel, body.ToString());
    }

    /// <summary>One version: what it is, its code, where it came from and went, where it is stored, its value.</summary>
    public async Task<string> VersionAsync(HttpRequest request, CancellationToken ct)
    {
        var record = await VersionOf(request, ct);
        var lineage = await VersionLineage.ReadAsync(store, record, ct);
        var reference = Formats.Reference(record);
        var body = new StringBuilder();
        var download = Html.Url("/download", ("name", record.Name), ("v", Html.Number(record.Version)));
        body.Append("<p>")
            .Append(Html.Link(Html.Url("/artifact", ("name", record.Name)), "All versions")).Append(" · ")
            .Append(Html.Link(Html.Url("/graph", ("name", record.Name), ("v", Html.Number(record.Version))), "Lineage graph")).Append(" · ")
            .Append(CultureInfo.InvariantCulture, $"<a id=\"download\" href=\"{download}\">Download the value ({Html.Text(Formats.Size(record.Size))})</a>")
            .Append("</p>");
        body.Append(Html.Fields(
        [
            ("name", Html.ArtifactLink(record.Name)),
            ("version", Html.Number(record.Version)),
            ("branch", Html.Text(record.Branch.ToString().ToLowerInvariant())),
            ("aliases", Html.Chips(record.Aliases, "alias")),
            ("tags", Html.Chips(record.Tags, "tag")),
            ("description", record.Description is null ? string.Empty : Html.Text(record.Description).ReplaceLineEndings("<br>")),
            ("metadata", Html.Metadata(record.Metadata)),
            ("created", Html.Text($"{Formats.Time(record.CreatedAt)} by {record.CreatedBy} on {record.Host}")),
            ("size", Html.Text($"{Html.Number(record.Size)} bytes ({Formats.Size(record.Size)})")),
            ("type", $"<span class=\"mono\">{Html.Text(record.TypeName)}</span> ({Html.Text(record.Format)})"),
            ("hash", $"<span class=\"mono\">sha256:{Html.Text(record.Hash)}</span>"),
            ("code version", $"<span class=\"mono\">{Html.Text(record.CodeVersion ?? "-")}</span>"),
            ("assembly", Html.Text(record.AssemblyName is null ? "-" : $"{record.AssemblyName} {record.AssemblyVersion}".TrimEnd())),
            ("source revision", Html.Text(record.SourceRevision ?? "-")),
            ("run", lineage.Run is { } run ? Html.RunLink(run.Uid, Formats.RunSummary(run)) : "-"),
            ("storage", $"<span class=\"mono\" id=\"storage\">{Html.Text(UrlText.Mask(record.StorageRoot))}</span>{(record.StorageHost is null ? string.Empty : Html.Text($" (host {record.StorageHost})"))}"),
            ("key", $"<span class=\"mono\">{Html.Text(record.Key)}</span>"),
        ]));
        body.Append("<h2>Inputs</h2>");
        body.Append(lineage.Inputs.Count == 0
            ? "<p class=\"muted\">None recorded.</p>"
            : "<ul id=\"inputs\">" + string.Concat(lineage.Inputs.Select(i => $"<li>{(i.IsDeleted ? Html.Text(Formats.Reference(i)) : Html.VersionLink(i.Name, i.Version))}{(i.IsExact ? " <span class=\"muted\">(exact: matched by content)</span>" : string.Empty)}</li>")) + "</ul>");
        if (lineage.Declared.Count > 0)
        {
            body.Append("<p class=\"muted\">Declared in its code: ").Append(Html.Text(string.Join(", ", lineage.Declared))).Append("</p>");
        }

        body.Append("<h2>Outputs</h2>");
        body.Append(lineage.Outputs.Count == 0
            ? "<p class=\"muted\">Nothing computed from it yet.</p>"
            : "<ul id=\"outputs\">" + string.Concat(lineage.Outputs.Select(o => $"<li>{Html.VersionLink(o.Name, o.Version)}</li>")) + "</ul>");
        body.Append("<h2>Code</h2>");
        if (record.SourceCode is null)
        {
            body.Append("<p class=\"muted\">No code was recorded with this version.</p>");
        }
        else
        {
            body.Append("<div class=\"source\" id=\"code\">").Append(Highlight(record.SourceCode)).Append("</div>");
        }

        body.Append("<h2>Value</h2>");
        if (record.Size > InlineJsonLimit)
        {
            body.Append(CultureInfo.InvariantCulture, $"<p>{Html.Link(Html.Url("/value.json", ("name", record.Name), ("v", Html.Number(record.Version))), "The value as JSON")} (rendered on request: {Html.Text(Formats.Size(record.Size))} stored).</p>");
        }
        else
        {
            try
            {
                var json = await ValueJson.RenderAsync(store, record, [], ct);
                body.Append("<pre id=\"value\">").Append(Html.Text(json)).Append("</pre>");
            }
            catch (LineageException e)
            {
                body.Append("<p class=\"muted\" id=\"value\">Not shown as JSON: ").Append(Html.Text(e.Message)).Append("</p>");
            }
        }

        return Html.Page(reference, storeLabel, body.ToString());
    }

    /// <summary>The lineage graph of a version, as a laid-out SVG.</summary>
    public async Task<string> GraphAsync(HttpRequest request, CancellationToken ct)
    {
        var record = await VersionOf(request, ct);
        var direction = Query.Text(request.Query, "direction", 20) switch
        {
            null or "both" => LineageDirection.Both,
            "upstream" => LineageDirection.Upstream,
            "downstream" => LineageDirection.Downstream,
            _ => throw new BadRequestException("direction is upstream, downstream or both."),
        };
        var depth = Query.Int(request.Query, "depth", 1, LineageQueries.MaxDepth) ?? LineageQueries.DefaultDepth;
        var graph = await store.Lineage.GraphAsync(Formats.Reference(record), direction, depth, ct);
        var body = new StringBuilder("<p>");
        foreach (var (label, value) in new[] { ("Both", "both"), ("Upstream", "upstream"), ("Downstream", "downstream") })
        {
            body.Append(Html.Link(Html.Url("/graph", ("name", record.Name), ("v", Html.Number(record.Version)), ("direction", value)), label)).Append(' ');
        }

        body.Append("· ").Append(Html.Link(Html.VersionUrl(record.Name, record.Version), "Version page")).Append("</p>");
        body.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{graph.Nodes.Count} nodes, {graph.Edges.Count} edges; data flows left to right. Dashed: an input matched by content.</p>");
        body.Append("<div class=\"graph\" id=\"graph\">").Append(GraphSvg.Render(graph)).Append("</div>");
        return Html.Page($"Lineage of {Formats.Reference(record)}", storeLabel, body.ToString());
    }

    /// <summary>The most recent runs.</summary>
    public async Task<string> RunsAsync(CancellationToken ct)
    {
        var runs = await store.Runs.ListAsync(200, ct);
        var body = new StringBuilder();
        if (runs.Count == 0)
        {
            return Html.Page("Runs", storeLabel, "<p class=\"muted\">No runs.</p>");
        }

        body.Append("<table id=\"runs\"><thead><tr><th>Run</th><th>Status</th><th>Started</th><th>Duration</th><th>User</th><th>Host</th><th>Parameters</th></tr></thead><tbody>");
        foreach (var r in runs)
        {
            body.Append("<tr><td>").Append(Html.RunLink(r.Uid, r.IsImplicit ? $"{r.Name} (implicit)" : r.Name)).Append("</td>")
                .Append("<td>").Append(Html.Text(Formats.Status(r.Status))).Append("</td>")
                .Append("<td>").Append(Html.Text(Formats.Time(r.StartedAt))).Append("</td>")
                .Append("<td>").Append(Html.Text(Formats.Duration(r))).Append("</td>")
                .Append("<td>").Append(Html.Text(r.User)).Append("</td>")
                .Append("<td>").Append(Html.Text(r.Host)).Append("</td>")
                .Append("<td>").Append(string.Join("<br>", r.Parameters.Select(p => Html.Text($"{p.Key}={p.Value}")))).Append("</td></tr>");
        }

        body.Append("</tbody></table>");
        return Html.Page("Runs", storeLabel, body.ToString());
    }

    /// <summary>One run: parameters, inputs and outputs.</summary>
    public async Task<string> RunAsync(HttpRequest request, CancellationToken ct)
    {
        var uid = Query.Text(request.Query, "uid", 100) ?? throw new BadRequestException("Give a run: uid=UID.");
        if (!uid.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_'))
        {
            throw new BadRequestException("A run uid holds only letters, digits, '-' and '_'.");
        }

        var run = await store.Runs.GetAsync(uid, ct);
        var (inputs, outputs) = await store.Runs.InputsAndOutputsAsync(run.Uid, ct);
        var body = new StringBuilder(Html.Fields(
        [
            ("uid", $"<span class=\"mono\">{Html.Text(run.Uid)}</span>"),
            ("status", Html.Text(Formats.Status(run.Status))),
            ("kind", run.IsImplicit ? "implicit" : "explicit"),
            ("started", Html.Text(Formats.Time(run.StartedAt))),
            ("finished", Html.Text(run.FinishedAt is { } f ? Formats.Time(f) : "-")),
            ("duration", Html.Text(Formats.Duration(run))),
            ("user", Html.Text(run.User)),
            ("host", Html.Text(run.Host)),
            ("entry assembly", Html.Text(run.EntryAssembly is null ? "-" : $"{run.EntryAssembly} {run.EntryAssemblyVersion}".TrimEnd())),
            ("source revision", Html.Text(run.SourceRevision ?? "-")),
            ("command line", $"<span class=\"mono\">{Html.Text(run.CommandLine ?? "-")}</span>"),
            ("error", Html.Text(run.Error ?? "-")),
        ]));
        body.Append("<h2>Parameters</h2>").Append(run.Parameters.Count == 0 ? "<p class=\"muted\">None.</p>" : Html.Fields(run.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, Html.Text(p.Value)))));
        body.Append("<h2>Inputs</h2>").Append(inputs.Count == 0 ? "<p class=\"muted\">None recorded.</p>" : "<ul id=\"inputs\">" + string.Concat(inputs.Select(i => $"<li>{(i.IsDeleted ? Html.Text(Formats.Reference(i)) : Html.VersionLink(i.Name, i.Version))}</li>")) + "</ul>");
        body.Append("<h2>Outputs</h2>").Append(outputs.Count == 0 ? "<p class=\"muted\">None.</p>" : "<ul id=\"outputs\">" + string.Concat(outputs.Select(o => $"<li>{Html.VersionLink(o.Name, o.Version)}</li>")) + "</ul>");
        return Html.Page($"Run {run.Name}", storeLabel, body.ToString());
    }

    /// <summary>Storage locations (roots masked) and spaces.</summary>
    public async Task<string> StorageAsync(CancellationToken ct)
    {
        var locations = await store.Storages.ListAsync(ct);
        var spaces = await store.Spaces.ListAsync(ct);
        var body = new StringBuilder("<table id=\"locations\"><thead><tr><th></th><th>Root</th><th>Type</th><th>Host</th><th>Writable</th><th>Space</th><th>Region</th><th>Description</th></tr></thead><tbody>");
        foreach (var s in locations)
        {
            var mark = s.Uid == store.Storages.Default.Uid ? "default" : s.Uid == store.Storages.Local?.Uid ? "local" : string.Empty;
            body.Append("<tr><td>").Append(Html.Text(mark)).Append("</td>")
                .Append("<td class=\"mono\">").Append(Html.Text(UrlText.Mask(s.Root))).Append("</td>")
                .Append("<td>").Append(Html.Text(s.Type)).Append("</td>")
                .Append("<td>").Append(Html.Text(s.Host ?? "-")).Append("</td>")
                .Append("<td>").Append(s.IsWritable ? "yes" : "no").Append("</td>")
                .Append("<td>").Append(Html.Text(s.Space)).Append("</td>")
                .Append("<td>").Append(Html.Text(s.Region ?? "-")).Append("</td>")
                .Append("<td>").Append(Html.Text(s.Description ?? string.Empty)).Append("</td></tr>");
        }

        body.Append("</tbody></table><h2>Spaces</h2><table id=\"spaces\"><thead><tr><th>Name</th><th>Description</th><th>Created</th></tr></thead><tbody>");
        foreach (var space in spaces)
        {
            body.Append("<tr><td>").Append(Html.Text(space.Name)).Append("</td><td>").Append(Html.Text(space.Description ?? string.Empty))
                .Append("</td><td>").Append(Html.Text(Formats.Time(space.CreatedAt))).Append("</td></tr>");
        }

        body.Append("</tbody></table>");
        return Html.Page("Storage locations", storeLabel, body.ToString());
    }

    /// <summary>The version a request names by <c>name</c> and <c>v</c> (latest when no <c>v</c>).</summary>
    public async Task<ArtifactRecord> VersionOf(HttpRequest request, CancellationToken ct)
    {
        var name = Query.Name(request.Query);
        var version = Query.Int(request.Query, "v", 1, int.MaxValue);
        return await store.GetAsync(name, version, ct);
    }

    /// <summary>The value rendered as JSON, as <c>lineage get --format json</c> renders it.</summary>
    public async Task<string> ValueJsonAsync(ArtifactRecord record, CancellationToken ct) => await ValueJson.RenderAsync(store, record, [], ct);

    /// <summary>C# source as HTML with ColorCode's highlighting (it escapes the text itself).</summary>
    private static string Highlight(string source) => new HtmlFormatter().GetHtmlString(source, Languages.CSharp);

    private static string Input(string name, string label, string? value, string css = "") =>
        $"<label><span>{Html.Text(label)}</span><input type=\"text\" name=\"{name}\" value=\"{Html.Text(value)}\"{(css.Length > 0 ? $" class=\"{css}\"" : string.Empty)}></label>";
}

/// <summary>Nothing by that name (404).</summary>
internal sealed class NotFoundException(string message) : Exception(message);

/// <summary>A request whose parameters are malformed (400).</summary>
internal sealed class BadRequestException(string message) : Exception(message);

/// <summary>Query parameters, checked: lengths bounded, numbers in range, names by the artifact name rule.</summary>
internal static class Query
{
    public static string? Text(IQueryCollection query, string key, int maxLength)
    {
        var values = query[key];
        if (values.Count > 1)
        {
            throw new BadRequestException($"'{key}' is given more than once.");
        }

        var value = values.Count == 0 ? null : values[0];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return value.Length > maxLength ? throw new BadRequestException($"'{key}' is longer than {maxLength} characters.") : value.Trim();
    }

    public static int? Int(IQueryCollection query, string key, int min, int max)
    {
        var text = Text(query, key, 12);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new BadRequestException($"'{key}' takes a whole number from {min} to {max}.");
    }

    public static string Name(IQueryCollection query)
    {
        var name = Text(query, "name", ArtifactName.MaxLength * 4) ?? throw new BadRequestException("Give an artifact: name=NAME.");
        return ArtifactName.IsValid(name) ? name : throw new BadRequestException("Not an artifact name: a name starts with a letter or digit and holds only letters, digits, '-', '_', '.' and '/'.");
    }
}
