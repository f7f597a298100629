using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Parsing;

/// <summary>Whether generated code (in the same assembly, outside the type) can name a symbol.</summary>
internal static class Accessibility
{
    public static bool IsReachable(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is not (Microsoft.CodeAnalysis.Accessibility.Public or Microsoft.CodeAnalysis.Accessibility.Internal or Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when every part of the symbol's chain is public, so a public accessor may expose it.</summary>
    public static bool IsPublic(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility != Microsoft.CodeAnalysis.Accessibility.Public)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsPublicType(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => IsPublicType(array.ElementType),
        INamedTypeSymbol named => (named.ContainingType is null || IsPublicType(named.ContainingType))
            && (named.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public || named.SpecialType != SpecialType.None)
            && System.Linq.Enumerable.All(named.TypeArguments, IsPublicType),
        _ => true,
    };
}
