using Lineage.Backends;
using Lineage.Metadata;

namespace Lineage.Configuration;

/// <summary>A parsed <c>database_url</c>: the backend it selects, the URL, and for SQLite the absolute file path.</summary>
internal sealed record DatabaseLocation(MetadataBackend Backend, string Url, string? SqlitePath)
{
    /// <summary>The URL with any password replaced by <c>***</c>: the only form that may reach messages or logs.</summary>
    public string MaskedUrl => UrlText.Mask(Url);

    /// <summary>
    /// Parses <paramref name="url"/> by the rules of its backend (<see cref="BackendCatalog"/>); SQLite paths are resolved
    /// against <paramref name="baseDirectory"/>.
    /// </summary>
    /// <exception cref="LineageConfigurationException">The URL is empty, malformed, or no backend answers its scheme.</exception>
    public static DatabaseLocation Parse(string url, string baseDirectory, string userHome)
    {
        var trimmed = url.Trim();

        // A password is fine at run time (it comes from the environment); LIN0004 is for source code.
        if (BackendCatalog.DatabaseUrlProblems(trimmed).FirstOrDefault(p => p.Code != StorageProblemCode.CredentialInText) is { } problem)
        {
            throw new LineageConfigurationException(problem.Message + ".");
        }

        return BackendCatalog.DatabaseFor(trimmed)!.Locate(trimmed, baseDirectory, userHome);
    }
}
