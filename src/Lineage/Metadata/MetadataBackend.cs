using Lineage.Configuration;

namespace Lineage.Metadata;

/// <summary>
/// The runtime's part of a metadata database backend: reading a URL on this machine, and opening its
/// <see cref="IMetadataStore"/>. The rules part (<c>src/Shared/Backends</c>) is shared with the analyzers.
/// </summary>
internal abstract partial class MetadataBackend
{
    /// <summary>The location <paramref name="url"/> names. Called only for a trimmed URL this backend answers and whose <see cref="Problems"/> are empty.</summary>
    public abstract DatabaseLocation Locate(string url, string baseDirectory, string userHome);

    /// <summary>Opens (creating or upgrading as needed) the metadata store at <paramref name="location"/>.</summary>
    public abstract Task<IMetadataStore> OpenAsync(DatabaseLocation location, CancellationToken cancellationToken);
}
