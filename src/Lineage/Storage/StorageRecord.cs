namespace Lineage;

/// <summary>A registered storage location: a local folder on one host, or an S3 bucket or prefix.</summary>
/// <param name="Uid">Unique id of the location; also written into its ownership marker when this instance claimed it.</param>
/// <param name="Root">The root: an absolute local path, <c>s3://bucket[/prefix]</c> or <c>az://container[/prefix]</c>.</param>
/// <param name="Type"><c>local</c> or <c>s3</c>.</param>
/// <param name="Description">What it is for, when given.</param>
/// <param name="Region">The S3 region from the storage options, when known; null for local roots.</param>
/// <param name="Host">For local roots, the machine the folder lives on; null for S3.</param>
/// <param name="InstanceUid">The writing instance its marker names; null when no instance manages it.</param>
/// <param name="Space">The space whose members may use it; <c>all</c> for everyone.</param>
/// <param name="CreatedAt">When it was registered (UTC).</param>
/// <param name="CreatedBy">The user that registered it.</param>
/// <param name="IsWritable">True when the store that returned this record is its writing instance.</param>
public sealed record StorageRecord(
    string Uid,
    string Root,
    string Type,
    string? Description,
    string? Region,
    string? Host,
    string? InstanceUid,
    string Space,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    bool IsWritable)
{
    /// <summary>True when some instance writes it; false for locations Lineage does not manage (no marker could be written).</summary>
    public bool IsManaged => InstanceUid is not null;

    /// <summary>True for a folder on a host's disk; false for an object store.</summary>
    public bool IsLocal => string.Equals(Type, "local", StringComparison.Ordinal);

    internal long Id { get; init; }

    internal long SpaceId { get; init; }

    /// <summary>The root, with its host for local roots: how people tell two locations with the same path apart.</summary>
    public override string ToString() => Host is null ? Root : $"{Root} (host {Host})";
}

/// <summary>A space: a named group of users that a storage location can be restricted to.</summary>
/// <param name="Uid">Unique id.</param>
/// <param name="Name">Unique name; <c>all</c> is the space everyone is in.</param>
/// <param name="Description">What it is for, when given.</param>
/// <param name="CreatedAt">When it was created (UTC).</param>
public sealed record SpaceRecord(string Uid, string Name, string? Description, DateTimeOffset CreatedAt)
{
    /// <summary>The name of the space every user belongs to and every location starts in.</summary>
    public const string All = "all";

    internal long Id { get; init; }
}
