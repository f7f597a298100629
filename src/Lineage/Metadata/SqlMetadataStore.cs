using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Lineage.Configuration;

namespace Lineage.Metadata;

/// <summary>One numbered schema change. Never edit a shipped migration: add the next one.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// The metadata queries, in the SQL that SQLite and PostgreSQL share (named <c>@parameters</c>,
/// <c>INSERT … ON CONFLICT … RETURNING</c>). Each backend supplies its dialect: DDL, connections,
/// how writers are serialized, how a unique violation looks, and how times are stored.
/// </summary>
/// <remarks>
/// Every query after opening runs through <see cref="RunAsync"/>, the one place where a failure of the database (outage,
/// dropped connection, full disk, refused statement) becomes a <see cref="MetadataDatabaseException"/>: no driver exception
/// leaves this class.
/// </remarks>
internal abstract partial class SqlMetadataStore : IMetadataStore
{
    private const int MaxVersionAttempts = 5;

    /// <summary>How many columns <see cref="ArtifactColumns"/> selects; a query may add its own after them.</summary>
    protected const int ArtifactColumnCount = 31;

    /// <summary>How many code versions' source code <see cref="ReadArtifact"/> keeps, so a listing reads each text once.</summary>
    private const int MaxRememberedSources = 4_096;

    private string? _artifactColumns;
    private string? _listColumns;
    private string? _loadColumns;

    /// <summary>The columns <see cref="ReadArtifact"/> reads, in its order.</summary>
    private string ArtifactColumns => _artifactColumns ??= ColumnsWith(AliasListSql);

    /// <summary><see cref="ArtifactColumns"/> for a whole listing, whose aliases come from <see cref="ListAliasesSql"/>.</summary>
    private string ListColumns => _listColumns ??= ColumnsWith(ListAliasesSql.Column);

    // The shared flag is a column that triggers keep (schema 9), no longer a probe of artifacts_by_value per record.
    private string ColumnsWith(string aliases) => $"""
        a.uid, a.name, a.version, a.created_at, a.created_by, a.host, a.size, a.hash,
        a.type_name, a.format, s.root, a.key, a.branch, c.code_version, c.source_code,
        c.assembly_name, c.assembly_version, c.source_revision, a.inputs_hash, a.type_schema,
        s.host, a.is_managed, a.storage_id, r.uid, a.description, {JsonColumn("a.tags")}, {JsonColumn("a.metadata")}, {aliases},
        a.value_shared, a.trashed_at, a.checksum
        """;

    /// <summary>
    /// <see cref="ArtifactColumns"/> for a load whose record nobody sees: no source code, aliases or shared flag (NULL, NULL, 0 in
    /// their places), which cost a read of the code text and two index seeks.
    /// </summary>
    private string LoadColumns => _loadColumns ??= $"""
        a.uid, a.name, a.version, a.created_at, a.created_by, a.host, a.size, a.hash,
        a.type_name, a.format, s.root, a.key, a.branch, c.code_version, NULL,
        c.assembly_name, c.assembly_version, c.source_revision, a.inputs_hash, a.type_schema,
        s.host, a.is_managed, a.storage_id, r.uid, a.description, {JsonColumn("a.tags")}, {JsonColumn("a.metadata")}, NULL,
        0, a.trashed_at, a.checksum
        """;

    private const string StorageColumns = """
        s.id, s.uid, s.root, s.type, s.description, s.region, s.host, s.instance_uid, s.space_id, sp.name, s.created_at, s.created_by
        """;

    private const string StorageFrom = "FROM storages s JOIN spaces sp ON sp.id = s.space_id";

    /// <summary>True for a storage row <c>s</c> that <c>@access_user</c> may use: it is in the space everyone is in (id 1), or they are a member of its space.</summary>
    protected const string MayUseStorage =
        "(s.space_id = 1 OR EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = s.space_id AND m.user_name = @access_user))";

    internal const string ArtifactFrom = """
        FROM artifacts a
        JOIN storages s ON s.id = a.storage_id
        LEFT JOIN code_records c ON c.id = a.code_record_id
        LEFT JOIN runs r ON r.id = a.run_id
        """;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _codeRecordIds = new(StringComparer.Ordinal);

    // A code record never changes its text (a conflicting insert only fills upstream): versions made by one code share one string.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _sourceByCodeVersion = new(StringComparer.Ordinal);
    private readonly List<Migration> _migrationsApplied = [];
    private string? _instanceUid;

    protected SqlMetadataStore(DatabaseLocation location) => Location = location;

    public DatabaseLocation Location { get; }

    public string InstanceUid => _instanceUid ?? throw new InvalidOperationException("The metadata store is not initialized.");

    public IReadOnlyList<Migration> MigrationsApplied => _migrationsApplied;

    /// <summary>DDL of the table that records applied migrations.</summary>
    protected abstract string MigrationsTableSql { get; }

    /// <summary>This backend's migrations, in order.</summary>
    protected abstract IReadOnlyList<Migration> Migrations { get; }

    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Gives back a connection that <see cref="RunAsync"/> took from <see cref="OpenConnectionAsync"/>; <paramref name="healthy"/> is
    /// false when the database failed under it, so the connection may be broken. By default it is closed (the driver's pool keeps it).
    /// </summary>
    protected virtual ValueTask ReleaseConnectionAsync(DbConnection connection, bool healthy) => connection.DisposeAsync();

    /// <summary>Starts a transaction in which writers (and migrations) are serialized across processes.</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, bool forMigration, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="exception"/> is a unique-constraint violation on (name, version).</summary>
    protected abstract bool IsVersionConflict(DbException exception);

    protected abstract object TimeValue(DateTimeOffset time);

    /// <summary>A JSON column read as text.</summary>
    protected abstract string JsonColumn(string column);

    /// <summary>A parameter written into a JSON column.</summary>
    protected abstract string JsonParameter(string parameter);

    /// <summary>The aliases of artifact row <c>a</c>, comma-separated in order (aliases hold no comma), or NULL.</summary>
    protected abstract string AliasListSql { get; }

