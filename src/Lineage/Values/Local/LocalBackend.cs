using Lineage.Backends;
using Lineage.Configuration;

namespace Lineage.Values.Local;

internal sealed partial class LocalBackend
{
    public override string Normalize(string location, string baseDirectory, string userHome, string settingName)
    {
        if (UrlText.SchemeOf(location) is null)
        {
            return LocalPaths.Resolve(location, baseDirectory, userHome);
        }

        var path = location[FileScheme.Length..];

        // file:///C:/data on Windows carries a slash before the drive letter.
        if (path.Length > 2 && path[2] == ':')
        {
            path = path[1..];
        }

        return LocalPaths.Resolve(path, baseDirectory, userHome);
    }

    public override IValueStore Create(string root, IReadOnlyDictionary<string, string> storageOptions) => new LocalValueStore(root);
}
