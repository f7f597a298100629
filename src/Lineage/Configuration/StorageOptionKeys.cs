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
                var nearest = Known.MinBy(known => Rules.LineageRules.EditDistance(known, key))!;
                throw new LineageConfigurationException(
                    $"Unknown storage option '{key}' in {origin}; did you mean '{nearest}'? Known options: {string.Join(", ", Known)}.");
            }
        }
    }
}