    /// <summary>
    /// The aliases of each row <c>a</c> of a whole listing (every name's newest version): the column to select and what to join
    /// after <see cref="LatestJoins"/> for it. By default <see cref="AliasListSql"/>, one look-up per record.
    /// </summary>
    protected virtual (string Column, string Join) ListAliasesSql => (AliasListSql, string.Empty);

    /// <summary>What locks the selected rows until the transaction ends, where the database needs it (PostgreSQL: FOR UPDATE).</summary>
    protected virtual string ForUpdate => string.Empty;

    /// <summary>
    /// Serializes, inside <paramref name="transaction"/>, everything that adds or removes a reference to the value at <paramref name="key"/> in
    /// storage <paramref name="storageId"/>, where the write transaction alone does not (PostgreSQL; SQLite's writers are serialized already).
    /// </summary>
    protected virtual Task LockValueAsync(DbConnection connection, DbTransaction transaction, long storageId, string key, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Serializes writers of one alias inside <paramref name="transaction"/>, where the write transaction alone does not.</summary>
    protected virtual Task LockAliasAsync(DbConnection connection, DbTransaction transaction, string name, string alias, CancellationToken cancellationToken) => Task.CompletedTask;

    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>
    /// Names the server session behind <paramref name="connection"/> (PostgreSQL: its backend process) so that a later check can
    /// tell whether a statement whose answer was lost may still commit; null where a failed call has always finished (SQLite runs in-process).
    /// </summary>
    protected virtual string? SessionOf(DbConnection connection) => null;

    /// <summary>False when the server itself answered that the statement failed (it is over); true when the answer may have been lost.</summary>
    protected virtual bool AnswerMayBeLost(Exception failure) => true;

    /// <summary>One line saying what went wrong, for the message of a <see cref="MetadataDatabaseException"/>.</summary>
    protected virtual string MessageOf(Exception failure) => failure.Message;

    /// <summary>True when the session named by <see cref="SessionOf"/> may still be running a statement (it has not ended).</summary>
    protected virtual Task<bool> SessionMayStillWriteAsync(DbConnection connection, string session, CancellationToken cancellationToken) =>
        Task.FromResult(false);

    /// <summary>A query giving 1 when the table that records applied migrations exists, else 0: it only reads the catalog.</summary>
    protected abstract string MigrationsTableExistsSql { get; }

    /// <summary>
    /// Applies pending migrations and creates the instance uid on first use. A store that is up to date (every migration applied,
    /// the instance uid created) is only read: opening it writes nothing, so a database the user may only read opens too.
    /// </summary>
    protected async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            if (await UpToDateInstanceUidAsync(connection, cancellationToken).ConfigureAwait(false) is { } uid)
            {
                _instanceUid = uid;
                return;
            }

            await ExecuteAsync(connection, null, MigrationsTableSql, cancellationToken).ConfigureAwait(false);
            foreach (var migration in Migrations)
            {
                if (await ApplyAsync(connection, migration, cancellationToken).ConfigureAwait(false))
                {
                    _migrationsApplied.Add(migration);
                }
            }

            await ExecuteAsync(connection, null, "INSERT INTO instance (id, uid, created_at) VALUES (1, @uid, @created_at) ON CONFLICT (id) DO NOTHING;", cancellationToken,
                ("@uid", Uid.New(12)), ("@created_at", TimeValue(DateTimeOffset.UtcNow))).ConfigureAwait(false);
            _instanceUid = (string)(await ScalarAsync(connection, null, "SELECT uid FROM instance WHERE id = 1;", cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <summary>The instance uid when every migration is applied and the uid exists, found by reading alone; else null (there is work to do).</summary>
    private async Task<string?> UpToDateInstanceUidAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (Convert.ToInt64(await ScalarAsync(connection, null, MigrationsTableExistsSql, cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }

        var applied = new HashSet<long>();
        using (var command = Command(connection, null, "SELECT version FROM schema_migrations;"))
        {
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied.Add(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
                }
            }
        }

        if (!Migrations.All(m => applied.Contains(m.Version)))
        {
            return null;
        }

        return await ScalarAsync(connection, null, "SELECT uid FROM instance WHERE id = 1;", cancellationToken).ConfigureAwait(false) as string;
    }

    public Task<StorageRecord> RegisterStorageAsync(NewStorage storage, bool syncOwner, CancellationToken cancellationToken) =>
        RunAsync($"register storage location '{storage.Root}'", async connection =>
        {
            // Registered already, with the owner the marker names: nothing to write (opening a store registers its roots every time).
            var registered = await QueryStoragesAsync(connection, $"SELECT {StorageColumns} {StorageFrom} WHERE s.root = @root AND s.host = @host;", cancellationToken,
                ("@root", storage.Root), ("@host", storage.Host ?? string.Empty)).ConfigureAwait(false);
            if (registered.Count > 0 && (!syncOwner || string.Equals(registered[0].InstanceUid, storage.InstanceUid, StringComparison.Ordinal)))
            {
                return registered[0];
            }

            var onConflict = syncOwner ? "UPDATE SET instance_uid = excluded.instance_uid" : "NOTHING";
            await ExecuteAsync(connection, null, $"""
                INSERT INTO storages (uid, root, type, host, instance_uid, description, region, created_at, created_by)
                VALUES (@uid, @root, @type, @host, @instance_uid, @description, @region, @created_at, @created_by)
                ON CONFLICT (root, host) DO {onConflict};
                """, cancellationToken,
                ("@uid", storage.Uid), ("@root", storage.Root), ("@type", storage.Type), ("@host", storage.Host ?? string.Empty),
                ("@instance_uid", storage.InstanceUid), ("@description", storage.Description), ("@region", storage.Region),
                ("@created_at", TimeValue(DateTimeOffset.UtcNow)), ("@created_by", storage.CreatedBy)).ConfigureAwait(false);
            var found = await QueryStoragesAsync(connection, $"SELECT {StorageColumns} {StorageFrom} WHERE s.root = @root AND s.host = @host;", cancellationToken,
                ("@root", storage.Root), ("@host", storage.Host ?? string.Empty)).ConfigureAwait(false);
            return found[0];
        }, cancellationToken);

    public Task<IReadOnlyList<StorageRecord>> ListStoragesAsync(CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<StorageRecord>>("list the storage locations", async connection =>
        {
            var all = await QueryStoragesAsync(connection, $"SELECT {StorageColumns} {StorageFrom};", cancellationToken).ConfigureAwait(false);
            return [.. all.OrderBy(s => s.Root, StringComparer.Ordinal).ThenBy(s => s.Host, StringComparer.Ordinal)];
        }, cancellationToken);

    public Task<StorageRecord?> FindStorageAsync(string root, string host, CancellationToken cancellationToken) =>
        RunAsync($"look up storage location '{root}'", async connection =>
        {
            var found = await QueryStoragesAsync(connection, $"SELECT {StorageColumns} {StorageFrom} WHERE s.root = @root AND s.host = @host;", cancellationToken,
                ("@root", root), ("@host", host)).ConfigureAwait(false);
            return found.Count > 0 ? found[0] : null;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<ArtifactBranch, int>> CountInStorageAsync(long storageId, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyDictionary<ArtifactBranch, int>>("count the artifacts in a storage location", async connection =>
        {
            var counts = new Dictionary<ArtifactBranch, int> { [ArtifactBranch.Main] = 0, [ArtifactBranch.Trash] = 0, [ArtifactBranch.Archive] = 0 };
            using var command = Command(connection, null, "SELECT branch, COUNT(*) FROM artifacts WHERE storage_id = @storage_id GROUP BY branch;", ("@storage_id", storageId));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    counts[ParseBranch(reader.GetString(0))] = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
                }
            }

            return counts;
        }, cancellationToken);

    public Task DeleteStorageAsync(long storageId, CancellationToken cancellationToken) =>
        ExecuteAsync("remove a storage location", "DELETE FROM storages WHERE id = @id AND NOT EXISTS (SELECT 1 FROM artifacts WHERE storage_id = @id);", cancellationToken, ("@id", storageId));

    public Task SetStorageSpaceAsync(long storageId, long spaceId, CancellationToken cancellationToken) =>
        ExecuteAsync("move a storage location to another space", "UPDATE storages SET space_id = @space_id WHERE id = @id;", cancellationToken, ("@space_id", spaceId), ("@id", storageId));

    public Task<StorageAccess> StorageAccessAsync(long storageId, string user, CancellationToken cancellationToken) =>
        RunAsync($"check whether user '{user}' may use a storage location", async connection =>
        {
            using var command = Command(connection, null, """
                SELECT sp.name, (SELECT COUNT(*) FROM space_members m WHERE m.space_id = s.space_id AND m.user_name = @user)
                FROM storages s JOIN spaces sp ON sp.id = s.space_id
                WHERE s.id = @id;
                """, ("@id", storageId), ("@user", user));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    throw new LineageException($"Storage location {storageId} is no longer registered in {Location.MaskedUrl}.");
                }

                var space = reader.GetString(0);
                return new StorageAccess(space, space == SpaceRecord.All || Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture) > 0);
            }
        }, cancellationToken);

    public Task<IReadOnlyList<ArtifactRecord>> ListInStorageAsync(long storageId, string? afterUid, int limit, CancellationToken cancellationToken) => QueryAsync(
        "list the artifacts in a storage location",
        $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.storage_id = @storage_id AND a.uid > @after ORDER BY a.uid LIMIT @limit;",
        cancellationToken, ("@storage_id", storageId), ("@after", afterUid ?? string.Empty), ("@limit", limit));

    public async Task<int> MoveArtifactsAsync(IReadOnlyList<string> uids, long fromStorageId, long toStorageId, CancellationToken cancellationToken)
    {
        if (uids.Count == 0)
        {
            return 0;
        }

        return await RunAsync($"point {uids.Count} artifact(s) at another storage location", async connection =>
        {
            var transaction = await BeginWriteAsync(connection, forMigration: false, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var names = uids.Select((_, i) => $"@u{i}").ToList();
                using var command = Command(connection, transaction,
                    $"UPDATE artifacts SET storage_id = @to WHERE storage_id = @from AND uid IN ({string.Join(", ", names)});",
                    [("@to", toStorageId), ("@from", fromStorageId), .. uids.Select((uid, i) => ((string, object?))($"@u{i}", uid))]);
                var moved = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return moved;
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<SpaceRecord>> ListSpacesAsync(CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<SpaceRecord>>("list the spaces", async connection =>
        {
            var all = await QuerySpacesAsync(connection, "SELECT id, uid, name, description, created_at FROM spaces;", cancellationToken).ConfigureAwait(false);
            return [.. all.OrderBy(s => s.Id)];
        }, cancellationToken);

    public Task<(SpaceRecord Space, bool Created)> AddSpaceAsync(string name, string? description, string firstMember, CancellationToken cancellationToken) =>
        RunAsync($"create space '{name}'", async connection =>
        {
            // The space and its first member commit together: whoever creates it is a member, nobody else becomes one by asking again.
            var transaction = await BeginWriteAsync(connection, forMigration: false, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var created = await ScalarAsync(connection, transaction, """
                    INSERT INTO spaces (uid, name, description, created_at) VALUES (@uid, @name, @description, @created_at)
                    ON CONFLICT (name) DO NOTHING
                    RETURNING id;
                    """, cancellationToken, ("@uid", Uid.New(12)), ("@name", name), ("@description", description), ("@created_at", TimeValue(DateTimeOffset.UtcNow))).ConfigureAwait(false);
                if (created is not null && created is not DBNull)
                {
                    await ExecuteAsync(connection, transaction, "INSERT INTO space_members (space_id, user_name, created_at) VALUES (@space_id, @user, @created_at);", cancellationToken,
                        ("@space_id", Convert.ToInt64(created, CultureInfo.InvariantCulture)), ("@user", firstMember), ("@created_at", TimeValue(DateTimeOffset.UtcNow))).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                var space = (await QuerySpacesAsync(connection, "SELECT id, uid, name, description, created_at FROM spaces WHERE name = @name;", cancellationToken, ("@name", name)).ConfigureAwait(false))[0];
                return (space, created is not null && created is not DBNull);
            }
        }, cancellationToken);

    public Task<SpaceRecord?> FindSpaceAsync(string name, CancellationToken cancellationToken) =>
        RunAsync($"look up space '{name}'", async connection =>
        {
            var found = await QuerySpacesAsync(connection, "SELECT id, uid, name, description, created_at FROM spaces WHERE name = @name;", cancellationToken, ("@name", name)).ConfigureAwait(false);
            return found.Count > 0 ? found[0] : null;
        }, cancellationToken);

    public Task AddMemberAsync(long spaceId, string user, CancellationToken cancellationToken) => ExecuteAsync($"add user '{user}' to a space", """
        INSERT INTO space_members (space_id, user_name, created_at) VALUES (@space_id, @user, @created_at)
        ON CONFLICT (space_id, user_name) DO NOTHING;
        """, cancellationToken, ("@space_id", spaceId), ("@user", user), ("@created_at", TimeValue(DateTimeOffset.UtcNow)));

    public Task RemoveMemberAsync(long spaceId, string user, CancellationToken cancellationToken) =>
        ExecuteAsync($"remove user '{user}' from a space", "DELETE FROM space_members WHERE space_id = @space_id AND user_name = @user;", cancellationToken, ("@space_id", spaceId), ("@user", user));

    public Task<IReadOnlyList<string>> MembersAsync(long spaceId, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<string>>("list the members of a space", async connection =>
        {
            var members = new List<string>();
            using var command = Command(connection, null, "SELECT user_name FROM space_members WHERE space_id = @space_id;", ("@space_id", spaceId));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    members.Add(reader.GetString(0));
                }
            }

            members.Sort(StringComparer.Ordinal);
            return members;
        }, cancellationToken);

    private async Task<IReadOnlyList<StorageRecord>> QueryStoragesAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, null, sql, parameters);
        var records = new List<StorageRecord>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var instanceUid = NullableString(reader, 7);
                records.Add(new StorageRecord(
                    Uid: reader.GetString(1),
                    Root: reader.GetString(2),
                    Type: reader.GetString(3),
                    Description: NullableString(reader, 4),
                    Region: NullableString(reader, 5),
                    Host: reader.GetString(6) is { Length: > 0 } host ? host : null,
                    InstanceUid: instanceUid,
                    Space: reader.GetString(9),
                    CreatedAt: ReadTime(reader, 10),
                    CreatedBy: reader.GetString(11),
                    IsWritable: instanceUid is not null && string.Equals(instanceUid, InstanceUid, StringComparison.Ordinal))
                {
                    Id = reader.GetInt64(0),
                    SpaceId = reader.GetInt64(8),
                });
            }
        }

        return records;
    }

    private async Task<IReadOnlyList<SpaceRecord>> QuerySpacesAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, null, sql, parameters);
        var records = new List<SpaceRecord>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                records.Add(new SpaceRecord(reader.GetString(1), reader.GetString(2), NullableString(reader, 3), ReadTime(reader, 4)) { Id = reader.GetInt64(0) });
            }
        }

