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
    public static string? BucketNameProblem(string bucket)
    {
        if (bucket.Length is < 3 or > 63)
        {
            return "a bucket name has 3 to 63 characters";
        }

        if (bucket.Any(c => c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.')))
        {
            return "a bucket name holds only lowercase letters, digits, '-' and '.' (no uppercase, no '_')";
        }

        if (!char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
        {
            return "a bucket name starts and ends with a letter or digit";
        }

        if (bucket.Contains("..", StringComparison.Ordinal))
        {
            return "a bucket name has no two adjacent periods";
        }

        // Only a.b.c.d counts: IPAddress.TryParse also takes "2024" (0.0.7.232), and all-digit buckets are valid.
        var parts = bucket.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255)
            ? "a bucket name is not an IP address"
            : null;
    }
}
