#nullable enable
namespace Lineage.Backends;

/// <summary>What kind of finding a storage setting gave: the analyzers map each to its LIN diagnostic, the runtime throws.</summary>
internal enum StorageProblemCode
{
    /// <summary>LIN0001: the database URL cannot be used.</summary>
    InvalidDatabaseUrl,

    /// <summary>LIN0002: the storage location cannot be used.</summary>
    InvalidStorageLocation,

    /// <summary>LIN0004: a credential written in plain text.</summary>
    CredentialInText,

    /// <summary>LIN0006: a SQLite database somewhere SQLite's locking does not work.</summary>
    NonLocalSqlite,
}

/// <summary>
/// One finding about a storage setting. <see cref="Message"/> is the text of both the LIN diagnostic and the run-time
/// error (which adds a final period), so the two cannot drift.
/// </summary>
internal sealed class StorageProblem
{
    public StorageProblem(StorageProblemCode code, string message)
    {
        Code = code;
        Message = message;
    }

    public StorageProblemCode Code { get; }

    public string Message { get; }

    public override string ToString() => Code + ": " + Message;
}
