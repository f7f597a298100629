// Compiled into both the runtime (Lineage) and the compile-time checks (Lineage.Generators), which cannot reference
// each other, so that what the compiler accepts and what the program accepts are the same rules.
#nullable enable
namespace Lineage.Rules;

/// <summary>Naming rules shared by the runtime and the analyzers.</summary>
internal static class LineageRules
{
    /// <summary>Longest artifact name accepted.</summary>
    public const int MaxArtifactNameLength = 200;

    /// <summary>
    /// True when the NFC form of <paramref name="name"/> (see <see cref="NormalizeArtifactName"/>) has 1–200 characters,
    /// starts with a letter or digit, and holds only letters, digits, '-', '_', '.', '/'. A letter or digit is a
    /// UTF-16 character of a Unicode letter category (Lu, Ll, Lt, Lm, Lo) or a decimal digit (Nd): combining marks
    /// and characters outside the Basic Multilingual Plane are not.
    /// </summary>
    public static bool IsValidArtifactName(string? name)
    {
        if (name is null)
        {
            return false;
        }

        name = NormalizeArtifactName(name);
        if (name.Length == 0 || name.Length > MaxArtifactNameLength || !char.IsLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c != '-' && c != '_' && c != '.' && c != '/')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The form a name is stored and compared in: Unicode NFC, so "é" typed as one character or as "e" plus a combining
    /// accent is one name. A string that is not valid UTF-16 (a lone surrogate) is returned as written; no name rule accepts it.
    /// </summary>
    public static string NormalizeArtifactName(string name)
    {
        try
        {
            return name.IsNormalized(System.Text.NormalizationForm.FormC) ? name : name.Normalize(System.Text.NormalizationForm.FormC);
        }
        catch (System.ArgumentException)
        {
            return name;
        }
    }

    /// <summary>Why <paramref name="bucket"/> breaks S3's bucket naming rules, or null when it follows them.</summary>
    public static string? BucketNameProblem(string bucket)
    {
        if (bucket.Length < 3 || bucket.Length > 63)
        {
            return "a bucket name has 3 to 63 characters";
        }

        foreach (var c in bucket)
        {
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '-' && c != '.')
            {
                return "a bucket name holds only lowercase letters, digits, '-' and '.' (no uppercase, no '_')";
            }
        }

        if (!IsLowerAlphanumeric(bucket[0]) || !IsLowerAlphanumeric(bucket[bucket.Length - 1]))
        {
            return "a bucket name starts and ends with a letter or digit";
        }

        if (bucket.Contains(".."))
        {
            return "a bucket name has no two adjacent periods";
        }

        return IsDottedQuad(bucket) ? "a bucket name is not an IP address" : null;
    }

    /// <summary>
    /// Why the <c>s3://bucket/prefix</c> location <paramref name="location"/> cannot be used, or null when it can: the
    /// bucket follows S3's naming rules, and the prefix has no '.', '..' or empty segments, which S3 would keep in every key
    /// as written (its keys are not paths). The runtime error and LIN0002 both say this text, naming the location <paramref name="settingName"/>.
    /// </summary>
    public static string? S3LocationProblem(string location, string settingName = "artifact_storage_dir")
    {
        var rest = location.Substring("s3://".Length).TrimEnd('/');
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest.Substring(0, slash);
        if (BucketNameProblem(bucket) is { } bucketProblem)
        {
            return $"{settingName} '{location}' names an invalid S3 bucket '{bucket}': {bucketProblem}";
        }

        if (slash < 0)
        {
            return null;
        }

        var segments = rest.Substring(slash + 1).Split('/');
        foreach (var segment in segments)
        {
            var what = segment switch
            {
                "" => "an empty segment ('//')",
                "." => "a '.' segment",
                ".." => "a '..' segment",
                _ => null,
            };
            if (what is not null)
            {
                var meant = ResolvedSegments(segments) is { } resolved ? $"; write 's3://{bucket}{resolved}' if that is the location meant" : string.Empty;
                return $"{settingName} '{location}' has {what} in its prefix: S3 keys are not paths, so it would be kept in every key as written, not resolved{meant}";
            }
        }

        return null;
    }

    /// <summary>
    /// The prefix <paramref name="segments"/> read as a path ('/' plus the segments, or empty), or null when '..' climbs above the bucket.
    /// </summary>
    private static string? ResolvedSegments(string[] segments)
    {
        var resolved = new System.Collections.Generic.List<string>();
        foreach (var segment in segments)
        {
            if (segment == "..")
            {
                if (resolved.Count == 0)
                {
                    return null;
                }

                resolved.RemoveAt(resolved.Count - 1);
            }
            else if (segment.Length > 0 && segment != ".")
            {
                resolved.Add(segment);
            }
        }

        return resolved.Count == 0 ? string.Empty : "/" + string.Join("/", resolved);
    }

    /// <summary>Levenshtein distance, for "did you mean" suggestions.</summary>
    public static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = System.Math.Min(System.Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            var swap = previous;
            previous = current;
            current = swap;
        }

        return previous[b.Length];
    }

    private static bool IsLowerAlphanumeric(char c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

    // Only a.b.c.d counts: IPAddress.TryParse also takes "2024" (0.0.7.232), and all-digit buckets are valid.
    private static bool IsDottedQuad(string bucket)
    {
        var parts = bucket.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length == 0 || part.Length > 3 || !int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) || number > 255)
            {
                return false;
            }
        }

        return true;
    }
}
