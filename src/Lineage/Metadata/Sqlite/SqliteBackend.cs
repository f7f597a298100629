using Lineage.Configuration;

namespace Lineage.Metadata.Sqlite;

internal sealed partial class SqliteBackend
{
    public override DatabaseLocation Locate(string url, string baseDirectory, string userHome)
    {
        var full = LocalPaths.Resolve(url[Prefix.Length..], baseDirectory, userHome);
        return new DatabaseLocation(this, Prefix + LocalPaths.ToUrlPath(full), full);
    }

    public override async Task<IMetadataStore> OpenAsync(DatabaseLocation location, CancellationToken cancellationToken) =>
        await SqliteMetadataStore.OpenAsync(location, cancellationToken).ConfigureAwait(false);
}
