namespace Lineage;

/// <summary>The rule for artifact names, shared by the runtime and the compile-time checks.</summary>
public static class ArtifactName
{
    /// <summary>Longest name accepted.</summary>
    public const int MaxLength = Rules.LineageRules.MaxArtifactNameLength;

    /// <summary>
    /// True when <paramref name="name"/>, in Unicode NFC, is 1–200 characters, starts with a letter or digit, and holds only
    /// letters, digits, <c>-</c>, <c>_</c>, <c>.</c> and <c>/</c> (no spaces, no <c>@</c>, which separates a version).
    /// Letters are the Unicode letter categories and digits the decimal digits, in the Basic Multilingual Plane; a combining
    /// mark is allowed only where NFC composes it into its letter.
    /// </summary>
    public static bool IsValid(string? name) => Rules.LineageRules.IsValidArtifactName(name);

    /// <summary>The NFC form every name is stored and looked up in: composed and decomposed spellings are one artifact.</summary>
    internal static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Rules.LineageRules.NormalizeArtifactName(name);
    }

    /// <summary>The normalized name, or an <see cref="ArgumentException"/> saying why it is not a valid one.</summary>
    internal static string Validate(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValid(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a valid artifact name: use 1–{MaxLength} letters, digits, '-', '_', '.', '/', starting with a letter or digit.",
                nameof(name));
        }

        return Normalize(name);
    }
}
