using Lineage.Backends;
using Lineage.Values;

namespace Lineage.Configuration;

/// <summary>A parsed <c>artifact_storage_dir</c> (or any other storage root): its backend, and the normalised root.</summary>
internal sealed record StorageLocation(ValueStoreBackend Backend, string Root)
{
    /// <summary>True for a folder on one machine.</summary>
    public bool IsLocal => Backend.IsLocal;

    /// <summary>Parses <paramref name="value"/>; <paramref name="settingName"/> names it in errors (the setting, or e.g. "migration target").</summary>
    /// <exception cref="LineageConfigurationException">The location is empty, malformed, or no backend answers its scheme.</exception>
    public static StorageLocation Parse(string value, string baseDirectory, string userHome, string settingName = ConfigFile.ArtifactStorageDirKey)
    {
        if (BackendCatalog.StorageLocationProblems(value, settingName).FirstOrDefault() is { } problem)
        {
            throw new LineageConfigurationException(problem.Message + ".");
        }

        var trimmed = value.Trim();
        var backend = BackendCatalog.ValueStoreFor(trimmed)!;
        return new StorageLocation(backend, backend.Normalize(trimmed, baseDirectory, userHome, settingName));
    }
}
