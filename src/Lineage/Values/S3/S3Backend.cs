namespace Lineage.Values.S3;

internal sealed partial class S3Backend
{
    public override string Normalize(string location, string baseDirectory, string userHome, string settingName) =>
        S3Root.Parse(location, settingName).ToString();

    public override IValueStore Create(string root, IReadOnlyDictionary<string, string> storageOptions) => new S3ValueStore(root, storageOptions);

    public override string? RegionOf(IReadOnlyDictionary<string, string> storageOptions) => storageOptions.GetValueOrDefault("region");
}
