namespace Lineage;

/// <summary>The rule for artifact names, shared by the runtime and the compile-time checks.</summary>
public static class ArtifactName
{
    /// <summary>Longest name accepted.</summary>
    public const int MaxLength = Rules.LineageRules.MaxArtifactNameLength;

    /// <summary>
    /// True when <paramref name="name"/> is 1–200 characters, starts with a letter or digit, and holds only
    /// letters, digits, <c>-</c>, <c>_</c>, <c>.</c> and <c>/</c> (no spaces, no <c>@</c>, which separates a version).
    /// </summary>
    public static bool IsValid(string? name) => Rules.LineageRules.IsValidArtifactName(name);

    internal static void Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid artifact name: use 1–{MaxLength} letters, digits, '-', '_', '.', '/', starting with a letter or digit.",
                nameof(name));
        }
    }
}
