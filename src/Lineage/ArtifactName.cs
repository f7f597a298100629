namespace Lineage;

/// <summary>The rule for artifact names, shared by the runtime and the compile-time checks.</summary>
public static class ArtifactName
{
    /// <summary>Longest name accepted.</summary>
    public const int MaxLength = 200;

    /// <summary>
    /// True when <paramref name="name"/> is 1–200 characters, starts with a letter or digit, and holds only
    /// letters, digits, <c>-</c>, <c>_</c>, <c>.</c> and <c>/</c> (no spaces, no <c>@</c>, which separates a version).
    /// </summary>
    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || !char.IsLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsLetterOrDigit(c) && c is not ('-' or '_' or '.' or '/'))
            {
                return false;
            }
        }

        return true;
    }

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
