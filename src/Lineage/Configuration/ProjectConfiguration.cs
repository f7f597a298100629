using System.Reflection;

namespace Lineage.Configuration;

/// <summary>
/// The configuration a program was compiled with, read from its entry assembly (never by scanning loaded assemblies):
/// <see cref="ArtifactStorageAttribute"/> written in code wins over what the generator compiled in from MSBuild
/// properties and <c>lineage.json</c>. Relative paths resolve against the working directory at run time.
/// </summary>
internal static class ProjectConfiguration
{
    public static ConfigLayer? FromEntryAssembly(string workingDirectory) =>
        Assembly.GetEntryAssembly() is { } entry ? From(entry, workingDirectory) : null;

    public static ConfigLayer? From(Assembly assembly, string workingDirectory)
    {
        var stated = assembly.GetCustomAttribute<ArtifactStorageAttribute>();
        var generated = assembly.GetCustomAttribute<GeneratedProjectStorageAttribute>();
        if (stated is null && generated is null)
        {
            return null;
        }

        var options = stated?.StorageOptions ?? (IEnumerable<string>?)generated?.StorageOptions;
        return new ConfigLayer(
            SettingSource.ProjectConfig,
            workingDirectory,
            stated?.DatabaseUrl ?? generated?.DatabaseUrl,
            stated?.ArtifactStorageDir ?? generated?.ArtifactStorageDir,
            options is null ? null : Pairs(options, assembly.GetName().Name));
    }

    private static Dictionary<string, string> Pairs(IEnumerable<string> pairs, string? assembly)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = 0;
        foreach (var pair in pairs)
        {
            position++;
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                // The text itself is not shown: it might be a secret written without its key.
                throw new LineageConfigurationException($"Storage option {position} compiled into {assembly} is not written key=value.");
            }

            options[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        return options;
    }
}
