namespace Lineage.Values.S3;

/// <summary>An <c>s3://bucket/prefix</c> root: the bucket, and the key prefix (empty or ending in '/').</summary>
internal sealed record S3Root(string Bucket, string Prefix)
{
    public override string ToString() => Prefix.Length == 0 ? $"s3://{Bucket}" : $"s3://{Bucket}/{Prefix.TrimEnd('/')}";

    public static S3Root Parse(string root)
    {
        if (!root.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
        {
            throw new LineageConfigurationException($"'{root}' is not an s3:// location.");
        }

        var rest = root["s3://".Length..].TrimEnd('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/') + "/";
        if (BucketNameProblem(bucket) is { } problem)
        {
            throw new LineageConfigurationException($"artifact_storage_dir '{root}' names an invalid S3 bucket '{bucket}': {problem}.");
        }

        return new S3Root(bucket, prefix == "/" ? string.Empty : prefix);
    }

    /// <summary>Why <paramref name="bucket"/> breaks S3's bucket naming rules, or null when it follows them.</summary>
    public static string? BucketNameProblem(string bucket) => Rules.LineageRules.BucketNameProblem(bucket);
}
