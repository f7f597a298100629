using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using Lineage.Configuration;
using Microsoft.Data.Sqlite;

namespace Lineage.Metadata.Sqlite;

/// <summary>
/// Metadata in a SQLite file: WAL journal, a busy timeout (the connection's default timeout) so concurrent writers queue instead of failing,
/// and write transactions taken with <c>BEGIN IMMEDIATE</c> so version allocation is serialized.
/// </summary>
internal sealed class SqliteMetadataStore : SqlMetadataStore
{
    private const int BusyTimeoutSeconds = 60;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteReadOnly = 8;
    private const int SqliteCantOpen = 14;

    /// <summary>How many idle connections the store keeps open, with their compiled statements, for the next operations.</summary>
    private const int MaxIdleConnections = 4;

    private readonly string _connectionString;
    private readonly string _path;
    private readonly ConcurrentBag<KeptSqliteConnection> _idle = [];
    private volatile bool _disposed;

    private SqliteMetadataStore(DatabaseLocation location, string connectionString) : base(location) =>
        (_connectionString, _path) = (connectionString, location.SqlitePath!);

    protected override string MigrationsTableSql => """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        """;

    protected override string MigrationsTableExistsSql => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';";

    protected override IReadOnlyList<Migration> Migrations => SqliteSchema.Migrations;

    /// <summary>
    /// Opens the file for reading and writing; an up-to-date database the user may only read (a read-only file, or one in a
    /// read-only folder) opens read-only instead, since opening writes nothing then: see <see cref="OpenReadOnlyAsync"/>.
    /// </summary>
    public static async Task<SqliteMetadataStore> OpenAsync(DatabaseLocation location, CancellationToken cancellationToken)
    {
        var path = location.SqlitePath!;
        try
        {
            return await OpenAsync(location, ConnectionString(path, SqliteOpenMode.ReadWriteCreate), cancellationToken).ConfigureAwait(false);
        }
        catch (LineageConfigurationException e) when (e.InnerException is SqliteException { SqliteErrorCode: SqliteReadOnly or SqliteCantOpen } && File.Exists(path))
        {
            if (await OpenReadOnlyAsync(location, cancellationToken).ConfigureAwait(false) is { } readOnly)
            {
                return readOnly;
            }

            throw;
        }
    }

    /// <summary>
    /// The store on a connection that only reads, or null when it cannot open so (e.g. migrations are due). A WAL database needs
    /// its -shm file to be read; in a folder the user may not write where there is none, the file is opened as immutable, which
    /// is only right when no -wal file holds changes the database file lacks, so only then.
    /// </summary>
    private static async Task<SqliteMetadataStore?> OpenReadOnlyAsync(DatabaseLocation location, CancellationToken cancellationToken)
    {
        var path = location.SqlitePath!;
        try
        {
            return await OpenAsync(location, ConnectionString(path, SqliteOpenMode.ReadOnly), cancellationToken).ConfigureAwait(false);
        }
        catch (LineageConfigurationException) when (!File.Exists(path + "-wal") || new FileInfo(path + "-wal").Length == 0)
        {
        }
        catch (LineageConfigurationException)
        {
            return null;
        }

        try
        {
            return await OpenAsync(location, ConnectionString(new Uri(path).AbsoluteUri + "?immutable=1", SqliteOpenMode.ReadOnly), cancellationToken).ConfigureAwait(false);
        }
        catch (LineageConfigurationException)
        {
            return null;
        }
    }

    private static string ConnectionString(string dataSource, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = dataSource,
        Mode = mode,
        Pooling = true,
        ForeignKeys = true,
        // Microsoft.Data.Sqlite retries a busy database for this long, so concurrent writers queue instead of failing.
        DefaultTimeout = BusyTimeoutSeconds,
    }.ToString();

