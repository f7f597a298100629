using System.Data.Common;
using System.Globalization;
using Lineage.Configuration;

namespace Lineage.Metadata;

/// <summary>One numbered schema change. Never edit a shipped migration: add the next one.</summary>
internal sealed record Migration(int Version, string Name, string Sql);

/// <summary>
/// The metadata queries, in the SQL that SQLite and PostgreSQL share (named <c>@parameters</c>,
/// <c>INSERT … ON CONFLICT … RETURNING</c>). Each backend supplies its dialect: DDL, connections,
/// how writers are serialized, how a unique violation looks, and how times are stored.
/// </summary>
internal abstract class SqlMetadataStore : IMetadataStore
{
    private const int MaxVersionAttempts = 5;

    private const string ArtifactColumns = """
        a.uid, a.name, a.version, a.created_at, a.created_by, a.host, a.size, a.hash,
        a.type_name, a.format, s.root, a.key, a.branch, c.code_version, c.source_code,
        c.assembly_name, c.assembly_version, c.source_revision, a.inputs_hash, a.type_schema
        """;

    private const string ArtifactFrom = """
        FROM artifacts a
        JOIN storages s ON s.id = a.storage_id
        LEFT JOIN code_records c ON c.id = a.code_record_id
        """;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _codeRecordIds = new(StringComparer.Ordinal);
    private string? _instanceUid;

    protected SqlMetadataStore(DatabaseLocation location) => Location = location;

    public DatabaseLocation Location { get; }

    public string InstanceUid => _instanceUid ?? throw new InvalidOperationException("The metadata store is not initialized.");

    /// <summary>DDL of the table that records applied migrations.</summary>
    protected abstract string MigrationsTableSql { get; }

    /// <summary>This backend's migrations, in order.</summary>
    protected abstract IReadOnlyList<Migration> Migrations { get; }

    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>Starts a transaction in which writers (and migrations) are serialized across processes.</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, bool forMigration, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="exception"/> is a unique-constraint violation on (name, version).</summary>
    protected abstract bool IsVersionConflict(DbException exception);

