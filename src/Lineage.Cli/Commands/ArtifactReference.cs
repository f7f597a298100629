using System.Globalization;

namespace Lineage.Cli.Commands;

/// <summary><c>NAME</c> or <c>NAME@VERSION</c> as typed on the command line.</summary>
public readonly record struct ArtifactReference(string Name, int? Version)
{
    /// <summary>Parses <paramref name="text"/>; with <paramref name="versionRequired"/>, <c>NAME</c> alone is a usage error.</summary>
    /// <exception cref="UsageException">Not a valid reference.</exception>
    public static ArtifactReference Parse(string text, bool versionRequired = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.LastIndexOf('@');
        var name = at < 0 ? text : text[..at];
        if (!ArtifactName.IsValid(name))
        {
            throw new UsageException($"'{name}' is not a valid artifact name: use letters, digits, '-', '_', '.', '/', starting with a letter or digit.");
        }

        if (at < 0)
        {
            return versionRequired
                ? throw new UsageException($"Give a version: {name}@VERSION (see 'lineage versions {name}').")
                : new ArtifactReference(name, null);
        }

        var versionText = text[(at + 1)..];
        if (!int.TryParse(versionText, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
        {
            throw new UsageException($"'{versionText}' in '{text}' is not a version: versions are whole numbers from 1.");
        }

        return new ArtifactReference(name, version);
    }
}
