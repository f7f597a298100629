namespace Lineage.Configuration;

/// <summary>The <c>storage_options</c> keys Lineage understands, and which of them are secrets.</summary>
internal static class StorageOptionKeys
{
    public static readonly IReadOnlyList<string> Known =
        ["profile", "region", "endpoint_url", "force_path_style", "key", "secret", "session_token"];

    private static readonly HashSet<string> Secrets = new(["key", "secret", "session_token"], StringComparer.Ordinal);

    public static bool IsSecret(string key) => Secrets.Contains(key);

    /// <summary>Throws for the first unknown key, naming the nearest known one.</summary>
    public static void Validate(IEnumerable<string> keys, string origin)
    {
        foreach (var key in keys)
        {
            if (!Known.Contains(key))
            {
                var nearest = Known.MinBy(known => EditDistance(known, key))!;
                throw new LineageConfigurationException(
                    $"Unknown storage option '{key}' in {origin}; did you mean '{nearest}'? Known options: {string.Join(", ", Known)}.");
            }
        }
    }

    private static int EditDistance(string a, string b)
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
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
