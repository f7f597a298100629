using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lineage.Generators.Parsing;

/// <summary>
/// Declared lineage: the artifacts the slice reads, found by the compiler. <c>Artifacts.Y.Load(...)</c>,
/// <c>LoadAsync</c>, <c>GetOrCompute</c> and <c>GetOrComputeAsync</c> name another artifact; inside the project the
/// <c>Artifacts</c> class is generated after this runs, so those calls do not bind and are matched by their shape
/// (resolved against the project's accessors when emitting); bound to another project's accessors, their <c>Name</c>
/// constant is read. <c>store.Load&lt;T&gt;("name")</c>, <c>LoadAsync</c>, <c>Get</c> and <c>GetAsync</c> count when
/// the name is a constant (the name part of a reference such as <c>"name@3"</c>).
/// </summary>
internal sealed partial class CodeSlicer
{
    private const string ArtifactStoreType = "Lineage.ArtifactStore";

    private static readonly string[] AccessorReads = ["Load", "LoadAsync", "GetOrCompute", "GetOrComputeAsync"];

    private static readonly string[] StoreReads = ["Load", "LoadAsync", "Get", "GetAsync"];

    private readonly SortedSet<string> _readNames = new(StringComparer.Ordinal);

    private readonly SortedSet<string> _readAccessors = new(StringComparer.Ordinal);

    private void FindDeclaredRead(InvocationExpressionSyntax invocation, SemanticModel model)
    {
        if (invocation.Expression is not MemberAccessExpressionSyntax access)
        {
            return;
        }

        var method = access.Name.Identifier.ValueText;
        var accessorRead = Array.IndexOf(AccessorReads, method) >= 0;
        var storeRead = Array.IndexOf(StoreReads, method) >= 0;
        if (!accessorRead && !storeRead)
        {
            return;
        }

        if (model.GetSymbolInfo(invocation, _cancellationToken).Symbol is IMethodSymbol called)
        {
            if (storeRead && IsArtifactStore(called.ContainingType) && ConstantName(invocation, model) is { } reference)
            {
                AddReadName(reference);
            }
            else if (accessorRead && called.ContainingType is { ContainingType.Name: "Artifacts" } accessor
                && accessor.GetMembers("Name").OfType<IFieldSymbol>().FirstOrDefault() is { IsConst: true, ConstantValue: string name })
            {
                AddReadName(name);
            }

            return;
        }

        if (accessorRead && access.Expression is MemberAccessExpressionSyntax { Name: IdentifierNameSyntax accessorName } accessorAccess
            && QualifierName(accessorAccess.Expression) == "Artifacts")
        {
            _readAccessors.Add(accessorName.Identifier.ValueText);
        }
    }

    private static bool IsArtifactStore(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.ToDisplayString() == ArtifactStoreType)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The constant passed as the store method's first (name) parameter, if it is one.</summary>
    private string? ConstantName(InvocationExpressionSyntax invocation, SemanticModel model) =>
        model.GetOperation(invocation, _cancellationToken) is IInvocationOperation operation
            ? operation.Arguments
                .Where(argument => argument.Parameter is { Ordinal: 0, Type.SpecialType: SpecialType.System_String })
                .Select(argument => argument.Value.ConstantValue)
                .Where(constant => constant.HasValue)
                .Select(constant => constant.Value as string)
                .FirstOrDefault()
            : null;

    private void AddReadName(string reference)
    {
        var at = reference.IndexOf('@');
        var name = ArtifactNames.Normalize(at < 0 ? reference : reference.Substring(0, at));
        if (ArtifactNames.IsValid(name))
        {
            _readNames.Add(name!);
        }
    }

    private static string? QualifierName(ExpressionSyntax expression) => expression switch
    {
        SimpleNameSyntax name => name.Identifier.ValueText,
        MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        _ => null,
    };
}
