namespace Lineage;

/// <summary>
/// What <see cref="ArtifactStore.Find"/> looks for. Every part is optional and the parts combine with "and". By default it
/// looks at the latest live version of each name, ordered by name.
/// </summary>
/// <example><code>store.Find(new ArtifactQuery { Where = "accuracy &gt; 0.9 and dataset = 'iris'", Tags = ["iris"], OrderBy = "-accuracy", Limit = 5, AllVersions = true });</code></example>
public sealed class ArtifactQuery
{
    /// <summary>A name or a glob over names: <c>*</c> any characters, <c>?</c> one character (<c>iris-*</c>).</summary>
    public string? Name { get; init; }

    /// <summary>Tags a version must all carry.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>An alias that must point at the version; the aliased version is found even when it is not the latest of its name.</summary>
    public string? Alias { get; init; }

    /// <summary>The user that saved it.</summary>
    public string? CreatedBy { get; init; }

    /// <summary>Saved at or after this moment.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Saved before this moment.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>
    /// A filter over metadata, e.g. <c>accuracy &gt; 0.9 and dataset = 'iris'</c>: comparisons <c>= != &lt; &lt;= &gt; &gt;=</c> of a
    /// key with a 'string', a number or true/false, combined with and, or, not and parentheses. Numbers compare numerically
    /// with numbers only, strings with strings. See docs/catalog.md for the grammar.
    /// </summary>
    public string? Where { get; init; }

    /// <summary>
    /// The order: <c>name</c> (the default), <c>created</c>, <c>version</c>, or a metadata key (<c>metadata.KEY</c> when a key is
    /// named like those); a leading <c>-</c> sorts descending. Versions missing a metadata key come last.
    /// </summary>
    public string? OrderBy { get; init; }

    /// <summary>At most this many versions (1–100,000).</summary>
    public int? Limit { get; init; }

    /// <summary>Every live version rather than the latest of each name.</summary>
    public bool AllVersions { get; init; }
}
