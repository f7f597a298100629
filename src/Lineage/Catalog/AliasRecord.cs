namespace Lineage;

/// <summary>An alias as it stands: <paramref name="Alias"/> of <paramref name="Name"/> points at <paramref name="Version"/>.</summary>
/// <param name="Name">The artifact name.</param>
/// <param name="Alias">The alias.</param>
/// <param name="Version">The version it points at.</param>
/// <param name="Uid">That version's uid.</param>
/// <param name="SetAt">When it was last moved (UTC).</param>
/// <param name="SetBy">Who moved it.</param>
public sealed record AliasRecord(string Name, string Alias, int Version, string Uid, DateTimeOffset SetAt, string SetBy);

/// <summary>One move of an alias: created (<paramref name="FromVersion"/> null), moved, or removed (<paramref name="ToVersion"/> null).</summary>
/// <param name="Name">The artifact name.</param>
/// <param name="Alias">The alias.</param>
/// <param name="FromVersion">The version it pointed at before, or null when it was created.</param>
/// <param name="ToVersion">The version it points at after, or null when it was removed.</param>
/// <param name="MovedAt">When (UTC).</param>
/// <param name="MovedBy">Who moved it.</param>
public sealed record AliasMove(string Name, string Alias, int? FromVersion, int? ToVersion, DateTimeOffset MovedAt, string MovedBy);