    protected abstract object TimeValue(DateTimeOffset time);

    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <summary>Applies pending migrations and creates the instance uid on first use.</summary>
    protected async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, null, MigrationsTableSql, cancellationToken).ConfigureAwait(false);
            foreach (var migration in Migrations)
            {
                await ApplyAsync(connection, migration, cancellationToken).ConfigureAwait(false);
            }

            await ExecuteAsync(connection, null, "INSERT INTO instance (id, uid, created_at) VALUES (1, @uid, @created_at) ON CONFLICT (id) DO NOTHING;", cancellationToken,
                ("@uid", Uid.New(12)), ("@created_at", TimeValue(DateTimeOffset.UtcNow))).ConfigureAwait(false);
            _instanceUid = (string)(await ScalarAsync(connection, null, "SELECT uid FROM instance WHERE id = 1;", cancellationToken).ConfigureAwait(false))!;
        }
    }

    public async Task<StorageRecord> RegisterStorageAsync(string root, string type, string? host, string? instanceUid, string createdBy, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, """
                INSERT INTO storages (uid, root, type, host, instance_uid, created_at, created_by)
                VALUES (@uid, @root, @type, @host, @instance_uid, @created_at, @created_by)
                ON CONFLICT (root, host) DO UPDATE SET instance_uid = excluded.instance_uid
                RETURNING id, uid, root, type, host, instance_uid, created_at, created_by;
                """,
                ("@uid", Uid.New(12)), ("@root", root), ("@type", type), ("@host", host ?? string.Empty),
                ("@instance_uid", instanceUid), ("@created_at", TimeValue(DateTimeOffset.UtcNow)), ("@created_by", createdBy));
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                return new StorageRecord(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.GetString(4) is { Length: > 0 } h ? h : null,
                    reader.IsDBNull(5) ? null : reader.GetString(5),
                    ReadTime(reader, 6),
                    reader.GetString(7));
            }
        }
    }

    public async Task<ArtifactRecord> InsertArtifactAsync(NewArtifact artifact, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryInsertArtifactAsync(artifact, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e) when (attempt < MaxVersionAttempts && IsVersionConflict(e))
            {
                // Another writer took this version between allocation and insert: allocate again.
            }
        }
    }

    private async Task<ArtifactRecord> TryInsertArtifactAsync(NewArtifact artifact, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var codeRecordId = artifact.Code is { } code ? await RecordCodeAsync(connection, code, cancellationToken).ConfigureAwait(false) : (long?)null;
            var version = await AllocateAndInsertAsync(connection, artifact, codeRecordId, cancellationToken).ConfigureAwait(false);
            return new ArtifactRecord(artifact.Uid, artifact.Name, version, artifact.CreatedAt, artifact.CreatedBy, artifact.Host,
                artifact.Size, artifact.Hash, artifact.TypeName, artifact.Format, artifact.StorageRoot, artifact.Key, ArtifactBranch.Main,
                artifact.Code?.CodeVersion, artifact.Code?.SourceCode, artifact.Code?.AssemblyName, artifact.Code?.AssemblyVersion,
                artifact.Code?.SourceRevision, artifact.InputsHash, artifact.TypeSchema);
        }
    }

    /// <summary>Stores the code record once per code version and returns its id (remembered, so repeated saves of one code send it once).</summary>
    private async Task<long> RecordCodeAsync(DbConnection connection, ArtifactCode code, CancellationToken cancellationToken)
    {
        if (_codeRecordIds.TryGetValue(code.CodeVersion, out var known))
        {
            return known;
        }

        await ExecuteAsync(connection, null, """
            INSERT INTO code_records (code_version, source_code, assembly_name, assembly_version, source_revision, created_at)
            VALUES (@code_version, @source_code, @assembly_name, @assembly_version, @source_revision, @created_at)
            ON CONFLICT (code_version) DO NOTHING;
            """, cancellationToken,
            ("@code_version", code.CodeVersion), ("@source_code", code.SourceCode), ("@assembly_name", code.AssemblyName),
            ("@assembly_version", code.AssemblyVersion), ("@source_revision", code.SourceRevision), ("@created_at", TimeValue(DateTimeOffset.UtcNow))).ConfigureAwait(false);
        var id = await ScalarAsync(connection, null, "SELECT id FROM code_records WHERE code_version = @code_version;", cancellationToken, ("@code_version", code.CodeVersion)).ConfigureAwait(false);
        return _codeRecordIds.GetOrAdd(code.CodeVersion, Convert.ToInt64(id, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Allocates the next version of the artifact's name and inserts its row, atomically: the counter row stays
    /// locked until commit, so concurrent writers get consecutive versions, and a failed insert gives its number back.
    /// </summary>
    protected virtual async Task<int> AllocateAndInsertAsync(DbConnection connection, NewArtifact artifact, long? codeRecordId, CancellationToken cancellationToken)
    {
        var transaction = await BeginWriteAsync(connection, forMigration: false, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            var version = Convert.ToInt32(await ScalarAsync(connection, transaction, """
                INSERT INTO artifact_names (name, last_version) VALUES (@name, 1)
                ON CONFLICT (name) DO UPDATE SET last_version = artifact_names.last_version + 1
                RETURNING last_version;
                """, cancellationToken, ("@name", artifact.Name)).ConfigureAwait(false), CultureInfo.InvariantCulture);

            await ExecuteAsync(connection, transaction, """
                INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key, code_record_id, inputs_hash, type_schema)
                VALUES (@uid, @name, @version, @created_at, @created_by, @host, @size, @hash, @type_name, @format, @storage_id, @key, @code_record_id, @inputs_hash, @type_schema);
                """, cancellationToken, [("@version", version), .. ArtifactParameters(artifact, codeRecordId)]).ConfigureAwait(false);
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
    ];

    public async Task<ArtifactRecord?> FindAsync(string name, int? version, CancellationToken cancellationToken)
    {
        var found = version is { } v
            ? await QueryAsync($"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.name = @name AND a.version = @version;", cancellationToken, ("@name", name), ("@version", v)).ConfigureAwait(false)
            : await QueryAsync($"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.name = @name AND a.branch = 'main' ORDER BY a.version DESC LIMIT 1;", cancellationToken, ("@name", name)).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<ArtifactRecord?> FindComputedAsync(string name, string codeVersion, string inputsHash, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"""
            SELECT {ArtifactColumns} {ArtifactFrom}
            WHERE a.name = @name AND a.branch = 'main' AND c.code_version = @code_version AND a.inputs_hash = @inputs_hash
            ORDER BY a.version DESC LIMIT 1;
            """, cancellationToken, ("@name", name), ("@code_version", codeVersion), ("@inputs_hash", inputsHash)).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<int> CountAsync(string name, ArtifactBranch branch, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var count = await ScalarAsync(connection, null, "SELECT COUNT(*) FROM artifacts WHERE name = @name AND branch = @branch;", cancellationToken,
                ("@name", name), ("@branch", BranchText(branch))).ConfigureAwait(false);
            return Convert.ToInt32(count, CultureInfo.InvariantCulture);
        }
    }

    public Task<IReadOnlyList<ArtifactRecord>> ListLatestAsync(CancellationToken cancellationToken) => QueryAsync($"""
        SELECT {ArtifactColumns} {ArtifactFrom}
        WHERE a.branch = 'main'
          AND a.version = (SELECT MAX(b.version) FROM artifacts b WHERE b.name = a.name AND b.branch = 'main')
        ORDER BY a.name;
        """, cancellationToken);

    public Task<IReadOnlyList<ArtifactRecord>> ListAllAsync(ArtifactBranch? branch, CancellationToken cancellationToken) => branch is { } b
        ? QueryAsync($"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.branch = @branch ORDER BY a.name, a.version;", cancellationToken, ("@branch", BranchText(b)))
        : QueryAsync($"SELECT {ArtifactColumns} {ArtifactFrom} ORDER BY a.name, a.version;", cancellationToken);

    public Task<IReadOnlyList<ArtifactRecord>> VersionsAsync(string name, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.name = @name AND a.branch = 'main' ORDER BY a.version;", cancellationToken, ("@name", name));

    public async Task<bool> ExistsAsync(string uid, CancellationToken cancellationToken)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var count = await ScalarAsync(connection, null, "SELECT COUNT(*) FROM artifacts WHERE uid = @uid;", cancellationToken, ("@uid", uid)).ConfigureAwait(false);
            return Convert.ToInt64(count, CultureInfo.InvariantCulture) > 0;
        }
    }

    public Task SetBranchAsync(string uid, ArtifactBranch branch, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE artifacts SET branch = @branch WHERE uid = @uid;", cancellationToken, ("@branch", BranchText(branch)), ("@uid", uid));

    public Task DeleteAsync(string uid, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM artifacts WHERE uid = @uid;", cancellationToken, ("@uid", uid));

    public abstract ValueTask DisposeAsync();

    private async Task ApplyAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        var transaction = await BeginWriteAsync(connection, forMigration: true, cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            // Serialized by BeginWriteAsync; the check inside makes each migration run once even when processes race.
            var applied = await ScalarAsync(connection, transaction, "SELECT COUNT(*) FROM schema_migrations WHERE version = @version;", cancellationToken,
                ("@version", migration.Version)).ConfigureAwait(false);
            if (Convert.ToInt64(applied, CultureInfo.InvariantCulture) > 0)
            {
                return;
            }

            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @applied_at);", cancellationToken,
                ("@version", migration.Version), ("@name", migration.Name), ("@applied_at", TimeValue(DateTimeOffset.UtcNow))).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await ExecuteAsync(connection, null, sql, cancellationToken, parameters).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<ArtifactRecord>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await QueryAsync(connection, null, sql, cancellationToken, parameters).ConfigureAwait(false);
        }
    }

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
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
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
        SourceCode: NullableString(reader, 14),
        AssemblyName: NullableString(reader, 15),
        AssemblyVersion: NullableString(reader, 16),
        SourceRevision: NullableString(reader, 17),
        InputsHash: NullableString(reader, 18),
        TypeSchema: NullableString(reader, 19));

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
