namespace Lineage.Configuration;

internal enum StorageKind
{
    Local,
    S3,
}

/// <summary>A parsed <c>artifact_storage_dir</c> (or any other storage root): a local folder (absolute) or an object-store root.</summary>
internal sealed record StorageLocation(StorageKind Kind, string Root)
{
    /// <summary>Parses <paramref name="value"/>; <paramref name="settingName"/> names it in errors (the setting, or e.g. "migration target").</summary>
    public static StorageLocation Parse(string value, string baseDirectory, string userHome, string settingName = ConfigFile.ArtifactStorageDirKey)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            throw new LineageConfigurationException($"{settingName} is empty. Use a folder path or s3://bucket/prefix.");
        }

        var scheme = UrlMasking.SchemeOf(trimmed);
        switch (scheme?.ToLowerInvariant())
        {
            case null:
                return new StorageLocation(StorageKind.Local, LocalPaths.Resolve(trimmed, baseDirectory, userHome));
            case "file":
                var path = trimmed["file://".Length..];
                if (!path.StartsWith('/'))
                {
                    throw new LineageConfigurationException($"{settingName} '{trimmed}' is not an absolute file URL: write file:///absolute/path.");
                }

                // file:///C:/data on Windows carries a slash before the drive letter.
                if (path.Length > 2 && path[2] == ':')
                {
                    path = path[1..];
                }

                return new StorageLocation(StorageKind.Local, LocalPaths.Resolve(path, baseDirectory, userHome));
            case "s3":
                return new StorageLocation(StorageKind.S3, Values.S3.S3Root.Parse(trimmed, settingName).ToString());
            default:
                throw new LineageConfigurationException(
                    $"{settingName} '{UrlMasking.Mask(trimmed)}' uses the unsupported scheme '{scheme}'. Supported: a local folder, file:///path, s3://bucket/prefix.");
        }
    }
}
