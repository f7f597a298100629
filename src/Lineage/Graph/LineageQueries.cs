using System.Globalization;
using Lineage.Metadata;

namespace Lineage;

/// <summary>
/// What versions were computed from and what was computed from them, answered by the metadata database (recursive
/// queries, never one round trip per node). Reached through <see cref="ArtifactStore.Lineage"/>.
/// </summary>
/// <remarks>
/// A version's inputs are its exact inputs when it has them (the <c>GetOrCompute</c> arguments whose content hash equals
/// a stored version's), otherwise the versions its explicit run had loaded before it was saved. Versions saved outside an
/// explicit run, by a plain <c>Save</c>, have no inputs.
/// </remarks>
public sealed class LineageQueries
{
    /// <summary>How far <see cref="Graph"/> reaches when no depth is given.</summary>
    public const int DefaultDepth = 50;

    /// <summary>The deepest graph that may be asked for.</summary>
    public const int MaxDepth = 1000;

    private readonly ArtifactStore _store;
    private readonly IMetadataStore _metadata;

    internal LineageQueries(ArtifactStore store, IMetadataStore metadata)
    {
        _store = store;
        _metadata = metadata;
    }

    /// <summary>The versions <paramref name="reference"/> was computed from, in argument (or load) order; deleted ones as tombstones.</summary>
    /// <exception cref="ArtifactNotFoundException">No such version.</exception>
    public IReadOnlyList<LineageInput> Inputs(string reference) => InputsAsync(reference).GetAwaiter().GetResult();

