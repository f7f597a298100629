namespace Lineage.Health;

/// <summary>
/// Removes the secrets a store was resolved with from text meant for a health endpoint: the database URL's password (as written
/// and percent-decoded) and the values of secret storage options. Lineage's messages already mask them; a message from a
/// driver or an SDK is not Lineage's to vouch for.
/// </summary>
internal static class SecretScrubber
{
    public static string Scrub(string text, ResolvedOptions? options)
    {
        if (options is null)
        {
            return text;
        }

        text = text.Replace(options.DatabaseUrl, options.MaskedDatabaseUrl, StringComparison.Ordinal);
        foreach (var secret in Secrets(options).Where(s => s.Length >= 3).OrderByDescending(s => s.Length))
        {
            text = text.Replace(secret, "***", StringComparison.Ordinal);
        }

        return text;
    }

    private static IEnumerable<string> Secrets(ResolvedOptions options)
    {
        if (Uri.TryCreate(options.DatabaseUrl, UriKind.Absolute, out var url) && url.UserInfo.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0)
        {
            var password = url.UserInfo[(colon + 1)..];
            yield return password;
            yield return Uri.UnescapeDataString(password);
        }

        var masked = options.MaskedStorageOptions;
        foreach (var (key, value) in options.StorageOptions)
        {
            if (masked.TryGetValue(key, out var shown) && shown == "***")
            {
                yield return value;
            }
        }
    }
}