        return records;
    }

    public Task<ArtifactRecord?> InsertArtifactAsync(NewArtifact artifact, CancellationToken cancellationToken) =>
        RunAsync($"record a new version of '{artifact.Name}'", async connection =>
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await TryInsertArtifactAsync(connection, artifact, cancellationToken).ConfigureAwait(false);
                }
                catch (DbException e) when (attempt < MaxVersionAttempts && IsVersionConflict(e))
                {
                    // Another writer took this version between allocation and insert: allocate again.
                }
            }
        }, cancellationToken);

    private async Task<ArtifactRecord?> TryInsertArtifactAsync(DbConnection connection, NewArtifact artifact, CancellationToken cancellationToken)
    {
        var codeRecordId = artifact.Code is { } code ? await RecordCodeAsync(connection, code, cancellationToken).ConfigureAwait(false) : (long?)null;
        if (await AllocateAndInsertAsync(connection, artifact, codeRecordId, cancellationToken).ConfigureAwait(false) is not { } version)
        {
            return null;
        }

        return new ArtifactRecord(artifact.Uid, artifact.Name, version, artifact.CreatedAt, artifact.CreatedBy, artifact.Host,
            artifact.Size, artifact.Hash, artifact.TypeName, artifact.Format, artifact.StorageRoot, artifact.Key, ArtifactBranch.Main,
            artifact.Code?.CodeVersion, artifact.Code?.SourceCode, artifact.Code?.AssemblyName, artifact.Code?.AssemblyVersion,
            artifact.Code?.SourceRevision, artifact.InputsHash, artifact.TypeSchema, artifact.StorageHost, artifact.IsManaged, artifact.Run?.Uid,
            artifact.Description, artifact.Tags, artifact.Metadata)
        {
            StorageId = artifact.StorageId,
            IsShared = artifact.SharesValue,
            Checksum = artifact.Checksum,
        };
    }

    /// <summary>Stores the code record once per code version and returns its id (remembered, so repeated saves of one code send it once).</summary>
    private async Task<long> RecordCodeAsync(DbConnection connection, ArtifactCode code, CancellationToken cancellationToken)
    {
        if (_codeRecordIds.TryGetValue(code.CodeVersion, out var known))
        {
            return known;
        }

        // A record stored by a Lineage that did not yet know declared lineage gains it from the first save that does.
        await ExecuteAsync(connection, null, """
            INSERT INTO code_records (code_version, source_code, assembly_name, assembly_version, source_revision, created_at, upstream)
            VALUES (@code_version, @source_code, @assembly_name, @assembly_version, @source_revision, @created_at, @upstream)
            ON CONFLICT (code_version) DO UPDATE SET upstream = excluded.upstream WHERE code_records.upstream IS NULL AND excluded.upstream IS NOT NULL;
            """, cancellationToken,
            ("@code_version", code.CodeVersion), ("@source_code", code.SourceCode), ("@assembly_name", code.AssemblyName),
            ("@assembly_version", code.AssemblyVersion), ("@source_revision", code.SourceRevision), ("@created_at", TimeValue(DateTimeOffset.UtcNow)),
            ("@upstream", code.Upstream is { Count: > 0 } upstream ? JsonText.Array(upstream) : null)).ConfigureAwait(false);
        var id = await ScalarAsync(connection, null, "SELECT id FROM code_records WHERE code_version = @code_version;", cancellationToken, ("@code_version", code.CodeVersion)).ConfigureAwait(false);
        return _codeRecordIds.GetOrAdd(code.CodeVersion, Convert.ToInt64(id, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Allocates the next version of the artifact's name and inserts its row, atomically: the counter row stays
    /// locked until commit, so concurrent writers get consecutive versions, and a failed insert gives its number back.
    /// </summary>
    protected virtual async Task<int?> AllocateAndInsertAsync(DbConnection connection, NewArtifact artifact, long? codeRecordId, CancellationToken cancellationToken)
    {
        var transaction = await BeginWriteAsync(connection, forMigration: false, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            // The space check rides on the version's allocation: no row, no version (one statement fewer per save).
            var allocated = await ScalarAsync(connection, transaction, $"""
                INSERT INTO artifact_names (name, last_version)
                SELECT @name, 1 WHERE @access_user IS NULL OR EXISTS (SELECT 1 FROM storages s WHERE s.id = @storage_id AND {MayUseStorage})
                ON CONFLICT (name) DO UPDATE SET last_version = artifact_names.last_version + 1
                RETURNING last_version;
                """, cancellationToken, ("@name", artifact.Name), ("@storage_id", artifact.StorageId), ("@access_user", artifact.AccessUser)).ConfigureAwait(false);
            if (allocated is null or DBNull)
            {
                return null;
            }

            var version = Convert.ToInt32(allocated, CultureInfo.InvariantCulture);
            await EnsureSharedValueAsync(connection, transaction, artifact, cancellationToken).ConfigureAwait(false);

            // With metadata, its indexed copy goes in the same command: one more statement. value_shared says what the triggers would
            // find (they check it), so that they need not write the new row a second time.
            var indexMetadata = artifact.Metadata is { Count: > 0 } ? "\n" + InsertMetadataRowsSql("(SELECT id FROM artifacts WHERE uid = @uid)", JsonParameter("@metadata")) : string.Empty;
            await ExecuteAsync(connection, transaction, $"""
                INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key, code_record_id, inputs_hash, type_schema, is_managed, run_id, description, tags, metadata, checksum, value_shared)
                VALUES (@uid, @name, @version, @created_at, @created_by, @host, @size, @hash, @type_name, @format, @storage_id, @key, @code_record_id, @inputs_hash, @type_schema, @is_managed, @run_id, @description, @tags, @metadata, @checksum, @value_shared);{indexMetadata}
                """, cancellationToken, [("@version", version), .. ArtifactParameters(artifact, codeRecordId)]).ConfigureAwait(false);
            if (InputEdges(artifact, "(SELECT id FROM artifacts WHERE uid = @uid)") is { } edges)
            {
                await ExecuteAsync(connection, transaction, $"WITH {edges.With} {edges.Insert};", cancellationToken, [("@uid", artifact.Uid), .. edges.Parameters]).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return version;
        }
    }

    /// <summary>The parameters of an artifact row, except its version.</summary>
    protected (string Name, object? Value)[] ArtifactParameters(NewArtifact artifact, long? codeRecordId) =>
    [
        ("@uid", artifact.Uid), ("@name", artifact.Name), ("@created_at", TimeValue(artifact.CreatedAt)),
        ("@created_by", artifact.CreatedBy), ("@host", artifact.Host), ("@size", artifact.Size), ("@hash", artifact.Hash),
        ("@type_name", artifact.TypeName), ("@format", artifact.Format), ("@storage_id", artifact.StorageId), ("@key", artifact.Key),
        ("@code_record_id", codeRecordId), ("@inputs_hash", artifact.InputsHash), ("@type_schema", artifact.TypeSchema),
        ("@is_managed", artifact.IsManaged ? 1 : 0), ("@run_id", artifact.Run?.Id), ("@description", artifact.Description),
        ("@tags", artifact.Tags is { } tags ? Annotations.TagsJson(tags) : null), ("@metadata", artifact.Metadata is { } metadata ? Annotations.MetadataJson(metadata) : null),
        ("@checksum", artifact.Checksum), ("@value_shared", artifact.SharesValue ? 1 : 0),
    ];

    public async Task<ArtifactRecord?> FindAsync(string name, int? version, CancellationToken cancellationToken)
    {
        var found = version is { } v
            ? await QueryAsync($"read '{name}' version {v}", $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.name = @name AND a.version = @version;", cancellationToken, ("@name", name), ("@version", v)).ConfigureAwait(false)
            : await QueryAsync($"read the latest version of '{name}'", $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.name = @name AND a.branch = 'main' ORDER BY a.version DESC LIMIT 1;", cancellationToken, ("@name", name)).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    /// <summary>
    /// GetOrCompute's look-up: the newest main version of the name that this code computed from these inputs. "+a.version" keeps
    /// SQLite, which has no statistics, off artifacts_by_branch: that index gives the versions in order and so saves the sort, but
    /// a miss then reads every version of the name. artifacts_by_computation finds the few that match, which are then sorted.
    /// </summary>
    internal const string ComputedCondition = """
        WHERE a.name = @name AND a.branch = 'main' AND c.code_version = @code_version AND a.inputs_hash = @inputs_hash
        ORDER BY +a.version DESC LIMIT 1;
        """;

    public async Task<ArtifactRecord?> FindComputedAsync(string name, string codeVersion, string inputsHash, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"look up a computed version of '{name}'", $"SELECT {ArtifactColumns} {ArtifactFrom}\n{ComputedCondition}",
            cancellationToken, ("@name", name), ("@code_version", codeVersion), ("@inputs_hash", inputsHash)).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    public Task<int> CountAsync(string name, ArtifactBranch branch, CancellationToken cancellationToken) =>
        RunAsync($"count the versions of '{name}' in the {BranchText(branch)}", async connection =>
        {
            var count = await ScalarAsync(connection, null, "SELECT COUNT(*) FROM artifacts WHERE name = @name AND branch = @branch;", cancellationToken,
                ("@name", name), ("@branch", BranchText(branch))).ConfigureAwait(false);
            return Convert.ToInt32(count, CultureInfo.InvariantCulture);
        }, cancellationToken);

    /// <summary>
    /// The joins of the latest main-branch version of each name (<c>n</c>, <c>a</c>, <c>s</c>, <c>c</c>, <c>r</c>), walked in name
    /// order: artifact_names holds every name once with its newest live version (latest_id, kept by triggers since schema 9), so
    /// each name costs a look-up of that row by id, and a page reads only its own names. SQLite's CROSS JOIN keeps the names as
    /// the outer loop.
    /// </summary>
    protected virtual string LatestJoins => """
        FROM artifact_names n
        CROSS JOIN artifacts a
        JOIN storages s ON s.id = a.storage_id
        LEFT JOIN code_records c ON c.id = a.code_record_id
        LEFT JOIN runs r ON r.id = a.run_id
        """;

    /// <summary><see cref="LatestJoins"/> with the condition that picks each name's newest version, for more conditions to follow (AND …).</summary>
    private string LatestFrom => $"{LatestJoins}\nWHERE a.id = n.latest_id";

    public Task<IReadOnlyList<ArtifactRecord>> ListLatestAsync(CancellationToken cancellationToken) =>
        QueryAsync("list the artifacts", $"SELECT {ListColumns} {LatestJoins}{ListAliasesSql.Join}\nWHERE a.id = n.latest_id ORDER BY n.name;", cancellationToken);

    // The limit is written into the SQL (an int, nothing to inject): PostgreSQL's generic plan for a prepared statement guesses a
    // parameter limit at a tenth of the rows and then plans a page like a whole listing.
    public Task<IReadOnlyList<ArtifactRecord>> ListLatestAsync(string? afterName, int limit, CancellationToken cancellationToken) => afterName is null
        ? QueryAsync("list the artifacts", $"SELECT {ArtifactColumns} {LatestFrom} ORDER BY n.name LIMIT {limit.ToString(CultureInfo.InvariantCulture)};", cancellationToken)
        : QueryAsync("list the artifacts", $"SELECT {ArtifactColumns} {LatestFrom} AND n.name > @after ORDER BY n.name LIMIT {limit.ToString(CultureInfo.InvariantCulture)};", cancellationToken,
            ("@after", afterName));

    public Task<int> CountLatestAsync(string? afterName, CancellationToken cancellationToken) =>
        RunAsync("count the artifacts", async connection =>
        {
            var count = await ScalarAsync(connection, null, "SELECT COUNT(*) FROM artifact_names n WHERE n.name > @after AND n.latest_id IS NOT NULL;", cancellationToken, ("@after", afterName ?? string.Empty)).ConfigureAwait(false);
            return Convert.ToInt32(count, CultureInfo.InvariantCulture);
        }, cancellationToken);

    public Task<ArtifactLookup?> FindToLoadAsync(string name, int? version, string user, bool complete, CancellationToken cancellationToken) =>
        RunAsync(version is { } v ? $"read '{name}' version {v}" : $"read the latest version of '{name}'", async connection =>
        {
            // The space check rides along: the storage's space and whether the user is a member, read by the same statement as the row.
            var sql = $"""
                SELECT {(complete ? ArtifactColumns : LoadColumns)}, sp.name, (SELECT COUNT(*) FROM space_members m WHERE m.space_id = s.space_id AND m.user_name = @user)
                {ArtifactFrom}
                JOIN spaces sp ON sp.id = s.space_id
                WHERE a.name = @name {(version is null ? "AND a.branch = 'main' ORDER BY a.version DESC LIMIT 1" : "AND a.version = @version")};
                """;
            using var command = version is { } number
                ? Command(connection, null, sql, ("@name", name), ("@user", user), ("@version", number))
                : Command(connection, null, sql, ("@name", name), ("@user", user));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                var space = reader.GetString(ArtifactColumnCount);
                var isMember = space == SpaceRecord.All || Convert.ToInt64(reader.GetValue(ArtifactColumnCount + 1), CultureInfo.InvariantCulture) > 0;
                return new ArtifactLookup(ReadArtifact(reader), new StorageAccess(space, isMember));
            }
        }, cancellationToken);

    public Task<IReadOnlyList<ArtifactRecord>> ListAllAsync(ArtifactBranch? branch, CancellationToken cancellationToken) => branch is { } b
        ? QueryAsync($"list the versions in the {BranchText(b)}", $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.branch = @branch ORDER BY a.name, a.version;", cancellationToken, ("@branch", BranchText(b)))
        : QueryAsync("list every version", $"SELECT {ArtifactColumns} {ArtifactFrom} ORDER BY a.name, a.version;", cancellationToken);

    public Task<IReadOnlyList<ArtifactRecord>> VersionsAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync($"list the versions of '{name}'", $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.name = @name AND a.branch = 'main' ORDER BY a.version;", cancellationToken, ("@name", name));

    public Task<LostInsert> FindLostInsertAsync(string uid, string? writerSession, CancellationToken cancellationToken) =>
        RunAsync($"check whether artifact {uid} was recorded", async connection =>
        {
            if (writerSession is not null && await SessionMayStillWriteAsync(connection, writerSession, cancellationToken).ConfigureAwait(false))
            {
                return new LostInsert(LostInsertState.Undecided, null);
            }

            // A statement of its own, after the session check: its snapshot includes whatever that session committed before it ended.
            var found = await QueryAsync(connection, null, $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.uid = @uid;", cancellationToken, ("@uid", uid)).ConfigureAwait(false);
            return found.Count > 0 ? new LostInsert(LostInsertState.Recorded, found[0]) : new LostInsert(LostInsertState.Absent, null);
        }, cancellationToken);

    public Task SetBranchAsync(string uid, ArtifactBranch branch, CancellationToken cancellationToken) =>
        ExecuteAsync($"move artifact {uid} to the {BranchText(branch)}", "UPDATE artifacts SET branch = @branch, trashed_at = @trashed_at WHERE uid = @uid;", cancellationToken,
            ("@branch", BranchText(branch)), ("@trashed_at", branch == ArtifactBranch.Trash ? TimeValue(ArtifactStore.UtcNowToMicroseconds()) : null), ("@uid", uid));

    public Task<bool> DeleteAsync(string uid, CancellationToken cancellationToken) =>
        RunAsync($"delete artifact {uid}", async connection =>
        {
            var transaction = await BeginWriteAsync(connection, forMigration: false, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                if (await ValueOfAsync(connection, transaction, uid, cancellationToken).ConfigureAwait(false) is not { } value)
                {
                    return false;
                }

                // Under the value's lock: a save pointing a new version at this value either committed before (and is counted
                // below) or checks after this commits (and finds the value gone, so writes its own).
                await LockValueAsync(connection, transaction, value.StorageId, value.Key, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, "DELETE FROM artifacts WHERE uid = @uid;", cancellationToken, ("@uid", uid)).ConfigureAwait(false);
                var unreferenced = await CountReferencesAsync(connection, transaction, value.StorageId, value.Key, cancellationToken).ConfigureAwait(false) == 0;
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return unreferenced;
            }
        }, cancellationToken);

    public Task<bool> ReleaseValueAsync(long storageId, string key, CancellationToken cancellationToken) =>
        RunAsync($"check whether a version still points at {key}", async connection =>
        {
            var transaction = await BeginWriteAsync(connection, forMigration: false, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await LockValueAsync(connection, transaction, storageId, key, cancellationToken).ConfigureAwait(false);
                var unreferenced = await CountReferencesAsync(connection, transaction, storageId, key, cancellationToken).ConfigureAwait(false) == 0;
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return unreferenced;
            }
        }, cancellationToken);

    public Task<bool> HasValueOfSizeAsync(long storageId, long size, CancellationToken cancellationToken) =>
        RunAsync("look for a stored value of the same size", async connection =>
            await ScalarAsync(connection, null, "SELECT 1 FROM artifacts WHERE storage_id = @storage_id AND size = @size AND is_managed = 1 LIMIT 1;", cancellationToken,
                ("@storage_id", storageId), ("@size", size)).ConfigureAwait(false) is not (null or DBNull), cancellationToken);

    /// <summary>
    /// The oldest managed version in a storage location with these bytes, found by their hash. "+storage_id" keeps SQLite, which has no
    /// statistics, off artifacts_by_stored_size: that index gives rows in id order and so saves the sort, but holds every version of the
    /// size, and a value of fixed size would read them all on each save (45 ms a save among 100,000 versions of its size, against 1.2 ms).
    /// </summary>
    internal const string FindValueSql =
        "SELECT key, checksum FROM artifacts WHERE +storage_id = @storage_id AND size = @size AND hash = @hash AND is_managed = 1 ORDER BY id LIMIT 1;";

    /// <summary>Whether a managed version still points at a stored value with its size and hash; by the value's key, not by size (as above).</summary>
    internal const string SharedValueLiveSql =
        "SELECT 1 FROM artifacts WHERE storage_id = @storage_id AND key = @key AND +size = @size AND hash = @hash AND is_managed = 1 LIMIT 1;";

    public Task<(string Key, string? Checksum)?> FindValueAsync(long storageId, long size, string hash, CancellationToken cancellationToken) =>
        RunAsync("look for a stored value with the same content", async connection =>
        {
            using var command = Command(connection, null, FindValueSql, [("@storage_id", storageId), ("@size", size), ("@hash", hash)]);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
                    ? (reader.GetString(0), NullableString(reader, 1))
                    : ((string Key, string? Checksum)?)null;
            }
        }, cancellationToken);

    /// <summary>
    /// For a version that shares a stored value: throws <see cref="SharedValueGoneException"/> unless a managed version in the same
    /// storage still points at that value, with its size and hash. Call it with the value locked (<see cref="LockValueAsync"/>).
    /// </summary>
    protected async Task EnsureSharedValueAsync(DbConnection connection, DbTransaction transaction, NewArtifact artifact, CancellationToken cancellationToken)
    {
        if (!artifact.SharesValue)
        {
            return;
        }

        await LockValueAsync(connection, transaction, artifact.StorageId, artifact.Key, cancellationToken).ConfigureAwait(false);
        // One such version is enough: a count would read every version sharing the value, one more with each save of it.
        var live = await ScalarAsync(connection, transaction, SharedValueLiveSql, cancellationToken,
            ("@storage_id", artifact.StorageId), ("@key", artifact.Key), ("@size", artifact.Size), ("@hash", artifact.Hash)).ConfigureAwait(false);
        if (live is null or DBNull)
        {
            throw new SharedValueGoneException();
        }
    }

    private static async Task<(long StorageId, string Key)?> ValueOfAsync(DbConnection connection, DbTransaction transaction, string uid, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, "SELECT storage_id, key FROM artifacts WHERE uid = @uid;", ("@uid", uid));
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetString(1)) : null;
        }
    }

    private static async Task<long> CountReferencesAsync(DbConnection connection, DbTransaction transaction, long storageId, string key, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM artifacts WHERE storage_id = @storage_id AND key = @key;", cancellationToken,
            ("@storage_id", storageId), ("@key", key)).ConfigureAwait(false), CultureInfo.InvariantCulture);

    public abstract ValueTask DisposeAsync();

    private async Task<bool> ApplyAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        var transaction = await BeginWriteAsync(connection, forMigration: true, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            // Serialized by BeginWriteAsync; the check inside makes each migration run once even when processes race.
            var applied = await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM schema_migrations WHERE version = @version;", cancellationToken,
                ("@version", migration.Version)).ConfigureAwait(false);
            if (Convert.ToInt64(applied, CultureInfo.InvariantCulture) > 0)
            {
                return false;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @applied_at);", cancellationToken,
                ("@version", migration.Version), ("@name", migration.Name), ("@applied_at", TimeValue(DateTimeOffset.UtcNow))).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>
    /// The one way to the database after opening: a connection, <paramref name="work"/> on it, and every failure of the database
    /// (driver, socket, timeout) turned into a <see cref="MetadataDatabaseException"/> that names the masked URL and <paramref name="operation"/>,
    /// which was not done. Lineage's own errors and cancellations pass through.
    /// </summary>
    private async Task<T> RunAsync<T>(string operation, Func<DbConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        DbConnection? connection = null;
        string? session = null;
        var healthy = true;
        try
        {
            connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            session = SessionOf(connection);
            return await work(connection).ConfigureAwait(false);
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            healthy = false;
            var reached = connection is not null;
            throw new MetadataDatabaseException(Location.MaskedUrl,
                $"Could not {operation}: the metadata database {Location.MaskedUrl} {(reached ? "failed" : "is unavailable")}: {Describe(e)}", e)
            {
                ConnectionOpened = reached,
                WriterSession = reached && AnswerMayBeLost(e) ? session : null,
            };
        }
        finally
        {
            await CloseAsync(connection, healthy).ConfigureAwait(false);
        }
    }

    private async Task CloseAsync(DbConnection? connection, bool healthy)
    {
        try
        {
            if (connection is not null)
            {
                await ReleaseConnectionAsync(connection, healthy).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (IsDatabaseFailure(e))
        {
            // A connection the failure broke may fail to close too; that must not replace the error that says what was not done.
        }
    }

    private static bool IsDatabaseFailure(Exception e) => e is DbException or SocketException or TimeoutException or IOException;

    /// <summary>The failure and its causes, e.g. "Failed to connect to 127.0.0.1:5432: Connection refused".</summary>
    private string Describe(Exception failure)
    {
        var messages = new List<string>();
        for (var e = failure; e is not null; e = e.InnerException)
        {
            var message = MessageOf(e).Trim().TrimEnd('.');
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal)))
            {
                messages.Add(message);
            }
        }

        return string.Join(": ", messages) + ".";
    }

    private async Task ExecuteAsync(string operation, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        await RunAsync(operation, async connection =>
        {
            await ExecuteAsync(connection, null, sql, cancellationToken, parameters).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    private Task<IReadOnlyList<ArtifactRecord>> QueryAsync(string operation, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        RunAsync(operation, connection => QueryAsync(connection, null, sql, cancellationToken, parameters), cancellationToken);

    private async Task<IReadOnlyList<ArtifactRecord>> QueryAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        var records = new List<ArtifactRecord>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                records.Add(ReadArtifact(reader));
            }
        }

        return records;
    }

    protected static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        // A connection that keeps its compiled statements (SQLite's kept connections) hands out the command it ran this text with.
        var command = (connection as IKeepsStatements)?.CommandFor(sql) ?? connection.CreateCommand();
        command.Transaction = transaction;
        if (command.CommandText != sql)
        {
            command.CommandText = sql;
        }

        // A kept command's parameters are those of the text: given new values, not made anew (a save binds about twenty).
        if (HasParameters(command.Parameters, parameters))
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
            }

            return command;
        }

        command.Parameters.Clear();
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static bool HasParameters(DbParameterCollection held, (string Name, object? Value)[] parameters)
    {
        if (held.Count != parameters.Length || held.Count == 0)
        {
            return false;
        }

        for (var i = 0; i < parameters.Length; i++)
        {
            if (!string.Equals(held[i].ParameterName, parameters[i].Name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private ArtifactRecord ReadArtifact(DbDataReader reader) => new(
        Uid: reader.GetString(0),
        Name: reader.GetString(1),
        Version: reader.GetInt32(2),
        CreatedAt: ReadTime(reader, 3),
        CreatedBy: reader.GetString(4),
        Host: reader.GetString(5),
        Size: reader.GetInt64(6),
        Hash: reader.GetString(7),
        TypeName: reader.GetString(8),
        Format: reader.GetString(9),
        StorageRoot: reader.GetString(10),
        Key: reader.GetString(11),
        Branch: ParseBranch(reader.GetString(12)),
        CodeVersion: NullableString(reader, 13),
        SourceCode: SourceOf(reader),
        AssemblyName: NullableString(reader, 15),
        AssemblyVersion: NullableString(reader, 16),
        SourceRevision: NullableString(reader, 17),
        InputsHash: NullableString(reader, 18),
        TypeSchema: NullableString(reader, 19),
        StorageHost: reader.GetString(20) is { Length: > 0 } storageHost ? storageHost : null,
        IsManaged: Convert.ToInt64(reader.GetValue(21), CultureInfo.InvariantCulture) != 0,
        RunUid: NullableString(reader, 23),
        Description: NullableString(reader, 24),
        Tags: Annotations.ReadTags(NullableString(reader, 25)),
        Metadata: Annotations.ReadMetadata(NullableString(reader, 26)),
        Aliases: NullableString(reader, 27) is { } aliases ? aliases.Split(',') : null)
    {
        StorageId = reader.GetInt64(22),
        IsShared = Convert.ToInt64(reader.GetValue(28), CultureInfo.InvariantCulture) != 0,
        TrashedAt = reader.IsDBNull(29) ? null : ReadTime(reader, 29),
        Checksum = NullableString(reader, 30),
    };

    /// <summary>The source code in column 14 of a row made by the code version in column 13: read once, then shared.</summary>
    private string? SourceOf(DbDataReader reader)
    {
        if (reader.IsDBNull(13) || reader.IsDBNull(14))
        {
            return null;
        }

        var codeVersion = reader.GetString(13);
        if (_sourceByCodeVersion.TryGetValue(codeVersion, out var known))
        {
            return known;
        }

        var source = reader.GetString(14);
        if (_sourceByCodeVersion.Count < MaxRememberedSources)
        {
            _sourceByCodeVersion.TryAdd(codeVersion, source);
        }

        return source;
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string BranchText(ArtifactBranch branch) => branch switch
    {
        ArtifactBranch.Main => "main",
        ArtifactBranch.Trash => "trash",
        ArtifactBranch.Archive => "archive",
        _ => throw new ArgumentOutOfRangeException(nameof(branch), branch, null),
    };

    private static ArtifactBranch ParseBranch(string text) => text switch
    {
        "main" => ArtifactBranch.Main,
        "trash" => ArtifactBranch.Trash,
        "archive" => ArtifactBranch.Archive,
        _ => throw new InvalidDataException($"Unknown artifact branch '{text}' in the metadata database."),
    };
}
