namespace Lineage.Configuration;

internal enum StorageKind
{
    Local,
    S3,
}

/// <summary>A parsed <c>artifact_storage_dir</c>: a local folder (absolute) or an object-store root.</summary>
internal sealed record StorageLocation(StorageKind Kind, string Root)
{
    public static StorageLocation Parse(string value, string baseDirectory, string userHome)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            throw new LineageConfigurationException("artifact_storage_dir is empty. Use a folder path or s3://bucket/prefix.");
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
                    throw new LineageConfigurationException($"artifact_storage_dir '{trimmed}' is not an absolute file URL: write file:///absolute/path.");
                }

                // file:///C:/data on Windows carries a slash before the drive letter.
                if (path.Length > 2 && path[2] == ':')
                {
                    path = path[1..];
                }

                return new StorageLocation(StorageKind.Local, LocalPaths.Resolve(path, baseDirectory, userHome));
            case "s3":
                return new StorageLocation(StorageKind.S3, Values.S3.S3Root.Parse(trimmed).ToString());
            default:
                throw new LineageConfigurationException(
                    $"artifact_storage_dir '{UrlMasking.Mask(trimmed)}' uses the unsupported scheme '{scheme}'. Supported: a local folder, file:///path, s3://bucket/prefix.");
        }
    }
}
