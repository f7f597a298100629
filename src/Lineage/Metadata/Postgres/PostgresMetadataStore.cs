using System.Data.Common;
using Lineage.Configuration;
using Npgsql;

namespace Lineage.Metadata.Postgres;

/// <summary>
/// Metadata in PostgreSQL through a pooled Npgsql data source. Version allocation is serialized by the
/// row lock of the name's counter; migrations by a transaction-scoped advisory lock.
/// </summary>
internal sealed class PostgresMetadataStore : SqlMetadataStore
{
    // Arbitrary but fixed: every Lineage process takes the same advisory lock to migrate.
    private const long MigrationLock = 0x4C494E4541474531;
    private const string UniqueViolation = "23505";

    private readonly NpgsqlDataSource _dataSource;

    private PostgresMetadataStore(DatabaseLocation location, NpgsqlDataSource dataSource) : base(location) => _dataSource = dataSource;

    // Resolved through the search path, as the store's queries resolve it.
    protected override string MigrationsTableExistsSql => "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN 0 ELSE 1 END;";

    protected override string MigrationsTableSql => $"""
        DO $$
        BEGIN
            PERFORM pg_advisory_xact_lock({MigrationLock});
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL
            );
        END
        $$;
        """;

    protected override IReadOnlyList<Migration> Migrations => PostgresSchema.Migrations;

