namespace Lineage.Configuration;

/// <summary>Turns user-written local paths (relative, <c>~</c>-prefixed, Windows or POSIX) into absolute ones.</summary>
internal static class LocalPaths
{
    public static string Resolve(string path, string baseDirectory, string userHome)
    {
        if (path == "~")
        {
            path = userHome;
        }
        else if (path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal))
        {
            path = Path.Combine(userHome, path[2..]);
        }

        var full = Path.GetFullPath(path, baseDirectory);
        return TrimTrailingSeparators(full);
    }

    /// <summary>The path as it appears after <c>sqlite:///</c>: POSIX paths keep their leading slash, Windows paths use forward slashes.</summary>
    public static string ToUrlPath(string fullPath) => fullPath.Replace('\\', '/');

    private static string TrimTrailingSeparators(string path)
    {
        var root = Path.GetPathRoot(path) ?? string.Empty;
        var trimmed = path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        return trimmed.Length < root.Length ? root : trimmed;
    }
}
