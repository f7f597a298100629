using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Lineage.Metadata;

/// <summary>Runs and the input edges between versions: recorded with the save, walked inside the database.</summary>
internal abstract partial class SqlMetadataStore
{
    private const string RunColumns = """
        r.id, r.uid, r.name, r.status, r.started_at, r.finished_at, r.created_by, r.host, r.is_implicit,
        r.entry_assembly, r.entry_version, r.source_revision, r.command_line, r.parameters, r.error
        """;

    /// <summary>Rows sent per statement when a list of ids or uids becomes parameters.</summary>
    private const int Batch = 500;

    /// <summary>
    /// The SQL that records a new version's inputs, given the expression for its id: the CTEs (<c>exact</c>: each
    /// <c>GetOrCompute</c> argument matched to a stored version by content hash and size, the live one first, then the newest;
    /// <c>loaded</c>: the versions its run loaded, used only when no argument matched) and the INSERT. Null when it has no candidates.
    /// </summary>
    protected static (string With, string Insert, (string Name, object? Value)[] Parameters)? InputEdges(NewArtifact artifact, string newId)
    {
        var exact = artifact.ExactInputs ?? [];
        var loaded = artifact.LoadedInputUids ?? [];
        if (exact.Count == 0 && loaded.Count == 0)
        {
            return null;
        }

        var parameters = new List<(string, object?)>();
        var with = new List<string>();
        var selects = new List<string>();
        if (exact.Count > 0)
        {
            var rows = exact.Select((input, i) =>
            {
                parameters.Add(($"@ep{i}", input.Position));
                parameters.Add(($"@eh{i}", input.Hash));
                parameters.Add(($"@es{i}", input.Size));
                return $"(@ep{i}, @eh{i}, @es{i})";
            });
            with.Add($"""
                exact AS (
                    SELECT i.column1 AS position, a.id AS input_id, a.name AS name, a.version AS version, 1 AS exact
                    FROM (VALUES {string.Join(", ", rows)}) i
                    JOIN artifacts a ON a.id = (
                        SELECT b.id FROM artifacts b WHERE b.hash = i.column2 AND b.size = i.column3 AND b.uid <> @uid
                        ORDER BY CASE WHEN b.branch = 'main' THEN 0 ELSE 1 END, b.id DESC LIMIT 1))
                """);
            selects.Add($"SELECT {newId}, position, input_id, name, version, exact FROM exact");
        }

        if (loaded.Count > 0)
        {
            var rows = loaded.Select((uid, i) =>
            {
                parameters.Add(($"@lp{i}", i));
                parameters.Add(($"@lu{i}", uid));
                return $"(@lp{i}, @lu{i})";
            });
            with.Add($"""
                loaded AS (
                    SELECT l.column1 AS position, a.id AS input_id, a.name AS name, a.version AS version, 0 AS exact
                    FROM (VALUES {string.Join(", ", rows)}) l
                    JOIN artifacts a ON a.uid = l.column2
                    {(exact.Count > 0 ? "WHERE NOT EXISTS (SELECT 1 FROM exact)" : string.Empty)})
                """);
            selects.Add($"SELECT {newId}, position, input_id, name, version, exact FROM loaded");
        }

        return (string.Join(",\n", with),
            $"INSERT INTO artifact_inputs (artifact_id, position, input_id, name, version, exact) {string.Join(" UNION ALL ", selects)}",
            [.. parameters]);
    }

