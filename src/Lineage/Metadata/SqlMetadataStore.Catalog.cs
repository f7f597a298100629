using System.Data.Common;
using System.Globalization;

namespace Lineage.Metadata;

/// <summary>Aliases with their history, and annotations.</summary>
internal abstract partial class SqlMetadataStore
{
    public Task<AliasMove?> SetAliasAsync(string name, string alias, string uid, string user, CancellationToken cancellationToken) =>
        MoveAliasAsync(name, alias, uid, user, cancellationToken);

    public Task<AliasMove?> RemoveAliasAsync(string name, string alias, string user, CancellationToken cancellationToken) =>
        MoveAliasAsync(name, alias, null, user, cancellationToken);

    /// <summary>
    /// Points the alias at <paramref name="uid"/> (or removes it when null) and records the move, in one write transaction,
    /// serialized per alias: two writers moving one alias end with one winner and a history row each, in the order they
    /// moved it (the time is read once the alias is locked). Null when nothing moved.
    /// </summary>
    private Task<AliasMove?> MoveAliasAsync(string name, string alias, string? uid, string user, CancellationToken cancellationToken) =>
        RunAsync(uid is null ? $"remove alias '{alias}' of '{name}'" : $"set alias '{alias}' of '{name}'", async connection =>
        {
            var transaction = await BeginWriteAsync(connection, forMigration: false, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await LockAliasAsync(connection, transaction, name, alias, cancellationToken).ConfigureAwait(false);
                var at = ArtifactStore.UtcNowToMicroseconds();
                int? from = null;
                string? fromUid = null;
                using (var current = Command(connection, transaction, $"SELECT a.version, a.uid FROM aliases al JOIN artifacts a ON a.id = al.artifact_id WHERE al.name = @name AND al.alias = @alias{ForUpdate};",
                    ("@name", name), ("@alias", alias)))
                {
                    var reader = await current.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            (from, fromUid) = (reader.GetInt32(0), reader.GetString(1));
                        }
                    }
                }

                if (string.Equals(fromUid, uid, StringComparison.Ordinal))
                {
                    return null;
                }

                int? to = null;
                if (uid is null)
                {
                    await ExecuteAsync(connection, transaction, "DELETE FROM aliases WHERE name = @name AND alias = @alias;", cancellationToken, ("@name", name), ("@alias", alias)).ConfigureAwait(false);
                }
                else
                {
                    var version = await ScalarAsync(connection, transaction, "SELECT version FROM artifacts WHERE uid = @uid;", cancellationToken, ("@uid", uid)).ConfigureAwait(false);
                    if (version is null or DBNull)
                    {
                        throw new ArtifactNotFoundException(name, null, $"The version of '{name}' to point '{alias}' at is no longer in {Location.MaskedUrl}.");
                    }

                    to = Convert.ToInt32(version, CultureInfo.InvariantCulture);
                    await ExecuteAsync(connection, transaction, """
                        INSERT INTO aliases (name, alias, artifact_id, set_at, set_by)
                        SELECT @name, @alias, a.id, @at, @user FROM artifacts a WHERE a.uid = @uid
                        ON CONFLICT (name, alias) DO UPDATE SET artifact_id = excluded.artifact_id, set_at = excluded.set_at, set_by = excluded.set_by;
                        """, cancellationToken, ("@name", name), ("@alias", alias), ("@at", TimeValue(at)), ("@user", user), ("@uid", uid)).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, transaction, """
                    INSERT INTO alias_history (name, alias, from_version, to_version, moved_at, moved_by) VALUES (@name, @alias, @from, @to, @at, @user);
                    """, cancellationToken, ("@name", name), ("@alias", alias), ("@from", from), ("@to", to), ("@at", TimeValue(at)), ("@user", user)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new AliasMove(name, alias, from, to, at, user);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<AliasRecord>> ListAliasesAsync(string name, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<AliasRecord>>($"list the aliases of '{name}'", async connection =>
        {
            var aliases = new List<AliasRecord>();
            using var command = Command(connection, null, """
                SELECT al.name, al.alias, a.version, a.uid, al.set_at, al.set_by FROM aliases al JOIN artifacts a ON a.id = al.artifact_id
                WHERE al.name = @name ORDER BY al.alias;
                """, ("@name", name));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    aliases.Add(new AliasRecord(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), ReadTime(reader, 4), reader.GetString(5)));
                }
            }

            return aliases;
        }, cancellationToken);

    public Task<IReadOnlyList<AliasMove>> AliasHistoryAsync(string name, string alias, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<AliasMove>>($"read the history of alias '{alias}' of '{name}'", async connection =>
        {
            var moves = new List<AliasMove>();
            using var command = Command(connection, null, """
                SELECT from_version, to_version, moved_at, moved_by FROM alias_history WHERE name = @name AND alias = @alias ORDER BY id;
                """, ("@name", name), ("@alias", alias));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    moves.Add(new AliasMove(name, alias, reader.IsDBNull(0) ? null : reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), ReadTime(reader, 2), reader.GetString(3)));
                }
            }

