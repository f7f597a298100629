namespace Lineage;

/// <summary>What the Lineage health check expects of the default storage root.</summary>
public enum LineageStorageAccess
{
    /// <summary>This instance writes the root: it must own it (its marker names this database) and, for a local folder, be able to create a file in it.</summary>
    ReadWrite,

    /// <summary>The host only loads: the root must be reachable and its marker readable; another instance may own it.</summary>
    ReadOnly,
}