    public Task<RunRecord> InsertRunAsync(NewRun run, CancellationToken cancellationToken) =>
        RunAsync($"record run '{run.Name}'", async connection =>
        {
            var id = await ScalarAsync(connection, null, """
                INSERT INTO runs (uid, name, status, started_at, created_by, host, is_implicit, entry_assembly, entry_version, source_revision, command_line, parameters)
                VALUES (@uid, @name, 'running', @started_at, @created_by, @host, @is_implicit, @entry_assembly, @entry_version, @source_revision, @command_line, @parameters)
                RETURNING id;
                """, cancellationToken,
                ("@uid", run.Uid), ("@name", run.Name), ("@started_at", TimeValue(run.StartedAt)), ("@created_by", run.User), ("@host", run.Host),
                ("@is_implicit", run.IsImplicit ? 1 : 0), ("@entry_assembly", run.EntryAssembly), ("@entry_version", run.EntryAssemblyVersion),
                ("@source_revision", run.SourceRevision), ("@command_line", run.CommandLine), ("@parameters", JsonText.Object(run.Parameters))).ConfigureAwait(false);
            var found = await QueryRunsAsync(connection, $"SELECT {RunColumns} FROM runs r WHERE r.id = @id;", cancellationToken, ("@id", Convert.ToInt64(id, CultureInfo.InvariantCulture))).ConfigureAwait(false);
            return found[0];
        }, cancellationToken);

