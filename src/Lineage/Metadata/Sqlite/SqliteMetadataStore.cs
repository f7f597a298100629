using System.Globalization;
using Lineage.Configuration;
using Microsoft.Data.Sqlite;

namespace Lineage.Metadata.Sqlite;

/// <summary>
/// Metadata in a SQLite file: WAL journal, a busy timeout so concurrent writers queue instead of failing,
/// and write transactions taken with <c>BEGIN IMMEDIATE</c> so version allocation is serialized.
/// </summary>
internal sealed class SqliteMetadataStore : IMetadataStore
{
    private const int BusyTimeoutSeconds = 60;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int MaxVersionAttempts = 5;

    private const string ArtifactColumns = """
        a.uid, a.name, a.version, a.created_at, a.created_by, a.host, a.size, a.hash,
        a.type_name, a.format, s.root, a.key, a.branch, c.code_version, c.source_code
        """;

    private const string ArtifactFrom = """
        FROM artifacts a
        JOIN storages s ON s.id = a.storage_id
        LEFT JOIN code_records c ON c.id = a.code_record_id
        """;

    private readonly string _connectionString;

    private SqliteMetadataStore(DatabaseLocation location, string connectionString, string instanceUid)
    {
        Location = location;
        _connectionString = connectionString;
        InstanceUid = instanceUid;
    }

    public DatabaseLocation Location { get; }

    public string InstanceUid { get; }

