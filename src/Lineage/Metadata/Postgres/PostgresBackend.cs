using Lineage.Configuration;

namespace Lineage.Metadata.Postgres;

internal sealed partial class PostgresBackend
{
    public override DatabaseLocation Locate(string url, string baseDirectory, string userHome) => new(this, url, null);

    public override async Task<IMetadataStore> OpenAsync(DatabaseLocation location, CancellationToken cancellationToken) =>
        await PostgresMetadataStore.OpenAsync(location, cancellationToken).ConfigureAwait(false);
}
