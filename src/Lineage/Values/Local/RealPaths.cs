namespace Lineage.Values.Local;

/// <summary>A path under a local root as it really is: its key under the root's real path, or the first link that leads out of the root.</summary>
/// <param name="RealRoot">The root with every link on its own path resolved.</param>
/// <param name="RealPath">The path with every link on it resolved; null when its links form a loop.</param>
/// <param name="Key">The real path relative to the real root, '/'-separated; null when it is not strictly inside it.</param>
/// <param name="Link">The first link below the root on the path as written; null when there is none.</param>
/// <param name="LinkTarget">Where <paramref name="Link"/> points, as a full path.</param>
internal sealed record ResolvedLocalPath(string RealRoot, string? RealPath, string? Key, string? Link, string? LinkTarget);

/// <summary>
/// Symbolic links (and Windows junctions) on local paths, resolved component by component like <c>realpath(3)</c>, except that
/// missing components are kept as written. A root may itself be reached through links (<c>/tmp</c> → <c>/private/tmp</c>); what
/// matters is where a path below it really leads.
/// </summary>
internal static class RealPaths
{
    // As POSIX SYMLOOP_MAX on Linux: more means a loop.
    private const int MaxLinks = 40;

    /// <summary>Where <paramref name="key"/> (a '/'-separated path below <paramref name="root"/>) really is, relative to the root's real path.</summary>
    public static ResolvedLocalPath ResolveUnder(string root, string key)
    {
        var realRoot = Resolve(root);
        var written = root;
        string? link = null;
        string? linkTarget = null;
        foreach (var part in key.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            written = Path.Join(written, part);
            if (LinkTargetOf(written) is { } target)
            {
                (link, linkTarget) = (written, target);
                break;
            }
        }

        string realPath;
        try
        {
            realPath = Resolve(Path.Join(root, key.Replace('/', Path.DirectorySeparatorChar)));
        }
        catch (LinkLoopException)
        {
            return new ResolvedLocalPath(realRoot, null, null, link, linkTarget);
        }

        var inside = Path.EndsInDirectorySeparator(realRoot) ? realRoot : realRoot + Path.DirectorySeparatorChar;
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var resolvedKey = realPath.Length > inside.Length && realPath.StartsWith(inside, comparison)
            ? realPath[inside.Length..].Replace(Path.DirectorySeparatorChar, '/')
            : null;
        return new ResolvedLocalPath(realRoot, realPath, resolvedKey, link, linkTarget);
    }

    /// <summary>The full path with every link on it resolved; components that do not exist are kept as written.</summary>
    /// <exception cref="LinkLoopException">The links form a loop.</exception>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var pending = new Stack<string>();
        PushComponents(pending, full[current.Length..]);
        var links = 0;
        while (pending.TryPop(out var part))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            if (RawLinkTargetOf(next) is not { } target)
            {
                current = next;
                continue;
            }

            if (++links > MaxLinks)
            {
                throw new LinkLoopException($"Cannot resolve '{path}': it goes through more than {MaxLinks} links, probably a loop.");
            }

            // The target's own components may be links too, and '..' in it is taken from where the link is, as the kernel does.
            var rooted = Path.GetPathRoot(target);
            if (!string.IsNullOrEmpty(rooted))
            {
                current = rooted;
                PushComponents(pending, target[rooted.Length..]);
            }
            else
            {
                PushComponents(pending, target);
            }
        }

        return current;
    }

    /// <summary>Where the link at <paramref name="path"/> points (as written in the link), or null when it is no link or does not exist.</summary>
    public static string? RawLinkTargetOf(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Where the link at <paramref name="path"/> points, as a full path; null when it is no link or does not exist.</summary>
    public static string? LinkTargetOf(string path) =>
        RawLinkTargetOf(path) is { } target ? Path.GetFullPath(target, Path.GetDirectoryName(path) ?? path) : null;

    private static void PushComponents(Stack<string> pending, string relative)
    {
        var parts = relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            pending.Push(parts[i]);
        }
    }
}

/// <summary>A path's links form a loop (or a chain longer than any real one), as <c>ELOOP</c> says.</summary>
internal sealed class LinkLoopException(string message) : IOException(message);
