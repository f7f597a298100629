namespace Lineage.Values.S3;

/// <summary>An <c>s3://bucket/prefix</c> root: the bucket, and the key prefix (empty or ending in '/').</summary>
internal sealed record S3Root(string Bucket, string Prefix)
{
    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix.TrimEnd('/')}";

    /// <summary>Parses <paramref name="root"/>; <paramref name="settingName"/> names it in errors.</summary>
    public static S3Root Parse(string root, string settingName = Configuration.ConfigFile.ArtifactStorageDirKey)
    {
        if (!root.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            throw new LineageConfigurationException($"'{root}' is not an s3:// location.");
        }

        if (Rules.LineageRules.S3LocationProblem(root, settingName) is { } problem)
        {
            throw new LineageConfigurationException(problem + ".");
        }

        // The rule refused empty segments except trailing ones, which say nothing.
        var rest = root["s3://".Length..].TrimEnd('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new S3Root(rest, string.Empty) : new S3Root(rest[..slash], rest[(slash + 1)..] + "/");
    }
}