    public static async Task<PostgresMetadataStore> OpenAsync(DatabaseLocation location, CancellationToken cancellationToken)
    {
        var builder = PostgresUrl.ToConnectionString(location);
        // The store's queries are short: compiling a plan with JIT (on by default since PostgreSQL 12) costs more than running it,
        // seconds for a Find over 100,000 versions whose estimated cost crosses jit_optimize_above_cost. Options in the URL come after, and win.
        builder.Options = string.IsNullOrWhiteSpace(builder.Options) ? "-c jit=off" : "-c jit=off " + builder.Options;
        var store = new PostgresMetadataStore(location, NpgsqlDataSource.Create(builder));
        try
        {
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new LineageConfigurationException(
                $"Cannot reach the metadata database {location.MaskedUrl}: {e.Message}{(e.InnerException is { } inner ? " (" + inner.Message + ")" : string.Empty)}", e);
        }
    }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, bool forMigration, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (forMigration)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLock});";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return transaction;
    }

    // One statement, one round trip: the CTE allocates the version (locking the name's counter row) and the
    // insert uses it; PostgreSQL runs a single statement atomically, so no explicit transaction is needed.
    protected override async Task<int?> AllocateAndInsertAsync(DbConnection connection, NewArtifact artifact, long? codeRecordId, CancellationToken cancellationToken)
    {
        if (artifact.SharesValue)
        {
            // Two statements in one transaction: the value's lock first, so that the insert's snapshot (taken when it starts) sees
            // every delete of a version that shared it committed before; the check then refuses a value no version points at.
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await EnsureSharedValueAsync(connection, transaction, artifact, cancellationToken).ConfigureAwait(false);
                var shared = await InsertAsync(connection, transaction, artifact, codeRecordId, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return shared;
            }
        }

        return await InsertAsync(connection, null, artifact, codeRecordId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int?> InsertAsync(DbConnection connection, DbTransaction? transaction, NewArtifact artifact, long? codeRecordId, CancellationToken cancellationToken)
    {
        // Without a user to check, everyone may use the location: the access row always exists.
        // The version's input edges go in the same statement: a save inside a run costs no extra round trip.
        var edges = InputEdges(artifact, "(SELECT id FROM inserted)");
        // So does the indexed copy of its metadata.
        var indexed = artifact.Metadata is { Count: > 0 }
            ? $", indexed AS (INSERT INTO artifact_metadata (artifact_id, key, number, string, flag) {MetadataRowsSql("i.id", "CAST(@metadata AS JSONB)", "inserted i CROSS JOIN ")})"
            : string.Empty;
        var version = await ScalarAsync(connection, transaction, $"""
            WITH access AS (
                SELECT 1 FROM storages s WHERE s.id = @storage_id AND (CAST(@access_user AS TEXT) IS NULL OR {MayUseStorage})),
            allocated AS (
                INSERT INTO artifact_names (name, last_version) SELECT @name, 1 FROM access
                ON CONFLICT (name) DO UPDATE SET last_version = artifact_names.last_version + 1
                RETURNING last_version),
            inserted AS (
                INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key, code_record_id, inputs_hash, type_schema, is_managed, run_id, description, tags, metadata, checksum, value_shared)
                SELECT @uid, @name, last_version, @created_at, @created_by, @host, @size, @hash, @type_name, @format, @storage_id, @key, CAST(@code_record_id AS BIGINT), CAST(@inputs_hash AS TEXT), CAST(@type_schema AS TEXT), @is_managed, CAST(@run_id AS BIGINT),
                    CAST(@description AS TEXT), CAST(@tags AS JSONB), CAST(@metadata AS JSONB), CAST(@checksum AS TEXT), @value_shared FROM allocated
                RETURNING id, version){(edges is { } e ? $", {e.With}, edges AS ({e.Insert})" : string.Empty)}{indexed}
            SELECT version FROM inserted;
            """, cancellationToken, [.. ArtifactParameters(artifact, codeRecordId), ("@access_user", artifact.AccessUser), .. edges?.Parameters ?? []]).ConfigureAwait(false);
        return version is null or DBNull ? null : Convert.ToInt32(version, System.Globalization.CultureInfo.InvariantCulture);
    }

    protected override string? SessionOf(DbConnection connection) =>
        ((NpgsqlConnection)connection).ProcessID.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // An ERROR is the server's own answer that the statement failed; anything else (a FATAL at shutdown, a dropped connection,
    // a timeout) may have come after the commit.
    protected override bool AnswerMayBeLost(Exception failure) => failure is not PostgresException { InvariantSeverity: "ERROR" };

    // Message adds the (redacted) detail on further lines; the code and the text say it all.
    protected override string MessageOf(Exception failure) => failure is PostgresException postgres ? $"{postgres.SqlState}: {postgres.MessageText}" : failure.Message;

    // A backend process runs one statement at a time and commits before it ends: once its pid is gone, whatever it ran is visible.
    // Another live backend with the same pid only makes this answer "maybe" for a while, never a wrong "no".
    protected override async Task<bool> SessionMayStillWriteAsync(DbConnection connection, string session, CancellationToken cancellationToken) =>
        Convert.ToBoolean(await ScalarAsync(connection, null, "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = @pid AND pid <> pg_backend_pid());",
            cancellationToken, ("@pid", int.Parse(session, System.Globalization.CultureInfo.InvariantCulture))).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);

    protected override bool IsVersionConflict(DbException exception) =>
        exception is PostgresException { SqlState: UniqueViolation, ConstraintName: not null } postgres
        && !postgres.ConstraintName.Contains("uid", StringComparison.Ordinal);

    protected override object TimeValue(DateTimeOffset time) => time.UtcDateTime;

    protected override string JsonColumn(string column) => $"{column}::text";

    protected override Catalog.FilterDialect Dialect => Catalog.FilterDialect.Postgres;

    protected override string NameMatchSql(string parameter) => $"a.name LIKE {parameter} ESCAPE '\\'";

    // '_' and '\' are literal in names; '*' and '?' become LIKE's '%' and '_'.
    protected override string NamePattern(string glob) =>
        glob.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal)
            .Replace('*', '%').Replace('?', '_');

    // Containment, so the GIN index on tags serves it.
    protected override string HasTagSql(string parameter) => $"a.tags @> CAST({parameter} AS JSONB)";

    protected override object TagParameter(string tag) => JsonText.Array([tag]);

    // As migration 6 fills the table; CASE evaluates a cast only for a value of its type.
    protected override string InsertMetadataRowsSql(string artifactId, string json) => $"""
        INSERT INTO artifact_metadata (artifact_id, key, number, string, flag)
        {MetadataRowsSql(artifactId, json)};
        """;

    // from: what the id comes from ("inserted i CROSS JOIN "), so that no row is written when no version was inserted.
    private static string MetadataRowsSql(string artifactId, string json, string from = "") => $$"""
        SELECT {{artifactId}}, j.key,
            CASE WHEN jsonb_typeof(j.value) = 'number' THEN j.value::numeric END,
            CASE WHEN jsonb_typeof(j.value) = 'string' THEN j.value #>> '{}' END,
            CASE WHEN jsonb_typeof(j.value) = 'boolean' THEN j.value::boolean END
        FROM {{from}}jsonb_each({{json}}) j WHERE jsonb_typeof(j.value) IN ('number', 'string', 'boolean')
        """;

    // A plain join on latest_id: the planner hash-joins a whole listing and walks a page's names in order with one probe each.
    protected override string LatestJoins => """
        FROM artifact_names n
        JOIN artifacts a ON a.id = n.latest_id
        JOIN storages s ON s.id = a.storage_id
        LEFT JOIN code_records c ON c.id = a.code_record_id
        LEFT JOIN runs r ON r.id = a.run_id
        """;

    // A whole listing's aliases are grouped once and hash-joined (aliases are few beside versions) instead of one probe of
    // aliases_by_artifact per record; a page keeps the probes, which read only its own records.
    protected override (string Column, string Join) ListAliasesSql => ("al.aliases", """

        LEFT JOIN (SELECT x.artifact_id, string_agg(x.alias, ',' ORDER BY x.alias) AS aliases FROM aliases x GROUP BY x.artifact_id) al
            ON al.artifact_id = a.id
        """);

    protected override string JsonParameter(string parameter) => $"CAST({parameter} AS JSONB)";

    protected override string AliasListSql => "(SELECT string_agg(x.alias, ',' ORDER BY x.alias) FROM aliases x WHERE x.artifact_id = a.id)";

    protected override string ForUpdate => " FOR UPDATE";

    // Everything that adds or removes a reference to one stored value queues on a lock of its own.
    protected override Task LockValueAsync(DbConnection connection, DbTransaction transaction, long storageId, string key, CancellationToken cancellationToken) =>
        AdvisoryLockAsync(connection, transaction, $"lineage-value\n{storageId.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n{key}", cancellationToken);

    // Writers of one alias queue on a lock of their own: each reads the version the previous one left before moving it.
    protected override Task LockAliasAsync(DbConnection connection, DbTransaction transaction, string name, string alias, CancellationToken cancellationToken) =>
        AdvisoryLockAsync(connection, transaction, $"lineage-alias\n{name}\n{alias}", cancellationToken);

    private static async Task AdvisoryLockAsync(DbConnection connection, DbTransaction transaction, string lockKey, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0));";
        var key = command.CreateParameter();
        key.ParameterName = "@key";
        key.Value = lockKey;
        command.Parameters.Add(key);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