            return moves;
        }, cancellationToken);

    /// <summary>The version an alias points at, in one statement (as a version number lookup is).</summary>
    public async Task<ArtifactRecord?> FindByAliasAsync(string name, string alias, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"resolve '{name}@{alias}'",
            $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.id = (SELECT al.artifact_id FROM aliases al WHERE al.name = @name AND al.alias = @alias);",
            cancellationToken, ("@name", name), ("@alias", alias)).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    /// <summary>Whether the alias existed at <paramref name="asOf"/>, and the version it pointed at then.</summary>
    public Task<(bool Existed, int? Version)> AliasAtAsync(string name, string alias, DateTimeOffset asOf, CancellationToken cancellationToken) =>
        RunAsync($"resolve '{name}@{alias}' as of {asOf:O}", async connection =>
        {
            using var command = Command(connection, null, """
                SELECT to_version FROM alias_history WHERE name = @name AND alias = @alias AND moved_at <= @as_of ORDER BY moved_at DESC, id DESC LIMIT 1;
                """, ("@name", name), ("@alias", alias), ("@as_of", TimeValue(asOf)));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && !reader.IsDBNull(0)
                    ? (true, (int?)reader.GetInt32(0))
                    : (false, null);
            }
        }, cancellationToken);

    /// <summary>
    /// Changes a version's annotations in one write transaction (the row locked where the database needs it), so concurrent
    /// annotations of one version each keep the other's keys.
    /// </summary>
    public Task<ArtifactRecord> AnnotateAsync(string uid, ArtifactAnnotation change, CancellationToken cancellationToken) =>
        RunAsync($"annotate artifact {uid}", async connection =>
        {
            var transaction = await BeginWriteAsync(connection, forMigration: false, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                string? description, tagsJson, metadataJson;
                using (var current = Command(connection, transaction, $"SELECT description, {JsonColumn("tags")}, {JsonColumn("metadata")} FROM artifacts WHERE uid = @uid{ForUpdate};", ("@uid", uid)))
                {
                    var reader = await current.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            throw new ArtifactNotFoundException(uid, null, $"Artifact {uid} is no longer in {Location.MaskedUrl}.");
                        }

                        (description, tagsJson, metadataJson) = (NullableString(reader, 0), NullableString(reader, 1), NullableString(reader, 2));
                    }
                }

                var tags = Annotations.ReadTags(tagsJson).Union(change.AddTags, StringComparer.Ordinal).Except(change.RemoveTags, StringComparer.Ordinal);
                var metadata = new SortedDictionary<string, object>(Annotations.ReadMetadata(metadataJson).ToDictionary(), StringComparer.Ordinal);
                foreach (var key in change.RemoveMetadata)
                {
                    metadata.Remove(key);
                }

                foreach (var (key, value) in change.SetMetadata)
                {
                    metadata[key] = value;
                }

                // The indexed copy is rewritten in the same command when the metadata changed (a command of two more statements).
                var json = Annotations.MetadataJson(metadata);
                var reindex = change.SetMetadata.Count > 0 || change.RemoveMetadata.Count > 0
                    ? $" DELETE FROM artifact_metadata WHERE artifact_id = (SELECT id FROM artifacts WHERE uid = @uid); {InsertMetadataRowsSql("(SELECT id FROM artifacts WHERE uid = @uid)", JsonParameter("@metadata"))}"
                    : string.Empty;
                await ExecuteAsync(connection, transaction, $"UPDATE artifacts SET description = @description, tags = {JsonParameter("@tags")}, metadata = {JsonParameter("@metadata")} WHERE uid = @uid;{reindex}", cancellationToken,
                    ("@description", change.Description ?? description), ("@tags", Annotations.TagsJson(Annotations.Tags(tags))), ("@metadata", json), ("@uid", uid)).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return (await QueryAsync(connection, null, $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.uid = @uid;", cancellationToken, ("@uid", uid)).ConfigureAwait(false))[0];
            }
        }, cancellationToken);
}

/// <summary>A change to a version's annotations: each part optional.</summary>
internal sealed record ArtifactAnnotation(
    string? Description,
    IReadOnlyList<string> AddTags,
    IReadOnlyList<string> RemoveTags,
    IReadOnlyDictionary<string, object> SetMetadata,
    IReadOnlyList<string> RemoveMetadata);

/// <summary>Finding versions by name, tags, alias, creator, time and metadata.</summary>
internal abstract partial class SqlMetadataStore
{
    /// <summary>This database's SQL for metadata filters.</summary>
    protected abstract Catalog.FilterDialect Dialect { get; }

