using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lineage.Generators.Parsing;

/// <summary>
/// Finds the <c>[Artifact]</c> on a type or method declaration, as ForAttributeWithMetadataName would, but only when asked.
/// That API binds every candidate's symbol and attributes in each new compilation (every keystroke) before its transform
/// runs, which on 2,000 declarations costs more than everything else the generator does after an unrelated edit; the
/// pipeline instead hands every attributed declaration to a syntax provider, and the parsers bind it here only when its
/// spec cannot be reused (<see cref="SpecCache"/>: the same tree, no declaration, reference or option changed, and so
/// no change in what an attribute name binds to).
/// </summary>
internal static class ArtifactTargets
{
    private static readonly ConditionalWeakTable<Compilation, HashSet<string>> Names = new();
    private static readonly ConditionalWeakTable<SyntaxTree, string[]> TreeAliases = new();
    private static readonly ConditionalWeakTable<Compilation, StrongBox<int>> Bindings = new();

    /// <summary>How many declarations were bound in <paramref name="compilation"/> (what an edit cost; tests check reuse with it).</summary>
    public static int BoundIn(Compilation compilation) => Bindings.TryGetValue(compilation, out var count) ? Volatile.Read(ref count.Value) : 0;

    /// <summary>
    /// The declared symbol and the first <c>Lineage.ArtifactAttribute</c> applied on this very declaration (not on another part
    /// of a partial one), or null when it has none.
    /// </summary>
    public static (ISymbol Symbol, AttributeData Attribute)? Resolve(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        if (node is not MemberDeclarationSyntax declaration || !MayNameArtifact(declaration, model.Compilation))
        {
            return null;
        }

        Interlocked.Increment(ref Bindings.GetOrCreateValue(model.Compilation).Value);
        var symbol = model.GetDeclaredSymbol(declaration, cancellationToken);
        if (symbol is null)
        {
            return null;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (IsArtifactAttribute(attribute.AttributeClass)
                && attribute.ApplicationSyntaxReference is { } reference
                && reference.SyntaxTree == declaration.SyntaxTree
                && declaration.AttributeLists.Any(list => list.Span.Contains(reference.Span)))
            {
                return (symbol, attribute);
            }
        }

        return null;
    }

    private static bool IsArtifactAttribute(INamedTypeSymbol? type) =>
        type is { Name: "ArtifactAttribute", Arity: 0, ContainingType: null, ContainingNamespace: { Name: "Lineage", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>
    /// Whether an attribute's name can bind to <c>ArtifactAttribute</c>: <c>Artifact</c>, <c>ArtifactAttribute</c> (however
    /// qualified), or a name some using alias in the compilation declares. The cheap test that spares binding <c>[Fact]</c> methods.
    /// </summary>
    private static bool MayNameArtifact(MemberDeclarationSyntax declaration, Compilation compilation)
    {
        foreach (var attribute in declaration.AttributeLists.SelectMany(list => list.Attributes))
        {
            var name = SimpleNameOf(attribute.Name);
            if (name is "Artifact" or "ArtifactAttribute" || (name is not null && AliasesOf(compilation).Contains(name)))
            {
                return true;
            }
        }

        return false;
    }

    private static string? SimpleNameOf(NameSyntax name) => name switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax aliased => aliased.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>Every alias a using directive declares anywhere in the compilation (a global one reaches every file).</summary>
    private static HashSet<string> AliasesOf(Compilation compilation) =>
        Names.GetValue(compilation, static compilation => new HashSet<string>(
            compilation.SyntaxTrees.SelectMany(tree => TreeAliases.GetValue(tree, AliasesIn)), System.StringComparer.Ordinal));

    private static string[] AliasesIn(SyntaxTree tree) =>
        tree.GetRoot().DescendantNodes(node => node is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<UsingDirectiveSyntax>()
            .Where(directive => directive.Alias is not null)
            .Select(directive => directive.Alias!.Name.Identifier.ValueText)
            .ToArray();
}
