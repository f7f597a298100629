namespace Lineage.Values.Azure;

/// <summary>An <c>az://container/prefix</c> root: the container, and the blob-name prefix (empty or ending in '/').</summary>
internal sealed record AzureRoot(string Container, string Prefix)
{
    public const string Scheme = "az://";

    public override string ToString() => Prefix.Length == 0 ? Scheme + Container : $"{Scheme}{Container}/{Prefix.TrimEnd('/')}";

    /// <summary>Parses <paramref name="root"/>; <paramref name="settingName"/> names it in errors.</summary>
    /// <exception cref="LineageConfigurationException">It is not an az:// location, or its container name or prefix is invalid.</exception>
    public static AzureRoot Parse(string root, string settingName = "artifact_storage_dir")
    {
        if (!root.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new LineageConfigurationException($"'{root}' is not an {Scheme} location.");
        }

        var rest = root[Scheme.Length..].TrimEnd('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var container = slash < 0 ? rest : rest[..slash];
        if (ContainerNameProblem(container) is { } problem)
        {
            throw new LineageConfigurationException($"{settingName} '{root}' names an invalid Azure container '{container}': {problem}.");
        }

        if (slash < 0)
        {
            return new AzureRoot(container, string.Empty);
        }

        var prefix = rest[(slash + 1)..];
        foreach (var segment in prefix.Split('/'))
        {
            if (segment is "" or "." or "..")
            {
                var what = segment.Length == 0 ? "an empty segment ('//')" : $"a '{segment}' segment";
                throw new LineageConfigurationException(
                    $"{settingName} '{root}' has {what} in its prefix: blob names are not paths, so it would be kept in every name as written, not resolved.");
            }
        }

        return new AzureRoot(container, prefix + "/");
    }

    /// <summary>Why <paramref name="name"/> cannot be a container name, or null: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
    public static string? ContainerNameProblem(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return $"it has {name.Length} characters, container names have 3 to 63";
        }

        if (name.Any(c => c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')))
        {
            return "container names hold only lowercase letters, digits and hyphens";
        }

        if (name[0] == '-' || name[^1] == '-')
        {
            return "container names start and end with a letter or digit";
        }

        return name.Contains("--", StringComparison.Ordinal) ? "container names have no two hyphens in a row" : null;
    }
}
