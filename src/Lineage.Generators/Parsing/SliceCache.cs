using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
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
    private static readonly ConditionalWeakTable<Compilation, Shape> Shapes = new();
    private static readonly ConditionalWeakTable<SyntaxTree, string> TreeShapes = new();

    public static SliceResult GetOrSlice(SemanticModel model, SyntaxNode method, System.Threading.CancellationToken cancellationToken) =>
        GetOrSliceSpanning(model, method, cancellationToken).Result;

    /// <summary>The slice and the trees it spans (the method's own among them).</summary>
    public static (SliceResult Result, IReadOnlyList<SyntaxTree> Trees) GetOrSliceSpanning(SemanticModel model, SyntaxNode method, System.Threading.CancellationToken cancellationToken)
    {
        var compilation = model.Compilation;
        var shape = ShapeOf(compilation);
        var entries = Entries.GetOrCreateValue(method.SyntaxTree);
        if (entries.TryGetValue(method.SpanStart, out var cached) && cached.Shape.Matches(shape) && cached.Trees.All(compilation.ContainsSyntaxTree))
        {
            return (cached.Result, cached.Trees);
        }

        var (result, trees) = CodeSlicer.Slice(model, method, cancellationToken);
        entries[method.SpanStart] = new Entry(shape, trees, result);
        return (result, trees);
    }

    /// <summary>What other code binds against in <paramref name="compilation"/>: its declarations, references and options (computed once per compilation).</summary>
    internal static Shape ShapeOf(Compilation compilation) => Shapes.GetValue(compilation, ComputeShape);

    private static Shape ComputeShape(Compilation compilation)
    {
        using var hash = SHA256.Create();
        foreach (var tree in compilation.SyntaxTrees)
        {
            Append(hash, tree.FilePath);
            Append(hash, TreeShapes.GetValue(tree, DeclarationsOf));
        }

        foreach (var reference in compilation.References)
        {
            Append(hash, reference.Display ?? string.Empty);
        }

        hash.TransformFinalBlock(System.Array.Empty<byte>(), 0, 0);
        return new Shape(System.Convert.ToBase64String(hash.Hash), compilation.Options);
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

    internal sealed class Shape(string declarations, CompilationOptions options)
    {
        public bool Matches(Shape other) => ReferenceEquals(this, other) || (declarations == other.Declarations && Equals(options, other.Options));

        private string Declarations => declarations;

        private CompilationOptions Options => options;
    }

    private sealed record Entry(Shape Shape, IReadOnlyList<SyntaxTree> Trees, SliceResult Result);
}
