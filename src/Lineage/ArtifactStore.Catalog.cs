using Lineage.Metadata;

namespace Lineage;

public sealed partial class ArtifactStore
{
    /// <summary>Aliases (<c>production</c>, <c>candidate</c>…) that point at versions, with their history.</summary>
    public AliasRegistry Aliases { get; }

    /// <summary>Saves <paramref name="value"/> as the next version of <paramref name="name"/>, with a description, tags and metadata.</summary>
    /// <inheritdoc cref="Save{T}(string, T)" path="/exception"/>
    /// <exception cref="ArgumentException">A tag or metadata entry breaks the rules of <see cref="SaveOptions"/>.</exception>
    public ArtifactRecord Save<T>(string name, T value, SaveOptions? options) => SaveAsync(name, value, code: null, options).GetAwaiter().GetResult();

    /// <inheritdoc cref="Save{T}(string, T, SaveOptions?)"/>
    public Task<ArtifactRecord> SaveAsync<T>(string name, T value, SaveOptions? options, CancellationToken cancellationToken = default) =>
        SaveAsync(name, value, code: null, options, cancellationToken);

    /// <summary>Saves <paramref name="value"/> as the next version of <paramref name="name"/>, with the code that produced it and annotations.</summary>
    /// <remarks>Generated accessors (<c>Artifacts.X.Save(value, options)</c>) call this.</remarks>
    public ArtifactRecord Save<T>(string name, T value, ArtifactCode? code, SaveOptions? options) => SaveAsync(name, value, code, options).GetAwaiter().GetResult();

    /// <inheritdoc cref="Save{T}(string, T, ArtifactCode?, SaveOptions?)"/>
    public Task<ArtifactRecord> SaveAsync<T>(string name, T value, ArtifactCode? code, SaveOptions? options, CancellationToken cancellationToken = default) =>
        SaveAsync(name, value, code, inputsHash: null, exactInputs: null, options, cancellationToken);

    /// <summary>
    /// Adds to or changes the annotations of a version: a new description (null keeps it), tags to add and to remove,
    /// metadata keys to set (e.g. metrics computed after training) and to remove. Returns the version as it now stands.
    /// </summary>
    /// <exception cref="ArtifactNotFoundException">No such version.</exception>
    /// <exception cref="ArgumentException">A tag or metadata entry breaks the rules of <see cref="SaveOptions"/>.</exception>
    public ArtifactRecord Annotate(
        string reference,
        string? description = null,
        IEnumerable<string>? addTags = null,
        IEnumerable<KeyValuePair<string, object>>? metadata = null,
        IEnumerable<string>? removeTags = null,
        IEnumerable<string>? removeMetadata = null) =>
        AnnotateAsync(reference, description, addTags, metadata, removeTags, removeMetadata).GetAwaiter().GetResult();

