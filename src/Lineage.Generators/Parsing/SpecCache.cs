using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Parsing;

/// <summary>
/// Reuses the spec parsed from an <c>[Artifact]</c> declaration across compilations when it cannot have changed. Roslyn re-runs
/// a ForAttributeWithMetadataName transform for every attributed node on every edit (the compilation is new); parsing a
/// declaration reads symbols (members, types, attributes, display strings), which for 2,000 declarations costs tens of
/// milliseconds per keystroke. A spec is still valid on the same terms as a slice (see <see cref="SliceCache"/>): its node is
/// in the very same tree object, every tree it depends on is still in the compilation, and no declaration, reference or option
/// changed; a spec reads declarations only (a method's spec also its slice, whose trees it depends on).
/// Entries hang off the node's syntax tree weakly, so they go when the tree goes.
/// </summary>
internal static class SpecCache
{
    public const int TypeKind = 0;
    public const int MethodKind = 1;

    private static readonly ConditionalWeakTable<SyntaxTree, ConcurrentDictionary<(int Start, int Kind), Entry>> Entries = new();

    /// <summary>The spec of <paramref name="node"/> of this kind (one cache per parser), or <paramref name="parse"/>'s when none is valid.</summary>
    public static T? GetOrParse<T>(Compilation compilation, SyntaxNode node, int kind, System.Func<(T? Spec, IReadOnlyList<SyntaxTree> Trees)> parse)
        where T : class
    {
        var snapshot = SliceCache.SnapshotOf(compilation);
        var entries = Entries.GetOrCreateValue(node.SyntaxTree);

        // FullSpan, not SpanStart: no walk to the first token for its trivia, and two declarations of one kind never share its start.
        var key = (node.FullSpan.Start, kind);
        if (entries.TryGetValue(key, out var cached) && snapshot.StillValid(cached.Shape, cached.Trees))
        {
            return (T?)cached.Spec;
        }

        var (spec, trees) = parse();
        entries[key] = new Entry(snapshot.Shape, trees, spec);
        return spec;
    }

    private sealed record Entry(SliceCache.Shape Shape, IReadOnlyList<SyntaxTree> Trees, object? Spec);
}
