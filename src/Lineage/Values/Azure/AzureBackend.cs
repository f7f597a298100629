namespace Lineage.Values.Azure;

internal sealed partial class AzureBackend
{
    public override string Normalize(string location, string baseDirectory, string userHome, string settingName) =>
        AzureRoot.Parse(location, settingName).ToString();

    public override IValueStore Create(string root, IReadOnlyDictionary<string, string> storageOptions) => new AzureBlobValueStore(root, storageOptions);
}
