namespace Lineage;

/// <summary>Base type of every error Lineage raises on purpose.</summary>
public class LineageException : Exception
{
    /// <summary>Creates the exception with a message a user can act on.</summary>
    public LineageException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public LineageException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The named artifact, or the requested version of it, does not exist (or is in the trash).</summary>
public sealed class ArtifactNotFoundException : LineageException
{
    internal ArtifactNotFoundException(string name, int? version, string message) : base(message)
    {
        Name = name;
        Version = version;
    }

    /// <summary>The artifact name that was asked for.</summary>
    public string Name { get; }

    /// <summary>The version that was asked for; <see langword="null"/> when the latest (or an alias) was asked for.</summary>
    public int? Version { get; }

    /// <summary>The alias that was asked for, when the reference named one.</summary>
    public string? Alias { get; init; }
}

/// <summary>A version cannot be trashed or deleted while an alias points at it.</summary>
public sealed class AliasedVersionException : LineageException
{
    internal AliasedVersionException(string name, int version, IReadOnlyList<string> aliases, string message) : base(message)
    {
        Name = name;
        Version = version;
        Aliases = aliases;
    }

    /// <summary>The artifact name.</summary>
    public string Name { get; }

    /// <summary>The version.</summary>
    public int Version { get; }

    /// <summary>The aliases that point at it.</summary>
    public IReadOnlyList<string> Aliases { get; }
}

/// <summary>No run has the requested uid.</summary>
public sealed class RunNotFoundException : LineageException
{
    internal RunNotFoundException(string uid, string message) : base(message) => Uid = uid;

    /// <summary>The run uid that was asked for.</summary>
    public string Uid { get; }
}

/// <summary>
/// A write (save, delete, restore) targeted a storage root that this instance may only read,
/// because another instance (metadata database) owns it or no ownership marker could be written.
/// </summary>
public sealed class ReadOnlyStorageException : LineageException
{
    internal ReadOnlyStorageException(string root, string? ownerInstanceUid, string message) : base(message)
    {
        Root = root;
        OwnerInstanceUid = ownerInstanceUid;
    }

    /// <summary>The storage root that refused the write.</summary>
    public string Root { get; }

    /// <summary>The instance that owns the root, or <see langword="null"/> when nobody could claim it.</summary>
    public string? OwnerInstanceUid { get; }
}

/// <summary>An artifact was loaded as a type other than the one it was saved as.</summary>
public sealed class ArtifactTypeMismatchException : LineageException
{
    internal ArtifactTypeMismatchException(string savedType, string requestedType, string message) : base(message)
    {
        SavedType = savedType;
        RequestedType = requestedType;
    }

    /// <summary>The type name recorded when the artifact was saved.</summary>
    public string SavedType { get; }

    /// <summary>The type the caller asked for.</summary>
    public string RequestedType { get; }
}

/// <summary>A stored value is missing, has the wrong size, or does not match its recorded hash.</summary>
public sealed class CorruptArtifactException : LineageException
{
    internal CorruptArtifactException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>The resolved configuration is invalid, unsupported, or points at something that cannot be reached.</summary>
public sealed class LineageConfigurationException : LineageException
{
    internal LineageConfigurationException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>A value cannot be turned into bytes (or back) by the serializers Lineage has for its type.</summary>
public sealed class ArtifactSerializationException : LineageException
{
    internal ArtifactSerializationException(string message, Exception? innerException = null) : base(message, innerException) { }
}

/// <summary>
/// A storage root could not be used: its bucket is missing, access was denied, the region is wrong,
/// or its endpoint cannot be reached. The message names the root, never a credential.
/// </summary>
public sealed class StorageAccessException : LineageException
{
    internal StorageAccessException(string root, string message, Exception? innerException = null) : base(message, innerException) => Root = root;

    /// <summary>The storage root that could not be used.</summary>
    public string Root { get; }
}

/// <summary>No storage location is registered for the given root (on this host, for local roots).</summary>
public sealed class StorageNotFoundException : LineageException
{
    internal StorageNotFoundException(string root, string message) : base(message) => Root = root;

    /// <summary>The root that was asked for.</summary>
    public string Root { get; }
}

/// <summary>
/// A path under a local storage root goes through a symbolic link (or junction) that leads outside the root, or that was planted
/// where Lineage keeps or registered a value. Lineage neither reads, writes nor deletes through it.
/// </summary>
public sealed class StorageLinkException : LineageException
{
    internal StorageLinkException(string root, string path, string link, string message) : base(message)
    {
        Root = root;
        Path = path;
        Link = link;
    }

    /// <summary>The storage root the path is under.</summary>
    public string Root { get; }

    /// <summary>The path that was refused.</summary>
    public string Path { get; }

    /// <summary>The link on that path (the path itself, or a folder above it).</summary>
    public string Link { get; }
}

/// <summary>
/// A storage location was moved into a space, and the current user (<c>LINEAGE_USER</c> or the OS user) is not a member:
/// they may neither write to it nor read the artifacts that live there.
/// </summary>
public sealed class SpaceAccessDeniedException : LineageException
{
    internal SpaceAccessDeniedException(string root, string space, string user, string message) : base(message)
    {
        Root = root;
        Space = space;
        User = user;
    }

    /// <summary>The storage root that refused access.</summary>
    public string Root { get; }

    /// <summary>The space the root is in.</summary>
    public string Space { get; }

    /// <summary>The user that was refused.</summary>
    public string User { get; }
}

/// <summary>
/// The metadata database failed or could not be reached: an outage, a dropped connection, a timeout, a full disk, or a
/// statement it refused. The message names the database (its password masked), what was not done and, for a save, whether
/// anything was stored. Lineage never lets a driver exception (Npgsql, SQLite, sockets) escape in its place.
/// </summary>
/// <remarks>
/// A failed save says "nothing was stored" only when that is certain; when the database went away before it could say whether
/// the version was recorded, the message says the outcome is unknown, and the value is kept until it is known (see docs/configuration.md).
/// </remarks>
public sealed class MetadataDatabaseException : LineageException
{
    internal MetadataDatabaseException(string databaseUrl, string message, Exception? innerException = null) : base(message, innerException) =>
        DatabaseUrl = databaseUrl;

    /// <summary>The database URL with its password masked.</summary>
    public string DatabaseUrl { get; }

    /// <summary>False when no connection could be opened, so no statement was sent.</summary>
    internal bool ConnectionOpened { get; init; }

    /// <summary>
    /// The server session that was running the statement when its answer was lost (PostgreSQL: the backend process id), so a later
    /// check can wait until it has ended; null when the statement is known to be over.
    /// </summary>
    internal string? WriterSession { get; init; }
}

/// <summary>A storage root has no space left (or the user's quota is used up): the value was not written, and nothing was left behind.</summary>
public sealed class StorageFullException : LineageException
{
    internal StorageFullException(string root, string message, Exception? innerException = null) : base(message, innerException) => Root = root;

    /// <summary>The storage root that is full.</summary>
    public string Root { get; }
}