    public static async Task<SqliteMetadataStore> OpenAsync(DatabaseLocation location, CancellationToken cancellationToken)
    {
        var path = location.SqlitePath!;
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = BusyTimeoutSeconds,
        }.ToString();

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var connection = await OpenConnectionAsync(connectionString, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
            await MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
            var instanceUid = await EnsureInstanceAsync(connection, cancellationToken).ConfigureAwait(false);
            return new SqliteMetadataStore(location, connectionString, instanceUid);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new LineageConfigurationException($"Cannot open the metadata database {location.MaskedUrl}: {e.Message}", e);
        }
    }

    public async Task<StorageRecord> RegisterStorageAsync(string root, string type, string? host, string? instanceUid, string createdBy, CancellationToken cancellationToken)
    {
        using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var command = Command(connection, transaction, """
            INSERT INTO storages (uid, root, type, host, instance_uid, created_at, created_by)
            VALUES ($uid, $root, $type, $host, $instance_uid, $created_at, $created_by)
            ON CONFLICT (root, host) DO UPDATE SET instance_uid = excluded.instance_uid
            RETURNING id, uid, root, type, host, instance_uid, created_at, created_by;
            """);
        command.Parameters.AddWithValue("$uid", Uid.New(12));
        command.Parameters.AddWithValue("$root", root);
        command.Parameters.AddWithValue("$type", type);
        command.Parameters.AddWithValue("$host", host ?? string.Empty);
        command.Parameters.AddWithValue("$instance_uid", (object?)instanceUid ?? DBNull.Value);
        command.Parameters.AddWithValue("$created_at", FormatTime(DateTimeOffset.UtcNow));
        command.Parameters.AddWithValue("$created_by", createdBy);
        StorageRecord record;
        using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            record = new StorageRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4) is { Length: > 0 } h ? h : null,
                reader.IsDBNull(5) ? null : reader.GetString(5),
                ParseTime(reader.GetString(6)),
                reader.GetString(7));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return record;
    }

    public async Task<ArtifactRecord> InsertArtifactAsync(NewArtifact artifact, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await TryInsertArtifactAsync(artifact, cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e) when (attempt < MaxVersionAttempts && e.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey && !e.Message.Contains("artifacts.uid", StringComparison.Ordinal))
            {
                // Another writer took this version between allocation and insert: allocate again.
            }
        }
    }

    private async Task<ArtifactRecord> TryInsertArtifactAsync(NewArtifact artifact, CancellationToken cancellationToken)
    {
        using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var allocate = Command(connection, transaction, """
            INSERT INTO artifact_names (name, last_version) VALUES ($name, 1)
            ON CONFLICT (name) DO UPDATE SET last_version = last_version + 1
            RETURNING last_version;
            """);
        allocate.Parameters.AddWithValue("$name", artifact.Name);
        var version = Convert.ToInt32(await allocate.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);

        var insert = Command(connection, transaction, """
            INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key)
            VALUES ($uid, $name, $version, $created_at, $created_by, $host, $size, $hash, $type_name, $format, $storage_id, $key);
            """);
        insert.Parameters.AddWithValue("$uid", artifact.Uid);
        insert.Parameters.AddWithValue("$name", artifact.Name);
        insert.Parameters.AddWithValue("$version", version);
        insert.Parameters.AddWithValue("$created_at", FormatTime(artifact.CreatedAt));
        insert.Parameters.AddWithValue("$created_by", artifact.CreatedBy);
        insert.Parameters.AddWithValue("$host", artifact.Host);
        insert.Parameters.AddWithValue("$size", artifact.Size);
        insert.Parameters.AddWithValue("$hash", artifact.Hash);
        insert.Parameters.AddWithValue("$type_name", artifact.TypeName);
        insert.Parameters.AddWithValue("$format", artifact.Format);
        insert.Parameters.AddWithValue("$storage_id", artifact.StorageId);
        insert.Parameters.AddWithValue("$key", artifact.Key);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

        var inserted = await QuerySingleAsync(connection, transaction, $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.uid = $uid;", cancellationToken, ("$uid", artifact.Uid)).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted!;
    }

    public async Task<ArtifactRecord?> FindAsync(string name, int? version, CancellationToken cancellationToken)
    {
        using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        return version is { } v
            ? await QuerySingleAsync(connection, null, $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.name = $name AND a.version = $version;", cancellationToken, ("$name", name), ("$version", v)).ConfigureAwait(false)
            : await QuerySingleAsync(connection, null, $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.name = $name AND a.branch = 'main' ORDER BY a.version DESC LIMIT 1;", cancellationToken, ("$name", name)).ConfigureAwait(false);
    }

    public async Task<int> CountAsync(string name, ArtifactBranch branch, CancellationToken cancellationToken)
    {
        using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        var command = Command(connection, null, "SELECT COUNT(*) FROM artifacts WHERE name = $name AND branch = $branch;");
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$branch", BranchText(branch));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<ArtifactRecord>> ListLatestAsync(CancellationToken cancellationToken)
    {
        using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, $"""
            SELECT {ArtifactColumns} {ArtifactFrom}
            WHERE a.branch = 'main'
              AND a.version = (SELECT MAX(b.version) FROM artifacts b WHERE b.name = a.name AND b.branch = 'main')
            ORDER BY a.name;
            """, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ArtifactRecord>> VersionsAsync(string name, CancellationToken cancellationToken)
    {
        using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, $"SELECT {ArtifactColumns} {ArtifactFrom} WHERE a.name = $name AND a.branch = 'main' ORDER BY a.version;", cancellationToken, ("$name", name)).ConfigureAwait(false);
    }

    public async Task SetBranchAsync(string uid, ArtifactBranch branch, CancellationToken cancellationToken)
    {
        using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        var command = Command(connection, null, "UPDATE artifacts SET branch = $branch WHERE uid = $uid;");
        command.Parameters.AddWithValue("$branch", BranchText(branch));
        command.Parameters.AddWithValue("$uid", uid);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string uid, CancellationToken cancellationToken)
    {
        using var connection = await OpenConnectionAsync(_connectionString, cancellationToken).ConfigureAwait(false);
        var command = Command(connection, null, "DELETE FROM artifacts WHERE uid = $uid;");
        command.Parameters.AddWithValue("$uid", uid);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }

    private static async Task<SqliteConnection> OpenConnectionAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, null, $"PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000}; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;", cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task MigrateAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL
            );
            """, cancellationToken).ConfigureAwait(false);

        foreach (var (version, name, sql) in SqliteSchema.Migrations)
        {
            // BEGIN IMMEDIATE serializes concurrent opens; the check inside makes each migration run once.
            using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var applied = Command(connection, transaction, "SELECT COUNT(*) FROM schema_migrations WHERE version = $version;");
            applied.Parameters.AddWithValue("$version", version);
            if (Convert.ToInt64(await applied.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0)
            {
                continue;
            }

            await ExecuteAsync(connection, transaction, sql, cancellationToken).ConfigureAwait(false);
            var record = Command(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $applied_at);");
            record.Parameters.AddWithValue("$version", version);
            record.Parameters.AddWithValue("$name", name);
            record.Parameters.AddWithValue("$applied_at", FormatTime(DateTimeOffset.UtcNow));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<string> EnsureInstanceAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var insert = Command(connection, null, "INSERT OR IGNORE INTO instance (id, uid, created_at) VALUES (1, $uid, $created_at);");
        insert.Parameters.AddWithValue("$uid", Uid.New(12));
        insert.Parameters.AddWithValue("$created_at", FormatTime(DateTimeOffset.UtcNow));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        var select = Command(connection, null, "SELECT uid FROM instance WHERE id = 1;");
        return (string)(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ArtifactRecord?> QuerySingleAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql);
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value);
        }

        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadArtifact(reader) : null;
    }

    private static async Task<IReadOnlyList<ArtifactRecord>> QueryAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        using var command = Command(connection, null, sql);
        foreach (var (parameterName, value) in parameters)
        {
            command.Parameters.AddWithValue(parameterName, value);
        }

        var records = new List<ArtifactRecord>();
        using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(ReadArtifact(reader));
        }

        return records;
    }

    private static ArtifactRecord ReadArtifact(SqliteDataReader reader) => new(
        Uid: reader.GetString(0),
        Name: reader.GetString(1),
        Version: reader.GetInt32(2),
        CreatedAt: ParseTime(reader.GetString(3)),
        CreatedBy: reader.GetString(4),
        Host: reader.GetString(5),
        Size: reader.GetInt64(6),
        Hash: reader.GetString(7),
        TypeName: reader.GetString(8),
        Format: reader.GetString(9),
        StorageRoot: reader.GetString(10),
        Key: reader.GetString(11),
        Branch: ParseBranch(reader.GetString(12)),
        CodeVersion: reader.IsDBNull(13) ? null : reader.GetString(13),
        SourceCode: reader.IsDBNull(14) ? null : reader.GetString(14));

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

    private static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