    /// <summary>True for a row <c>a</c> whose name matches the glob in <paramref name="parameter"/> (<c>*</c>, <c>?</c>), case-sensitively.</summary>
    protected abstract string NameMatchSql(string parameter);

    /// <summary>The glob as this database's pattern parameter.</summary>
    protected abstract string NamePattern(string glob);

    /// <summary>True for a row <c>a</c> carrying the tag in <paramref name="parameter"/>; <see cref="TagParameter"/> gives its value.</summary>
    protected abstract string HasTagSql(string parameter);

    protected abstract object TagParameter(string tag);

    /// <summary>
    /// An INSERT of the <c>artifact_metadata</c> rows (one per key holding a number, string or boolean) of the artifact whose id is
    /// <paramref name="artifactId"/>, from the JSON object <paramref name="json"/> (both SQL; null JSON inserts nothing), ending in ';'.
    /// </summary>
    protected abstract string InsertMetadataRowsSql(string artifactId, string json);

    /// <summary>
    /// The ids of the newest live version of each name, as artifact_names keeps them (schema 9): a latest-only Find filters 1 row per
    /// name without a look-up of its versions.
    /// </summary>
    private const string LatestIdsSql = "SELECT n.latest_id FROM artifact_names n WHERE n.latest_id IS NOT NULL";

    public Task<IReadOnlyList<ArtifactRecord>> FindAsync(ArtifactQuery query, FilterExpression? filter, CancellationToken cancellationToken)
    {
        var parameters = new List<(string Name, object? Value)>();
        string Add(object value)
        {
            var name = $"@q{parameters.Count}";
            parameters.Add((name, value));
            return name;
        }

        var where = new List<string> { "a.branch = 'main'" };
        // An alias names one version, which need not be the latest of its name.
        var latestOnly = !query.AllVersions && query.Alias is null;
        if (latestOnly)
        {
            where.Add($"a.id IN ({LatestIdsSql})");
        }

        if (query.Name is { } name)
        {
            where.Add(name.Contains('*', StringComparison.Ordinal) || name.Contains('?', StringComparison.Ordinal)
                ? NameMatchSql(Add(NamePattern(name)))
                : $"a.name = {Add(name)}");
        }

        where.AddRange(query.Tags.Select(tag => HasTagSql(Add(TagParameter(tag)))));
        if (query.Alias is { } alias)
        {
            where.Add($"EXISTS (SELECT 1 FROM aliases x WHERE x.artifact_id = a.id AND x.alias = {Add(alias)})");
        }

        if (query.CreatedBy is { } user)
        {
            where.Add($"a.created_by = {Add(user)}");
        }

        if (query.CreatedAfter is { } after)
        {
            where.Add($"a.created_at >= {Add(TimeValue(after))}");
        }

        if (query.CreatedBefore is { } before)
        {
            where.Add($"a.created_at < {Add(TimeValue(before))}");
        }

        var order = (query.OrderBy ?? "name").Trim();
        var descending = order.StartsWith('-');
        var key = order.TrimStart('-', '+');
        var direction = descending ? "DESC" : "ASC";
        var join = string.Empty;
        string orderBy;
        switch (key)
        {
            case "name":
                orderBy = $"a.name {direction}, a.version {direction}";
                break;
            case "created":
                orderBy = $"a.created_at {direction}, a.id {direction}";
                break;
            case "version":
                orderBy = $"a.version {direction}, a.name";
                break;
            default:
                // A comparison on the sort key moves into the ordering join: the top N walks that key's index in order and stops,
                // over all versions and over the latest ones alike (then each row met is checked against the latest ids).
                var ordering = Catalog.FilterSql.OrderBy(key.StartsWith("metadata.", StringComparison.Ordinal) ? key["metadata.".Length..] : key, descending,
                    filter, Dialect, "a.id", Add);
                (join, orderBy) = ($"\n{ordering.Join}", $"{ordering.Terms}, a.name, a.version");
                filter = ordering.Remaining;
                break;
        }

        if (filter is not null)
        {
            // The latest versions (one per name) or an alias's are few: a seek per row beats reading every version that matches.
            where.Add($"({Catalog.FilterSql.Compile(filter, Dialect, "a.id", Add, latestOnly || query.Alias is not null ? "a.metadata" : null)})");
        }

        var limit = query.Limit is { } l ? $" LIMIT {Add(l)}" : string.Empty;
        return QueryAsync("find artifacts", $"SELECT {ArtifactColumns} {ArtifactFrom}{join} WHERE {string.Join(" AND ", where)} ORDER BY {orderBy}{limit};", cancellationToken, [.. parameters]);
    }
}