    public Task FinishRunAsync(long runId, RunStatus status, DateTimeOffset finishedAt, string? error, IReadOnlyList<string> inputUids, CancellationToken cancellationToken) =>
        RunAsync("record the end of a run", async connection =>
        {
            var transaction = await BeginWriteAsync(connection, forMigration: false, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                foreach (var chunk in inputUids.Chunk(Batch))
                {
                    var names = chunk.Select((_, i) => $"@u{i}").ToList();
                    await ExecuteAsync(connection, transaction, $"""
                        INSERT INTO run_inputs (run_id, input_id, name, version)
                        SELECT @run_id, a.id, a.name, a.version FROM artifacts a WHERE a.uid IN ({string.Join(", ", names)})
                        ON CONFLICT (run_id, name, version) DO NOTHING;
                        """, cancellationToken, [("@run_id", runId), .. chunk.Select((uid, i) => ((string, object?))($"@u{i}", uid))]).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, transaction, "UPDATE runs SET status = @status, finished_at = @finished_at, error = @error WHERE id = @id;", cancellationToken,
                    ("@status", StatusText(status)), ("@finished_at", TimeValue(finishedAt)), ("@error", error), ("@id", runId)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return true;
            }
        }, cancellationToken);

    public Task<RunRecord?> FindRunAsync(string uid, CancellationToken cancellationToken) =>
        RunAsync($"read run '{uid}'", async connection =>
        {
            var found = await QueryRunsAsync(connection, $"SELECT {RunColumns} FROM runs r WHERE r.uid = @uid;", cancellationToken, ("@uid", uid)).ConfigureAwait(false);
            return found.Count > 0 ? found[0] : null;
        }, cancellationToken);

    public Task<IReadOnlyList<RunRecord>> ListRunsAsync(int limit, CancellationToken cancellationToken) =>
        RunAsync("list the runs", connection => QueryRunsAsync(connection, $"SELECT {RunColumns} FROM runs r ORDER BY r.started_at DESC, r.id DESC LIMIT @limit;", cancellationToken, ("@limit", limit)), cancellationToken);

    public Task<(IReadOnlyList<LineageInput> Inputs, IReadOnlyList<ArtifactRecord> Outputs)> RunInputsAndOutputsAsync(long runId, CancellationToken cancellationToken) =>
        RunAsync("read a run's inputs and outputs", async connection =>
        {
            var rows = new List<(long? Id, string Name, int Version)>();
            using (var command = Command(connection, null, "SELECT input_id, name, version FROM run_inputs WHERE run_id = @run_id ORDER BY name, version;", ("@run_id", runId)))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        rows.Add((reader.IsDBNull(0) ? null : reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2)));
                    }
                }
            }

            var records = await RecordsByIdAsync(connection, rows.Where(r => r.Id is not null).Select(r => r.Id!.Value).ToList(), cancellationToken).ConfigureAwait(false);
            IReadOnlyList<LineageInput> inputs = [.. rows.Select(r => new LineageInput(r.Name, r.Version, r.Id is { } id ? records.GetValueOrDefault(id) : null, IsExact: false))];
            IReadOnlyList<ArtifactRecord> outputs = await QueryAsync(connection, null,
                $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.run_id = @run_id ORDER BY a.name, a.version;", cancellationToken, ("@run_id", runId)).ConfigureAwait(false);
            return (inputs, outputs);
        }, cancellationToken);

    public Task<IReadOnlyList<LineageInput>> InputsAsync(string uid, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<LineageInput>>($"read the inputs of artifact {uid}", async connection =>
        {
            var rows = await QueryInputRowsAsync(connection, """
                SELECT e.artifact_id, e.position, e.input_id, e.name, e.version, e.exact
                FROM artifact_inputs e JOIN artifacts o ON o.id = e.artifact_id
                WHERE o.uid = @uid ORDER BY e.position;
                """, cancellationToken, ("@uid", uid)).ConfigureAwait(false);
            var records = await RecordsByIdAsync(connection, rows.Where(r => r.InputId is not null).Select(r => r.InputId!.Value).ToList(), cancellationToken).ConfigureAwait(false);
            return [.. rows.Select(r => new LineageInput(r.Name, r.Version, r.InputId is { } id ? records.GetValueOrDefault(id) : null, r.IsExact))];
        }, cancellationToken);

    public Task<IReadOnlyList<ArtifactRecord>> OutputsAsync(string uid, CancellationToken cancellationToken) => QueryAsync($"read the outputs of artifact {uid}", $"""
        SELECT {ArtifactColumns} {ArtifactFrom}
        WHERE a.id IN (SELECT e.artifact_id FROM artifact_inputs e JOIN artifacts i ON i.id = e.input_id WHERE i.uid = @uid)
        ORDER BY a.name, a.version;
        """, cancellationToken, ("@uid", uid));

    public Task<IReadOnlyList<string>> DeclaredUpstreamAsync(string uid, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<string>>($"read the declared inputs of artifact {uid}", async connection =>
        {
            var json = await ScalarAsync(connection, null, "SELECT c.upstream FROM artifacts a JOIN code_records c ON c.id = a.code_record_id WHERE a.uid = @uid;", cancellationToken, ("@uid", uid)).ConfigureAwait(false);
            return json is string text ? JsonText.ReadArray(text) : [];
        }, cancellationToken);

    public Task<LineageWalk?> WalkAsync(string name, int? version, LineageDirection direction, int depth, CancellationToken cancellationToken) =>
        RunAsync($"walk the lineage of '{name}'{(version is { } v ? " version " + v.ToString(CultureInfo.InvariantCulture) : string.Empty)}", async connection =>
        {
            // One command, one round trip, whatever the graph's size; its text depends only on the direction and on whether a
            // version is named, so a prepared statement serves every graph.
            var sql = WalkSql[(version is null ? 0 : 3) + (int)direction];
            using var command = version is { } number
                ? Command(connection, null, sql, ("@name", name), ("@version", number), ("@depth", depth))
                : Command(connection, null, sql, ("@name", name), ("@depth", depth));
            long? rootId = null;
            var rows = new HashSet<WalkEdge>();
            var versions = new Dictionary<long, LineageVersion>();
            var runs = new Dictionary<long, LineageRun>();
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                do
                {
                    // A version's columns repeat on each of its edge rows: they (and its depth) are read the first time only, and an
                    // edge's name and version only for a deleted input. Reading a column costs more than the walk's joins.
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var id = reader.GetInt64(1);
                        if (!versions.ContainsKey(id))
                        {
                            versions[id] = ReadWalkVersion(reader, runs);
                            if (reader.GetInt32(0) == 0)
                            {
                                rootId = id;
                            }
                        }

                        if (!reader.IsDBNull(WalkEdgeColumn))
                        {
                            rows.Add(ReadWalkEdge(reader, WalkEdgeColumn));
                        }
                    }
                }
                while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
            }

            return rootId is { } root ? new LineageWalk(root, [.. rows], versions) : null;
        }, cancellationToken);

    /// <summary>Where the input row starts in a row of <see cref="WalkSql"/>.</summary>
    private const int WalkEdgeColumn = 18;

    /// <summary>
    /// The walks, by <c>(latest ? 0 : 3) + direction</c>. Each row is a version reached within <c>@depth</c> steps of the root (the
    /// version of <c>@name</c> numbered <c>@version</c>, or its latest live one), with its depth, the few columns a graph node
    /// shows, its run, and one of the input rows met there (none at the depth bound, where the walk stops). <c>UNION</c> drops
    /// a (version, depth) pair seen before and the depth bounds the walk, so it ends on any data, even a cycle no save can make.
    /// Both directions are the two walks in one command.
    /// </summary>
    private static readonly string[] WalkSql = [.. new[] { false, true }.SelectMany(named => new[]
    {
        Walk(named, upstream: true),
        Walk(named, upstream: false),
        Walk(named, upstream: true) + "\n" + Walk(named, upstream: false),
    })];

    private static string Walk(bool named, bool upstream) => $"""
        WITH RECURSIVE walk (id, depth) AS (
            {(named
                ? "SELECT id, 0 FROM artifacts WHERE name = @name AND version = @version"
                : "SELECT id, 0 FROM artifacts WHERE id = (SELECT b.id FROM artifacts b WHERE b.name = @name AND b.branch = 'main' ORDER BY b.version DESC LIMIT 1)")}
            UNION
            {(upstream
                ? "SELECT e.input_id, w.depth + 1 FROM walk w JOIN artifact_inputs e ON e.artifact_id = w.id WHERE w.depth < @depth AND e.input_id IS NOT NULL"
                : "SELECT e.artifact_id, w.depth + 1 FROM walk w JOIN artifact_inputs e ON e.input_id = w.id WHERE w.depth < @depth")}),
        reached (id, depth) AS (SELECT id, MIN(depth) FROM walk GROUP BY id)
        SELECT w.depth, a.id, a.uid, a.name, a.version, a.branch, a.created_at, a.created_by, a.size, a.hash, c.code_version,
            a.run_id, r.uid, r.name, r.status, r.started_at, r.finished_at, r.is_implicit,
            e.artifact_id, e.position, e.input_id, e.name, e.version, e.exact
        FROM reached w
        JOIN artifacts a ON a.id = w.id
        LEFT JOIN code_records c ON c.id = a.code_record_id
        LEFT JOIN runs r ON r.id = a.run_id
        LEFT JOIN artifact_inputs e ON e.{(upstream ? "artifact_id" : "input_id")} = a.id AND w.depth < @depth;
        """;

    /// <summary>A version of a walk's row; its run is read once per walk, however many versions it saved (<paramref name="runs"/>, by id).</summary>
    private LineageVersion ReadWalkVersion(DbDataReader reader, Dictionary<long, LineageRun> runs)
    {
        LineageRun? run = null;
        if (!reader.IsDBNull(11) && !runs.TryGetValue(reader.GetInt64(11), out run))
        {
            run = new LineageRun(
                Uid: reader.GetString(12),
                Name: reader.GetString(13),
                Status: ParseStatus(reader.GetString(14)),
                StartedAt: ReadTime(reader, 15),
                FinishedAt: reader.IsDBNull(16) ? null : ReadTime(reader, 16),
                IsImplicit: Convert.ToInt64(reader.GetValue(17), CultureInfo.InvariantCulture) != 0);
            runs[reader.GetInt64(11)] = run;
        }

        return new LineageVersion(
            Uid: reader.GetString(2),
            Name: reader.GetString(3),
            Version: reader.GetInt32(4),
            Branch: ParseBranch(reader.GetString(5)),
            CreatedAt: ReadTime(reader, 6),
            CreatedBy: reader.GetString(7),
            Size: reader.GetInt64(8),
            Hash: reader.GetString(9),
            CodeVersion: NullableString(reader, 10),
            Run: run);
    }

    private async Task<Dictionary<long, ArtifactRecord>> RecordsByIdAsync(DbConnection connection, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var records = new Dictionary<long, ArtifactRecord>();
        foreach (var chunk in ids.Distinct().Chunk(Batch))
        {
            var names = chunk.Select((_, i) => $"@i{i}").ToList();
            using var command = Command(connection, null, $"SELECT {ArtifactColumns}, a.id {ArtifactFrom} WHERE a.id IN ({string.Join(", ", names)});",
                [.. chunk.Select((id, i) => ((string, object?))($"@i{i}", id))]);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    records[reader.GetInt64(ArtifactColumnCount)] = ReadArtifact(reader);
                }
            }
        }

        return records;
    }

    private static async Task<IReadOnlyList<InputRow>> QueryInputRowsAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, null, sql, parameters);
        var rows = new List<InputRow>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(ReadInputRow(reader));
            }
        }

        return rows;
    }

    /// <summary>The edge in a walk's row at <paramref name="at"/>: artifact_id, position, input_id, name, version, exact.</summary>
    private static WalkEdge ReadWalkEdge(DbDataReader reader, int at)
    {
        var exact = Convert.ToInt64(reader.GetValue(at + 5), CultureInfo.InvariantCulture) != 0;
        return reader.IsDBNull(at + 2)
            ? new WalkEdge(reader.GetInt64(at), null, reader.GetString(at + 3), reader.GetInt32(at + 4), exact)
            : new WalkEdge(reader.GetInt64(at), reader.GetInt64(at + 2), null, 0, exact);
    }

    private static InputRow ReadInputRow(DbDataReader reader, int at = 0) =>
        new(reader.GetInt64(at), reader.GetInt32(at + 1), reader.IsDBNull(at + 2) ? null : reader.GetInt64(at + 2), reader.GetString(at + 3), reader.GetInt32(at + 4),
            Convert.ToInt64(reader.GetValue(at + 5), CultureInfo.InvariantCulture) != 0);

    private async Task<IReadOnlyList<RunRecord>> QueryRunsAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, null, sql, parameters);
        var runs = new List<RunRecord>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                runs.Add(new RunRecord(
                    Uid: reader.GetString(1),
                    Name: reader.GetString(2),
                    Status: ParseStatus(reader.GetString(3)),
                    StartedAt: ReadTime(reader, 4),
                    FinishedAt: reader.IsDBNull(5) ? null : ReadTime(reader, 5),
                    User: reader.GetString(6),
                    Host: reader.GetString(7),
                    IsImplicit: Convert.ToInt64(reader.GetValue(8), CultureInfo.InvariantCulture) != 0,
                    EntryAssembly: NullableString(reader, 9),
                    EntryAssemblyVersion: NullableString(reader, 10),
                    SourceRevision: NullableString(reader, 11),
                    CommandLine: NullableString(reader, 12),
                    Parameters: NullableString(reader, 13) is { } json ? JsonText.ReadObject(json) : new Dictionary<string, string>(),
                    Error: NullableString(reader, 14))
                {
                    Id = reader.GetInt64(0),
                });
            }
        }

        return runs;
    }

    private static string StatusText(RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Succeeded => "succeeded",
        RunStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    private static RunStatus ParseStatus(string text) => text switch
    {
        "running" => RunStatus.Running,
        "succeeded" => RunStatus.Succeeded,
        "failed" => RunStatus.Failed,
        _ => throw new InvalidDataException($"Unknown run status '{text}' in the metadata database."),
    };
}

/// <summary>The small JSON values the metadata database keeps in text columns: arrays of names, objects of strings.</summary>
internal static class JsonText
{
    public static string Array(IEnumerable<string> items)
    {
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var item in items)
            {
                json.WriteStringValue(item);
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Object(IReadOnlyDictionary<string, string> items)
    {
        using var buffer = new MemoryStream();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (key, value) in items.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                json.WriteString(key, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static IReadOnlyList<string> ReadArray(string text)
    {
        using var document = System.Text.Json.JsonDocument.Parse(text);
        return [.. document.RootElement.EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
    }

    public static IReadOnlyDictionary<string, string> ReadObject(string text)
    {
        using var document = System.Text.Json.JsonDocument.Parse(text);
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
    }
}
