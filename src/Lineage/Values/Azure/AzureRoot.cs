namespace Lineage.Values.Azure;

/// <summary>An <c>az://container/prefix</c> root: the container, and the blob-name prefix (empty or ending in '/').</summary>
internal sealed record AzureRoot(string Container, string Prefix)
{
    public const string Scheme = "az://";

    public override string ToString() => Prefix.Length == 0 ? Scheme + Container : $"{Scheme}{Container}/{Prefix.TrimEnd('/')}";

    /// <summary>Parses <paramref name="root"/>; <paramref name="settingName"/> names it in errors.</summary>
    /// <exception cref="LineageConfigurationException">It is not an az:// location, or breaks <see cref="AzureBackend.LocationProblem"/>'s rules.</exception>
    public static AzureRoot Parse(string root, string settingName = "artifact_storage_dir")
    {
        if (!root.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new LineageConfigurationException($"'{root}' is not an {Scheme} location.");
        }

        if (AzureBackend.LocationProblem(root, settingName) is { } problem)
        {
            throw new LineageConfigurationException(problem + ".");
        }

        var rest = root[Scheme.Length..].TrimEnd('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new AzureRoot(rest, string.Empty) : new AzureRoot(rest[..slash], rest[(slash + 1)..] + "/");
    }
}
