using System.Text;

namespace Lineage;

/// <summary>One page of <see cref="ArtifactStore.List"/>: the latest version of each name on it, by name, and where the next page starts.</summary>
/// <param name="Items">The latest version of each name on this page, ordered by name.</param>
/// <param name="NextCursor">
/// Pass it to <see cref="ArtifactStore.ListPage"/> for the next page; null on the last page. A cursor names the last name of its
/// page, not a position, so names saved or deleted between pages neither repeat nor skip the names that stay.
/// </param>
public sealed record ArtifactPage(IReadOnlyList<ArtifactRecord> Items, string? NextCursor)
{
    private const string Prefix = "n1.";

    /// <summary>The largest page <see cref="ArtifactStore.ListPage"/> returns.</summary>
    public const int MaxLimit = 10_000;

    internal static string CursorAfter(string name) =>
        Prefix + Convert.ToBase64String(Encoding.UTF8.GetBytes(name)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The name a cursor from <see cref="CursorAfter"/> names; null for none.</summary>
    /// <exception cref="ArgumentException">It is not such a cursor.</exception>
    internal static string? NameAfter(string? cursor)
    {
        if (cursor is null)
        {
            return null;
        }

        string? name = null;
        try
        {
            if (cursor.StartsWith(Prefix, StringComparison.Ordinal))
            {
                var text = cursor[Prefix.Length..].Replace('-', '+').Replace('_', '/');
                name = Encoding.UTF8.GetString(Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=')));
            }
        }
        catch (FormatException)
        {
            name = null;
        }

        return name is not null && ArtifactName.IsValid(name)
            ? name
            : throw new ArgumentException($"'{cursor}' is not a cursor of ListPage: pass the NextCursor of a page it returned, or null for the first page.", nameof(cursor));
    }
}
