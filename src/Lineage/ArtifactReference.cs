using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Lineage;

/// <summary>
/// A reference to an artifact version, as every API and CLI command that takes a name accepts it: <c>NAME</c> (the latest
/// live version), <c>NAME@VERSION</c>, <c>NAME@ALIAS</c>, or <c>NAME@latest</c>.
/// </summary>
public readonly record struct ArtifactReference
{
    /// <summary>What a reference looks like, for error messages.</summary>
    public const string Grammar = "NAME, NAME@VERSION (a whole number from 1) or NAME@ALIAS";

    /// <summary>The reserved alias for the newest live version.</summary>
    public const string Latest = "latest";

    private ArtifactReference(string name, int? version, string? alias)
    {
        Name = name;
        Version = version;
        Alias = alias;
    }

    /// <summary>The artifact's name, in the NFC form names are stored in.</summary>
    public string Name { get; }

    /// <summary>The version number, when the reference names one.</summary>
    public int? Version { get; }

    /// <summary>The alias, when the reference names one (never <c>latest</c>, which leaves both this and <see cref="Version"/> null).</summary>
    public string? Alias { get; }

    /// <summary>True when the reference names the latest live version: neither a version nor an alias.</summary>
    public bool IsLatest => Version is null && Alias is null;

    /// <summary>A reference to <paramref name="name"/>, at <paramref name="version"/> when given.</summary>
    /// <exception cref="ArgumentException">Not a valid name or version.</exception>
    public static ArtifactReference For(string name, int? version = null)
    {
        name = ArtifactName.Validate(name);
        if (version is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(version), version, "Versions are whole numbers from 1.");
        }

        return new ArtifactReference(name, version, null);
    }

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">It is not a reference; the message says why and gives the grammar.</exception>
    public static ArtifactReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference : throw new ArgumentException(error, nameof(text));

    /// <summary>Parses <paramref name="text"/>; when it is not a reference, <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, out ArtifactReference reference, [NotNullWhen(false)] out string? error)
    {
        reference = default;
        if (string.IsNullOrEmpty(text))
        {
            error = $"An empty string is not an artifact reference: use {Grammar}.";
            return false;
        }

        var at = text.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? text : text[..at];
        if (!ArtifactName.IsValid(name))
        {
            error = $"'{name}' in '{text}' is not a valid artifact name: use 1–{ArtifactName.MaxLength} letters, digits, '-', '_', '.', '/', starting with a letter or digit. A reference is {Grammar}.";
            return false;
        }

        name = ArtifactName.Normalize(name);
        if (at < 0)
        {
            reference = new ArtifactReference(name, null, null);
            error = null;
            return true;
        }

        var suffix = text[(at + 1)..];
        if (suffix.Length > 0 && suffix.All(char.IsAsciiDigit))
        {
            if (!int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
            {
                error = $"'{suffix}' in '{text}' is not a version: versions are whole numbers from 1.";
                return false;
            }

            reference = new ArtifactReference(name, version, null);
            error = null;
            return true;
        }

        if (string.Equals(suffix, Latest, StringComparison.Ordinal))
        {
            reference = new ArtifactReference(name, null, null);
            error = null;
            return true;
        }

        if (!IsValidAlias(suffix))
        {
            error = $"'{suffix}' in '{text}' is neither a version nor an alias: aliases use the characters of artifact names and are not all digits. A reference is {Grammar}.";
            return false;
        }

        reference = new ArtifactReference(name, null, ArtifactName.Normalize(suffix));
        error = null;
        return true;
    }

    /// <summary>True when <paramref name="alias"/> may name an alias: the characters of an artifact name, not all digits, not <c>latest</c>.</summary>
    public static bool IsValidAlias(string? alias) =>
        ArtifactName.IsValid(alias) && !alias!.All(char.IsAsciiDigit) && !string.Equals(alias, Latest, StringComparison.Ordinal);

    /// <summary>The reference as typed: <c>NAME</c>, <c>NAME@VERSION</c> or <c>NAME@ALIAS</c>.</summary>
    public override string ToString() =>
        Version is { } v ? $"{Name}@{v.ToString(CultureInfo.InvariantCulture)}" : Alias is { } a ? $"{Name}@{a}" : Name ?? string.Empty;
}
