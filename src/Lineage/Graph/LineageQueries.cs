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

    private readonly IMetadataStore _metadata;
    private readonly VersionResolver _versions;

    internal LineageQueries(IMetadataStore metadata, VersionResolver versions)
    {
        _metadata = metadata;
        _versions = versions;
    }

    /// <summary>The versions <paramref name="reference"/> was computed from, in argument (or load) order; deleted ones as tombstones.</summary>
    /// <exception cref="ArtifactNotFoundException">No such version.</exception>
    public IReadOnlyList<LineageInput> Inputs(string reference) => InputsAsync(reference).GetAwaiter().GetResult();

    /// <inheritdoc cref="Inputs"/>
    public async Task<IReadOnlyList<LineageInput>> InputsAsync(string reference, CancellationToken cancellationToken = default)
    {
        var record = await _versions.FindAsync(reference, null, cancellationToken).ConfigureAwait(false);
        return await _metadata.InputsAsync(record.Uid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The versions computed from <paramref name="reference"/>, by name and version (on every branch).</summary>
    /// <exception cref="ArtifactNotFoundException">No such version.</exception>
    public IReadOnlyList<ArtifactRecord> Outputs(string reference) => OutputsAsync(reference).GetAwaiter().GetResult();

    /// <inheritdoc cref="Outputs"/>
    public async Task<IReadOnlyList<ArtifactRecord>> OutputsAsync(string reference, CancellationToken cancellationToken = default)
    {
        var record = await _versions.FindAsync(reference, null, cancellationToken).ConfigureAwait(false);
        return await _metadata.OutputsAsync(record.Uid, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The artifact names the code that saved <paramref name="reference"/> declared it reads, found by the compiler (empty when unknown).</summary>
    /// <exception cref="ArtifactNotFoundException">No such version.</exception>
    public IReadOnlyList<string> Declared(string reference) => DeclaredAsync(reference).GetAwaiter().GetResult();

    /// <inheritdoc cref="Declared"/>
    public async Task<IReadOnlyList<string>> DeclaredAsync(string reference, CancellationToken cancellationToken = default)
    {
        var record = await _versions.FindAsync(reference, null, cancellationToken).ConfigureAwait(false);
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
        var (name, version, alias) = _versions.Parse(reference);
        if (alias is not null)
        {
            var aliased = await _versions.FindAsync(reference, null, cancellationToken).ConfigureAwait(false);
            (name, version) = (aliased.Name, aliased.Version);
        }

        var walk = await _metadata.WalkAsync(name, version, direction, depth, cancellationToken).ConfigureAwait(false);
        if (walk is null)
        {
            // Missing, or deleted since the alias was read: the store says which, in its own words.
            var found = await _versions.FindAsync(alias is null ? reference : $"{name}@{version!.Value.ToString(CultureInfo.InvariantCulture)}", null, cancellationToken).ConfigureAwait(false);
            walk = await _metadata.WalkAsync(found.Name, found.Version, direction, depth, cancellationToken).ConfigureAwait(false)
                ?? throw new ArtifactNotFoundException(found.Name, found.Version, $"Artifact '{found.Name}' version {found.Version.ToString(CultureInfo.InvariantCulture)} was deleted while its lineage was read.");
        }

        return Build(direction, depth, walk);
    }

    private static LineageGraph Build(LineageDirection direction, int depth, LineageWalk walk)
    {
        // Sized up front: a graph is built on every call, and growing these costs more than filling them.
        var nodes = new Dictionary<string, LineageNode>(walk.Versions.Count * 2, StringComparer.Ordinal);
        var edges = new HashSet<LineageEdge>(walk.Rows.Count + walk.Versions.Count);
        var depths = Depths(walk, walk.RootId);
        var versionNodes = new Dictionary<long, string>(walk.Versions.Count);

        // A version's node is made once: the rows name the same versions again and again.
        string VersionNode(long id)
        {
            if (!versionNodes.TryGetValue(id, out var nodeId))
            {
                var version = walk.Versions[id];
                nodeId = "v:" + version.Uid;
                versionNodes[id] = nodeId;
                nodes.TryAdd(nodeId, new LineageNode(nodeId, LineageNodeKind.Version, $"{version.Name}@{version.Version.ToString(CultureInfo.InvariantCulture)}", depths.GetValueOrDefault(id), Version: version));
            }

            return nodeId;
        }

        var rootId = VersionNode(walk.RootId);
        var inputsByOutput = new Dictionary<long, List<(string Input, bool IsExact)>>(walk.Versions.Count);
        foreach (var row in walk.Rows)
        {
            if (!walk.Versions.ContainsKey(row.OutputId))
            {
                continue;
            }

            VersionNode(row.OutputId);
            string input;
            if (row.InputId is { } inputId)
            {
                // Within the depth bound every live input is one of the walk's versions (the walk reached it in the same statement).
                if (!walk.Versions.ContainsKey(inputId))
                {
                    continue;
                }

                input = VersionNode(inputId);
            }
            else
            {
                var label = $"{row.DeletedName}@{row.DeletedVersion.ToString(CultureInfo.InvariantCulture)}";
                input = "d:" + label;
                if (!nodes.ContainsKey(input))
                {
                    nodes[input] = new LineageNode(input, LineageNodeKind.DeletedVersion, label, depths.GetValueOrDefault(row.OutputId) + 1);
                }
            }

            (inputsByOutput.TryGetValue(row.OutputId, out var list) ? list : inputsByOutput[row.OutputId] = []).Add((input, row.IsExact));
        }

        // Runs sit between a version's inputs and the version. One run may save versions computed from different inputs (a
        // script's implicit run saves a whole pipeline): it gets one node per distinct set of inputs, so every edge into a run
        // node fed every version out of it, and the picture never shows a version feeding itself.
        var stepKeys = new Dictionary<long, string>(inputsByOutput.Count);
        var stepsByRun = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (outputId, inputs) in inputsByOutput)
        {
            var key = StepKey(inputs);
            stepKeys[outputId] = key;
            if (walk.Versions[outputId].Run is { } run)
            {
                var steps = stepsByRun.TryGetValue(run.Uid, out var known) ? known : stepsByRun[run.Uid] = [];
                if (!steps.Contains(key))
                {
                    steps.Add(key);
                }
            }
        }

        foreach (var steps in stepsByRun.Values)
        {
            steps.Sort(StringComparer.Ordinal);
        }

        foreach (var (outputId, inputs) in inputsByOutput)
        {
            var output = walk.Versions[outputId];
            var outputNode = versionNodes[outputId];
            if (output.Run is { } run)
            {
                var steps = stepsByRun[run.Uid];
                var runNode = steps.Count == 1 ? "r:" + run.Uid : $"r:{run.Uid}:{(steps.IndexOf(stepKeys[outputId]) + 1).ToString(CultureInfo.InvariantCulture)}";
                if (!nodes.ContainsKey(runNode))
                {
                    nodes[runNode] = new LineageNode(runNode, LineageNodeKind.Run, run.Name, depths.GetValueOrDefault(outputId), Run: run);
                }

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

        var ordered = nodes.Values.ToList();
        ordered.Sort((a, b) =>
        {
            var c = (a.Id == rootId ? 0 : 1).CompareTo(b.Id == rootId ? 0 : 1);
            c = c != 0 ? c : a.Depth.CompareTo(b.Depth);
            c = c != 0 ? c : ((int)a.Kind).CompareTo((int)b.Kind);
            c = c != 0 ? c : string.CompareOrdinal(a.Label, b.Label);
            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        });
        var order = new Dictionary<string, int>(ordered.Count, StringComparer.Ordinal);
        for (var i = 0; i < ordered.Count; i++)
        {
            order[ordered[i].Id] = i;
        }

        var orderedEdges = new List<(LineageEdge Edge, int From, int To)>(edges.Count);
        foreach (var edge in edges)
        {
            orderedEdges.Add((edge, order[edge.From], order[edge.To]));
        }

        orderedEdges.Sort((a, b) =>
        {
            var c = a.From.CompareTo(b.From);
            c = c != 0 ? c : a.To.CompareTo(b.To);
            c = c != 0 ? c : ((int)a.Edge.Kind).CompareTo((int)b.Edge.Kind);
            return c != 0 ? c : a.Edge.IsExact.CompareTo(b.Edge.IsExact);
        });
        var sortedEdges = new LineageEdge[orderedEdges.Count];
        for (var i = 0; i < sortedEdges.Length; i++)
        {
            sortedEdges[i] = orderedEdges[i].Edge;
        }

        return new LineageGraph(nodes[rootId], direction, depth, ordered, sortedEdges);
    }

    /// <summary>What a version was computed from, as one comparable text: its distinct (input, exact) pairs in order.</summary>
    private static string StepKey(List<(string Input, bool IsExact)> inputs)
    {
        var parts = new List<string>(inputs.Count);
        foreach (var (input, isExact) in inputs)
        {
            var part = isExact ? input + "|True" : input + "|False";
            if (!parts.Contains(part))
            {
                parts.Add(part);
            }
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join("\n", parts);
    }

    /// <summary>Version-to-version steps from the root to each version reached, either way (breadth first over the rows).</summary>
    private static Dictionary<long, int> Depths(LineageWalk walk, long rootId)
    {
        var neighbours = new Dictionary<long, List<long>>(walk.Versions.Count);
        foreach (var row in walk.Rows)
        {
            if (row.InputId is not { } inputId)
            {
                continue;
            }

            (neighbours.TryGetValue(row.OutputId, out var a) ? a : neighbours[row.OutputId] = []).Add(inputId);
            (neighbours.TryGetValue(inputId, out var b) ? b : neighbours[inputId] = []).Add(row.OutputId);
        }

        var depths = new Dictionary<long, int>(walk.Versions.Count) { [rootId] = 0 };
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
