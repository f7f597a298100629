using System.Reflection;
using System.Runtime.CompilerServices;

namespace Lineage.Cli.Rendering;

/// <summary>A user's compiled assemblies (<c>--assembly PATH</c>), loaded so their <c>[Artifact]</c> types can be read.</summary>
public static class UserAssemblies
{
    /// <summary>
    /// Loads each file, with its dependencies from the same folder, and runs its module initializer: that is where
    /// the generated code registers its MemoryPack formatters and type schemas.
    /// </summary>
    /// <exception cref="LineageException">A file is missing or is not a .NET assembly this tool can load.</exception>
    public static IReadOnlyList<Assembly> Load(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var loaded = new List<Assembly>();
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            if (!File.Exists(full))
            {
                throw new LineageException($"--assembly {path}: there is no file {full}. Give the path of the built assembly, e.g. bin/Debug/net10.0/MyProject.dll.");
            }

            Assembly assembly;
            try
            {
                // LoadFrom also resolves the assembly's own dependencies from its folder.
                assembly = Assembly.LoadFrom(full);
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                throw new LineageException($"--assembly {path}: cannot load {full}: {e.Message}", e);
            }

            try
            {
                RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            }
            catch (TypeInitializationException e)
            {
                throw new LineageException($"--assembly {path}: its module initializer failed: {e.InnerException?.Message ?? e.Message}", e);
            }

            loaded.Add(assembly);
        }

        return loaded;
    }
}
