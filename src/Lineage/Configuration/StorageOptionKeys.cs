using Lineage.Backends;

namespace Lineage.Configuration;

/// <summary>Checks <c>storage_options</c> keys against those the backends declare (<see cref="BackendCatalog"/>).</summary>
internal static class StorageOptionKeys
{
    public static bool IsSecret(string key) => BackendCatalog.IsSecretOption(key);

    /// <summary>Throws for the first unknown key, naming the nearest known one.</summary>
    public static void Validate(IEnumerable<string> keys, string origin)
    {
        foreach (var key in keys)
        {
            if (BackendCatalog.NearestOption(key) is { } nearest)
            {
                throw new LineageConfigurationException(BackendCatalog.UnknownOptionMessage(key, nearest, origin) + ".");
            }
        }
    }
}