    /// <inheritdoc cref="Inputs"/>
    public async Task<IReadOnlyList<LineageInput>> InputsAsync(string reference, CancellationToken cancellationToken = default)
    {
        var record = await _store.FindVersionAsync(reference, cancellationToken).ConfigureAwait(false);
        return await _metadata.InputsAsync(record.Uid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The versions computed from <paramref name="reference"/>, by name and version (on every branch).</summary>
    /// <exception cref="ArtifactNotFoundException">No such version.</exception>
    public IReadOnlyList<ArtifactRecord> Outputs(string reference) => OutputsAsync(reference).GetAwaiter().GetResult();

    /// <inheritdoc cref="Outputs"/>
    public async Task<IReadOnlyList<ArtifactRecord>> OutputsAsync(string reference, CancellationToken cancellationToken = default)
    {
        var record = await _store.FindVersionAsync(reference, cancellationToken).ConfigureAwait(false);
        return await _metadata.OutputsAsync(record.Uid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The artifact names the code that saved <paramref name="reference"/> declared it reads, found by the compiler (empty when unknown).</summary>
    /// <exception cref="ArtifactNotFoundException">No such version.</exception>
    public IReadOnlyList<string> Declared(string reference) => DeclaredAsync(reference).GetAwaiter().GetResult();

    /// <inheritdoc cref="Declared"/>
    public async Task<IReadOnlyList<string>> DeclaredAsync(string reference, CancellationToken cancellationToken = default)
    {
        var record = await _store.FindVersionAsync(reference, cancellationToken).ConfigureAwait(false);
        return await _metadata.DeclaredUpstreamAsync(record.Uid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The lineage graph of <paramref name="reference"/>: the versions reachable in <paramref name="direction"/> within
    /// <paramref name="depth"/> version-to-version steps, the runs between them, and the edges.
    /// </summary>
    /// <exception cref="ArtifactNotFoundException">No such version.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="depth"/> is below 1 or above <see cref="MaxDepth"/>.</exception>
    public LineageGraph Graph(string reference, LineageDirection direction = LineageDirection.Upstream, int depth = DefaultDepth) =>
        GraphAsync(reference, direction, depth).GetAwaiter().GetResult();

    /// <inheritdoc cref="Graph"/>
    public async Task<LineageGraph> GraphAsync(string reference, LineageDirection direction = LineageDirection.Upstream, int depth = DefaultDepth, CancellationToken cancellationToken = default)
    {
        if (depth is < 1 or > MaxDepth)
        {
            throw new ArgumentOutOfRangeException(nameof(depth), depth, $"The depth of a lineage graph is 1 to {MaxDepth}.");
        }

        if (!Enum.IsDefined(direction))
        {
            throw new ArgumentOutOfRangeException(nameof(direction), direction, null);
        }

        // NAME and NAME@VERSION are resolved by the walk itself: the whole graph is one round trip. An alias is resolved first.
        var (name, version, alias) = _store.ParseReference(reference);
        if (alias is not null)
        {
            var aliased = await _store.FindVersionAsync(reference, cancellationToken).ConfigureAwait(false);
            (name, version) = (aliased.Name, aliased.Version);
        }

        var walk = await _metadata.WalkAsync(name, version, direction, depth, cancellationToken).ConfigureAwait(false);
        if (walk is null)
        {
            // Missing, or deleted since the alias was read: the store says which, in its own words.
            var found = await _store.FindVersionAsync(alias is null ? reference : $"{name}@{version!.Value.ToString(CultureInfo.InvariantCulture)}", cancellationToken).ConfigureAwait(false);
            walk = await _metadata.WalkAsync(found.Name, found.Version, direction, depth, cancellationToken).ConfigureAwait(false)
                ?? throw new ArtifactNotFoundException(found.Name, found.Version, $"Artifact '{found.Name}' version {found.Version.ToString(CultureInfo.InvariantCulture)} was deleted while its lineage was read.");
        }

        return Build(direction, depth, walk);
    }

    private static LineageGraph Build(LineageDirection direction, int depth, LineageWalk walk)
    {
        var nodes = new Dictionary<string, LineageNode>(StringComparer.Ordinal);
        var edges = new HashSet<LineageEdge>();
        var depths = Depths(walk, walk.RootId);

        string VersionNode(long id)
        {
            var version = walk.Versions[id];
            var nodeId = "v:" + version.Uid;
            nodes.TryAdd(nodeId, new LineageNode(nodeId, LineageNodeKind.Version, $"{version.Name}@{version.Version.ToString(CultureInfo.InvariantCulture)}", depths.GetValueOrDefault(id), Version: version));
            return nodeId;
        }

        var rootId = VersionNode(walk.RootId);
        var inputsByOutput = new Dictionary<long, List<(string Input, bool IsExact)>>();
        foreach (var row in walk.Rows)
        {
            if (!walk.Versions.ContainsKey(row.ArtifactId))
            {
                continue;
            }

            VersionNode(row.ArtifactId);
            string input;
            if (row.InputId is { } inputId && walk.Versions.ContainsKey(inputId))
            {
                input = VersionNode(inputId);
            }
            else
            {
                var label = $"{row.Name}@{row.Version.ToString(CultureInfo.InvariantCulture)}";
                input = "d:" + label;
                nodes.TryAdd(input, new LineageNode(input, LineageNodeKind.DeletedVersion, label, depths.GetValueOrDefault(row.ArtifactId) + 1));
            }

            (inputsByOutput.TryGetValue(row.ArtifactId, out var list) ? list : inputsByOutput[row.ArtifactId] = []).Add((input, row.IsExact));
        }

        // Runs sit between a version's inputs and the version. One run may save versions computed from different inputs (a
        // script's implicit run saves a whole pipeline): it gets one node per distinct set of inputs, so every edge into a run
        // node fed every version out of it, and the picture never shows a version feeding itself.
        var stepKeys = inputsByOutput.ToDictionary(p => p.Key, p => StepKey(p.Value));
        var stepsByRun = inputsByOutput
            .Where(p => walk.Versions[p.Key].Run is not null)
            .GroupBy(p => walk.Versions[p.Key].Run!.Uid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => stepKeys[p.Key]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(), StringComparer.Ordinal);
        foreach (var (outputId, inputs) in inputsByOutput)
        {
            var output = walk.Versions[outputId];
            var outputNode = "v:" + output.Uid;
            if (output.Run is { } run)
            {
                var steps = stepsByRun[run.Uid];
                var runNode = steps.Count == 1 ? "r:" + run.Uid : $"r:{run.Uid}:{(steps.IndexOf(stepKeys[outputId]) + 1).ToString(CultureInfo.InvariantCulture)}";
                nodes.TryAdd(runNode, new LineageNode(runNode, LineageNodeKind.Run, run.Name, depths.GetValueOrDefault(outputId), Run: run));
                foreach (var (input, isExact) in inputs)
                {
                    edges.Add(new LineageEdge(input, runNode, LineageEdgeKind.Input, isExact));
                }

                edges.Add(new LineageEdge(runNode, outputNode, LineageEdgeKind.Output));
            }
            else
            {
                // A version saved before runs were recorded links straight to its inputs.
                foreach (var (input, isExact) in inputs)
                {
                    edges.Add(new LineageEdge(input, outputNode, LineageEdgeKind.Input, isExact));
                }
            }
        }

        var ordered = nodes.Values
            .OrderBy(n => n.Id == rootId ? 0 : 1)
            .ThenBy(n => n.Depth)
            .ThenBy(n => n.Kind)
            .ThenBy(n => n.Label, StringComparer.Ordinal)
            .ThenBy(n => n.Id, StringComparer.Ordinal)
            .ToList();
        var order = ordered.Select((n, i) => (n.Id, i)).ToDictionary(p => p.Id, p => p.i, StringComparer.Ordinal);
        var orderedEdges = edges.OrderBy(e => order[e.From]).ThenBy(e => order[e.To]).ToList();
        return new LineageGraph(nodes[rootId], direction, depth, ordered, orderedEdges);
    }

    private static string StepKey(List<(string Input, bool IsExact)> inputs) =>
        string.Join("\n", inputs.Select(i => $"{i.Input}|{i.IsExact}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));

    /// <summary>Version-to-version steps from the root to each version reached, either way (breadth first over the rows).</summary>
    private static Dictionary<long, int> Depths(LineageWalk walk, long rootId)
    {
        var neighbours = new Dictionary<long, List<long>>();
        foreach (var row in walk.Rows.Where(r => r.InputId is not null))
        {
            (neighbours.TryGetValue(row.ArtifactId, out var a) ? a : neighbours[row.ArtifactId] = []).Add(row.InputId!.Value);
            (neighbours.TryGetValue(row.InputId!.Value, out var b) ? b : neighbours[row.InputId!.Value] = []).Add(row.ArtifactId);
        }

        var depths = new Dictionary<long, int> { [rootId] = 0 };
        var queue = new Queue<long>([rootId]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var next in neighbours.GetValueOrDefault(id) ?? [])
            {
                if (depths.TryAdd(next, depths[id] + 1))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return depths;
    }
}
