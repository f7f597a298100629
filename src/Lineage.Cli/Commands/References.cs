using System.CommandLine;

namespace Lineage.Cli.Commands;

/// <summary>
/// Artifact references as typed on the command line, in the runtime's grammar (<see cref="ArtifactReference.Grammar"/>):
/// <c>NAME</c>, <c>NAME@VERSION</c>, <c>NAME@ALIAS</c>, <c>NAME@latest</c>. A malformed one is a usage error that says
/// what a reference looks like; an unknown alias is the store's to report (not found).
/// </summary>
public static class References
{
    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="UsageException">Not a reference; the message gives the grammar.</exception>
    public static ArtifactReference Parse(string text)
    {
        if (ArtifactReference.TryParse(text, out var reference, out var error))
        {
            return reference;
        }

        throw new UsageException(error.Contains(ArtifactReference.Grammar, StringComparison.Ordinal)
            ? error
            : $"{error} A reference is {ArtifactReference.Grammar}.");
    }

    /// <summary>Parses a reference to one version, for commands that change one (<c>rm</c>, <c>archive</c>, <c>restore</c>): <c>NAME@VERSION</c> or <c>NAME@ALIAS</c>.</summary>
    /// <exception cref="UsageException">Not a reference, or a bare name (or <c>NAME@latest</c>), which would name whatever is newest.</exception>
    public static ArtifactReference ParseVersion(string text)
    {
        var reference = Parse(text);
        return reference.IsLatest
            ? throw new UsageException($"Give a version: {reference.Name}@VERSION or {reference.Name}@ALIAS (see 'lineage versions {reference.Name}').")
            : reference;
    }

    /// <summary>The version number <paramref name="reference"/> names: its own, or the one its alias points to now.</summary>
    /// <exception cref="ArtifactNotFoundException">The alias is unknown, or its version is in the trash.</exception>
    public static async Task<int> VersionOfAsync(ArtifactStore store, ArtifactReference reference, CancellationToken cancellationToken) =>
        reference.Version ?? (await store.GetAsync(reference.ToString(), null, cancellationToken)).Version;

    /// <summary>The version asked for: exactly that version (or the alias's) on any branch but the trash, or the latest live one.</summary>
    /// <exception cref="ArtifactNotFoundException">No such version or alias, or it is in the trash.</exception>
    public static Task<ArtifactRecord> FindAsync(ArtifactStore store, ArtifactReference reference, CancellationToken cancellationToken) =>
        store.GetAsync(reference.ToString(), null, cancellationToken);

    /// <summary>The version asked for as it stood at <paramref name="asOf"/> (an alias where it pointed then, a name its newest version by then), or now when null.</summary>
    /// <exception cref="ArtifactNotFoundException">No such version or alias then (or now).</exception>
    public static Task<ArtifactRecord> FindAsync(ArtifactStore store, ArtifactReference reference, DateTimeOffset? asOf, CancellationToken cancellationToken) =>
        asOf is { } moment ? store.GetAsync(reference.ToString(), moment, cancellationToken) : FindAsync(store, reference, cancellationToken);

    /// <summary><c>--as-of TIME</c>, for commands that read one version.</summary>
    public static Option<string?> AsOfOption() => new("--as-of")
    {
        Description = "The version as it stood then: an alias where it pointed, a name its newest version saved by then (TIME: ISO 8601, UTC unless an offset is given, or ago: 30m, 12h, 7d)",
    };

    /// <summary>The moment <c>--as-of</c> gives, or null.</summary>
    /// <exception cref="UsageException">Not a time.</exception>
    public static DateTimeOffset? AsOf(ParseResult parsed, Option<string?> option) =>
        parsed.GetValue(option) is { } text ? TimeArgument.Parse(text, "--as-of", DateTimeOffset.UtcNow) : null;
}
