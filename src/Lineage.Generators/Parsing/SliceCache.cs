using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lineage.Generators.Parsing;

/// <summary>
/// Reuses a method's code slice across compilations when it cannot have changed. Roslyn re-runs the transform on
/// every edit, and slicing binds method bodies, so without this every keystroke re-binds every slice.
/// A slice is still valid when (1) every tree it spans is the very same tree object (its text is unchanged) and
/// (2) the compilation's declarations are unchanged: an edit inside a member body cannot change how other code
/// binds, only a change to a declaration (a signature, a new overload, a type) or to references or options can.
/// Entries hang off the method's syntax tree weakly, so they go when the tree goes.
/// </summary>
internal static class SliceCache
{
    private static readonly ConditionalWeakTable<SyntaxTree, ConcurrentDictionary<int, Entry>> Entries = new();
    private static readonly ConditionalWeakTable<Compilation, Snapshot> Snapshots = new();
    private static readonly ConditionalWeakTable<SyntaxTree, string> TreeShapes = new();

    // The shape of the compilation seen last: a new compilation with an equal shape shares this object, so checking a cached
    // entry (thousands per edit) compares references, not declarations and options.
    private static Shape? _latestShape;

    public static SliceResult GetOrSlice(SemanticModel model, SyntaxNode method, System.Threading.CancellationToken cancellationToken) =>
        GetOrSliceSpanning(model, method, cancellationToken).Result;

    /// <summary>The slice and the trees it spans (the method's own among them).</summary>
    public static (SliceResult Result, IReadOnlyList<SyntaxTree> Trees) GetOrSliceSpanning(SemanticModel model, SyntaxNode method, System.Threading.CancellationToken cancellationToken)
    {
        var snapshot = SnapshotOf(model.Compilation);
        var entries = Entries.GetOrCreateValue(method.SyntaxTree);
        if (entries.TryGetValue(method.SpanStart, out var cached) && snapshot.StillValid(cached.Shape, cached.Trees))
        {
            return (cached.Result, cached.Trees);
        }

        var (result, trees) = CodeSlicer.Slice(model, method, cancellationToken);
        entries[method.SpanStart] = new Entry(snapshot.Shape, trees, result);
        return (result, trees);
    }

    /// <summary>What a cached result's validity is checked against in <paramref name="compilation"/> (computed once per compilation).</summary>
    internal static Snapshot SnapshotOf(Compilation compilation) => Snapshots.GetValue(compilation, static compilation => new Snapshot(
        Intern(ComputeShape(compilation)), new HashSet<SyntaxTree>(compilation.SyntaxTrees)));

    private static Shape Intern(Shape shape)
    {
        var latest = Volatile.Read(ref _latestShape);
        if (latest is not null && latest.Matches(shape))
        {
            return latest;
        }

        Volatile.Write(ref _latestShape, shape);
        return shape;
    }

    /// <summary>What other code binds against: each file's declarations (by path), the references and the options.</summary>
    private static Shape ComputeShape(Compilation compilation)
    {
        var trees = new List<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            trees.Add(tree.FilePath);
            trees.Add(TreeShapes.GetValue(tree, DeclarationsOf));
        }

        return new Shape([.. trees], [.. compilation.References.Select(reference => reference.Display ?? string.Empty)], compilation.Options);
    }

    /// <summary>The tree's tokens outside member bodies: what other code binds against.</summary>
    private static string DeclarationsOf(SyntaxTree tree)
    {
        using var hash = SHA256.Create();
        foreach (var token in tree.GetRoot().DescendantTokens(node => !IsBody(node)))
        {
            Append(hash, token.Text);
        }

        hash.TransformFinalBlock(System.Array.Empty<byte>(), 0, 0);
        return System.Convert.ToBase64String(hash.Hash);
    }

    private static bool IsBody(SyntaxNode node) =>
        node is BlockSyntax { Parent: BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or GlobalStatementSyntax }
        || node is ArrowExpressionClauseSyntax;

    private static void Append(HashAlgorithm hash, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text + "\0");
        hash.TransformBlock(bytes, 0, bytes.Length, null, 0);
    }

    /// <summary>A compilation's declarations, references and options; compared in full only when two compilations' differ as objects.</summary>
    internal sealed class Shape(string[] trees, string[] references, CompilationOptions options)
    {
        private string[] Trees => trees;

        private string[] References => references;

        private CompilationOptions Options => options;

        public bool Matches(Shape other) =>
            ReferenceEquals(this, other) || (trees.SequenceEqual(other.Trees, System.StringComparer.Ordinal) && references.SequenceEqual(other.References, System.StringComparer.Ordinal) && Equals(options, other.Options));
    }

    /// <summary>One compilation as cached results see it: its shape, and the trees it holds (the very objects).</summary>
    internal sealed class Snapshot(Shape shape, HashSet<SyntaxTree> trees)
    {
        public Shape Shape => shape;

        /// <summary>A result computed against <paramref name="cachedShape"/> over <paramref name="spannedTrees"/> holds here too.</summary>
        public bool StillValid(Shape cachedShape, IReadOnlyList<SyntaxTree> spannedTrees)
        {
            if (!cachedShape.Matches(shape))
            {
                return false;
            }

            for (var i = 0; i < spannedTrees.Count; i++)
            {
                if (!trees.Contains(spannedTrees[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed record Entry(Shape Shape, IReadOnlyList<SyntaxTree> Trees, SliceResult Result);
}
