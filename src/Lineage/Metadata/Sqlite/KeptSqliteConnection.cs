using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Lineage.Metadata.Sqlite;

/// <summary>
/// A SQLite connection that the store keeps open between operations, with the statements it compiled: Microsoft.Data.Sqlite
/// compiles a command's text again for every new command, which costs more than running a short query.
/// </summary>
internal sealed class KeptSqliteConnection(string connectionString) : SqliteConnection(connectionString), IKeepsStatements
{
    /// <summary>The store runs a few dozen distinct texts; past this many, commands are no longer kept.</summary>
    private const int Capacity = 128;

    private readonly Dictionary<string, KeptCommand> _commands = new(StringComparer.Ordinal);

    /// <summary>True once a pragma that lasts as long as the connection was set (see <see cref="SqliteMetadataStore"/>).</summary>
    public bool IsSetUp { get; set; }

    // One operation at a time uses a connection, so the dictionary needs no lock.
    public DbCommand? CommandFor(string sql)
    {
        if (_commands.TryGetValue(sql, out var kept))
        {
            if (kept.InUse)
            {
                return null;
            }

            kept.InUse = true;
            return kept;
        }

        if (_commands.Count >= Capacity)
        {
            return null;
        }

        kept = new KeptCommand { Connection = this, CommandText = sql, InUse = true };
        _commands[sql] = kept;
        return kept;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var command in _commands.Values)
            {
                command.Release();
            }

            _commands.Clear();
        }

        base.Dispose(disposing);
    }

    /// <summary>A command whose <see cref="IDisposable.Dispose"/> gives it back to its connection, compiled, until the connection closes.</summary>
    private sealed class KeptCommand : SqliteCommand
    {
        private bool _released;

        public bool InUse { get; set; }

        public void Release()
        {
            _released = true;
            Dispose();
        }

        protected override void Dispose(bool disposing)
        {
            if (_released || !disposing)
            {
                base.Dispose(disposing);
                return;
            }

            InUse = false;
        }
    }
}