    private static async Task<SqliteMetadataStore> OpenAsync(DatabaseLocation location, string connectionString, CancellationToken cancellationToken)
    {
        var path = location.SqlitePath!;
        var store = new SqliteMetadataStore(location, connectionString);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var connection = (SqliteConnection)await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
            using (var wal = connection.CreateCommand())
            {
                // Asked first, so that a database in WAL mode already (every one this store made) is only read.
                wal.CommandText = "PRAGMA journal_mode;";
                if (!string.Equals(await wal.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    wal.CommandText = "PRAGMA journal_mode = WAL;";
                    await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw new LineageConfigurationException($"Cannot open the metadata database {location.MaskedUrl}: {e.Message}", e);
        }
    }

    /// <summary>
    /// An idle connection the store kept, or a new one. A kept connection skips the pragmas of a checkout and keeps its compiled
    /// statements; it is not used again once its file is gone from the path (moved, unmounted), so the store then fails as a new
    /// connection would.
    /// </summary>
    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        while (_idle.TryTake(out var kept))
        {
            if (kept.State == ConnectionState.Open && File.Exists(_path))
            {
                return kept;
            }

            kept.Dispose();
        }

        var connection = new KeptSqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA synchronous = FULL;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Keeps a healthy connection outside any transaction for the next operation (up to <see cref="MaxIdleConnections"/>).
    /// After a database failure the kept connections are closed too: the next operation opens anew and sees the database as it is.
    /// </summary>
    protected override ValueTask ReleaseConnectionAsync(DbConnection connection, bool healthy)
    {
        if (!healthy)
        {
            CloseIdleConnections();
        }
        else if (!_disposed && connection is KeptSqliteConnection { State: ConnectionState.Open } kept
            && SQLitePCL.raw.sqlite3_get_autocommit(kept.Handle) != 0 && _idle.Count < MaxIdleConnections)
        {
            _idle.Add(kept);
            if (_disposed)
            {
                CloseIdleConnections();
            }

            return ValueTask.CompletedTask;
        }

        return connection.DisposeAsync();
    }

    private void CloseIdleConnections()
    {
        while (_idle.TryTake(out var kept))
        {
            kept.Dispose();
        }
    }

    // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE unless asked for a deferred transaction:
    // the write lock is taken up front, so writers and migrations queue on the busy timeout.
    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, bool forMigration, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    protected override bool IsVersionConflict(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey } sqlite
        && !sqlite.Message.Contains("artifacts.uid", StringComparison.Ordinal);

    protected override string JsonColumn(string column) => column;

    protected override Catalog.FilterDialect Dialect => Catalog.FilterDialect.Sqlite;

    // GLOB is SQLite's case-sensitive match with * and ?; names hold no other GLOB character ('[' is not allowed in a name).
    protected override string NameMatchSql(string parameter) => $"a.name GLOB {parameter}";

    protected override string NamePattern(string glob) => glob;

    protected override string HasTagSql(string parameter) => $"EXISTS (SELECT 1 FROM json_each(a.tags) t WHERE t.value = {parameter})";

    protected override object TagParameter(string tag) => tag;

    // As migration 6 fills the table: json_each says 'integer', 'real', 'text', 'true' or 'false' (null and nested values have no row).
    protected override string InsertMetadataRowsSql(string artifactId, string json) => $"""
        INSERT INTO artifact_metadata (artifact_id, key, number, string, flag)
        SELECT {artifactId}, j.key,
            CASE WHEN j.type IN ('integer', 'real') THEN j.value END,
            CASE WHEN j.type = 'text' THEN j.value END,
            CASE j.type WHEN 'true' THEN 1 WHEN 'false' THEN 0 END
        FROM json_each({json}) j WHERE j.type IN ('integer', 'real', 'text', 'true', 'false');
        """;

    protected override string JsonParameter(string parameter) => parameter;

    // The ordered subquery costs a temporary sort per row even when there is nothing to sort: an index probe first skips it for the
    // versions without aliases (nearly all of a listing).
    protected override string AliasListSql =>
        "CASE WHEN EXISTS (SELECT 1 FROM aliases y WHERE y.artifact_id = a.id) THEN (SELECT group_concat(x.alias, ',') FROM (SELECT alias FROM aliases WHERE artifact_id = a.id ORDER BY alias) x) END";

    /// <summary>How times are stored: UTC, to the tick, in text that sorts as the times do.</summary>
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    protected override object TimeValue(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    // The stored format read by position (a listing reads thousands of times, and a format parse costs more than the column
    // read); anything else written by hand still reads.
    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal)
    {
        var text = reader.GetString(ordinal);
        if (TryReadStoredTime(text, out var stored))
        {
            return stored;
        }

        const DateTimeStyles Utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        return DateTimeOffset.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, Utc, out var time)
            ? time
            : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, Utc);
    }

    /// <summary>Reads <see cref="TimeFormat"/> (<c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>); false for any other text or an impossible date.</summary>
    internal static bool TryReadStoredTime(ReadOnlySpan<char> text, out DateTimeOffset time)
    {
        time = default;
        if (text.Length != 28 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != '.' || text[27] != 'Z'
            || !Digits(text[..4], out var year) || !Digits(text.Slice(5, 2), out var month) || !Digits(text.Slice(8, 2), out var day)
            || !Digits(text.Slice(11, 2), out var hour) || !Digits(text.Slice(14, 2), out var minute) || !Digits(text.Slice(17, 2), out var second)
            || !Digits(text.Slice(20, 7), out var ticks)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        time = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks));
        return true;

        static bool Digits(ReadOnlySpan<char> digits, out int value)
        {
            value = 0;
            foreach (var c in digits)
            {
                if (!char.IsAsciiDigit(c))
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            return true;
        }
    }

    public override ValueTask DisposeAsync()
    {
        // Kept and pooled connections keep the file open; release them so the file can be moved or deleted.
        _disposed = true;
        CloseIdleConnections();
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
