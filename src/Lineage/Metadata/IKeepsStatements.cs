using System.Data.Common;

namespace Lineage.Metadata;

/// <summary>A connection that keeps the commands it ran, compiled, for the next operation that runs the same text on it.</summary>
internal interface IKeepsStatements
{
    /// <summary>
    /// The command this connection ran <paramref name="sql"/> with, now free, or a new one it will keep; null when it keeps no
    /// more commands or that one is still in use. Disposing the command gives it back.
    /// </summary>
    DbCommand? CommandFor(string sql);
}