    /// <inheritdoc cref="Annotate"/>
    public async Task<ArtifactRecord> AnnotateAsync(
        string reference,
        string? description = null,
        IEnumerable<string>? addTags = null,
        IEnumerable<KeyValuePair<string, object>>? metadata = null,
        IEnumerable<string>? removeTags = null,
        IEnumerable<string>? removeMetadata = null,
        CancellationToken cancellationToken = default)
    {
        var change = new ArtifactAnnotation(description, Annotations.Tags(addTags), Annotations.Tags(removeTags), Annotations.Metadata(metadata),
            [.. (removeMetadata ?? []).Select(k => k ?? throw new ArgumentException("A metadata key to remove is null.", nameof(removeMetadata)))]);
        var record = await FindAsync(reference, null, cancellationToken).ConfigureAwait(false);
        await EnsureCanAnnotateAsync(record, $"annotate '{record.Name}' version {record.Version}", cancellationToken).ConfigureAwait(false);
        return await _metadata.AnnotateAsync(record.Uid, change, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The metadata of <paramref name="reference"/> as it stood at <paramref name="asOf"/>: an alias resolves to the version it pointed at then, a bare name to the newest version saved by then.</summary>
    /// <exception cref="ArtifactNotFoundException">The alias did not exist then, or nothing was saved by then.</exception>
    public ArtifactRecord Get(string reference, DateTimeOffset asOf) => GetAsync(reference, asOf).GetAwaiter().GetResult();

    /// <inheritdoc cref="Get(string, DateTimeOffset)"/>
    public async Task<ArtifactRecord> GetAsync(string reference, DateTimeOffset asOf, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        var (name, version, alias) = Resolve(reference, null);
        var when = asOf.ToUniversalTime().ToString("u", System.Globalization.CultureInfo.InvariantCulture);
        if (alias is not null)
        {
            var (existed, then) = await _metadata.AliasAtAsync(name, alias, asOf, cancellationToken).ConfigureAwait(false);
            version = existed ? then : throw new ArtifactNotFoundException(name, null, $"Alias '{alias}' of '{name}' did not point at any version at {when}.") { Alias = alias };
        }

        if (version is { } v)
        {
            var record = await FindAsync(name, v, cancellationToken).ConfigureAwait(false);
            return record.CreatedAt <= asOf ? record : throw new ArtifactNotFoundException(name, v, $"Artifact '{name}' version {v} was saved after {when}.");
        }

        var versions = await _metadata.VersionsAsync(name, cancellationToken).ConfigureAwait(false);
        return versions.LastOrDefault(r => r.CreatedAt <= asOf)
            ?? throw new ArtifactNotFoundException(name, null, $"No live version of '{name}' was saved by {when}.");
    }

    /// <summary>The live versions matching <paramref name="query"/>: the latest of each name unless it asks for all versions.</summary>
    /// <exception cref="FilterSyntaxException">Its <see cref="ArtifactQuery.Where"/> is not a filter; the message gives the position.</exception>
    /// <exception cref="ArgumentException">Another part of the query is not valid (a tag, an alias, a sort key, the limit).</exception>
    public IReadOnlyList<ArtifactRecord> Find(ArtifactQuery query) => FindAsync(query).GetAwaiter().GetResult();

    /// <inheritdoc cref="Find"/>
    public Task<IReadOnlyList<ArtifactRecord>> FindAsync(ArtifactQuery query, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(query);
        var filter = string.IsNullOrWhiteSpace(query.Where) ? null : Filter.Parse(query.Where);
        if (query.Limit is < 1 or > 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Limit, "ArtifactQuery.Limit is 1 to 100,000.");
        }

        if (query.Name is { } name && !ArtifactName.IsValid(name.Replace('*', 'a').Replace('?', 'a')))
        {
            throw new ArgumentException($"'{name}' is not a name or a glob over names: use the characters of artifact names, with * and ?.", nameof(query));
        }

        if (query.Alias is { } alias && !ArtifactReference.IsValidAlias(alias))
        {
            throw new ArgumentException($"'{alias}' is not a valid alias.", nameof(query));
        }

        var sort = (query.OrderBy ?? "name").Trim().TrimStart('-', '+');
        if (sort.Length == 0 || sort.Length > Annotations.MaxKeyLength + "metadata.".Length)
        {
            throw new ArgumentException($"'{query.OrderBy}' is not a sort key: use name, created, version or a metadata key, with '-' for descending.", nameof(query));
        }

        var normalized = new ArtifactQuery
        {
            Name = query.Name is null ? null : ArtifactName.Normalize(query.Name),
            Tags = Annotations.Tags(query.Tags),
            Alias = query.Alias is null ? null : ArtifactName.Normalize(query.Alias),
            CreatedBy = query.CreatedBy,
            CreatedAfter = query.CreatedAfter,
            CreatedBefore = query.CreatedBefore,
            Where = query.Where,
            OrderBy = query.OrderBy,
            Limit = query.Limit,
            AllVersions = query.AllVersions,
        };
        return _metadata.FindAsync(normalized, filter, cancellationToken);
    }

    /// <summary>Refuses to trash or delete a version an alias points at, unless the aliases go with it (each removal recorded).</summary>
    private async Task ReleaseAliasesAsync(ArtifactRecord record, bool removeAliases, string operation, CancellationToken cancellationToken)
    {
        if (record.Aliases.Count == 0)
        {
            return;
        }

        if (!removeAliases)
        {
            var names = string.Join(", ", record.Aliases.Select(a => $"'{a}'"));
            throw new AliasedVersionException(record.Name, record.Version, record.Aliases,
                $"Cannot {operation}: alias {names} points at it. Move or remove the alias first (lineage alias set/rm), or pass removeAliases: true.");
        }

        foreach (var alias in record.Aliases)
        {
            await _metadata.RemoveAliasAsync(record.Name, alias, Options.User, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task EnsureCanAnnotateAsync(ArtifactRecord record, string operation, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return Access.EnsureCanAnnotateAsync(record, operation, cancellationToken);
    }
}
