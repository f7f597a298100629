using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lineage.Generators.Parsing;

/// <summary>
/// Dispatch: which code a call to an interface, abstract or virtual member can run, and which members of a value code
/// outside the compilation (the BCL, packages) can call on it. Conservative: it may recompute, never serve stale.
/// </summary>
internal sealed partial class CodeSlicer
{
    private readonly Dictionary<ISymbol, HashSet<ITypeSymbol>> _dispatched = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ITypeSymbol> _handedOut = new(SymbolEqualityComparer.Default);
    private readonly HashSet<string> _reachedByName = new(StringComparer.Ordinal);

    /// <summary>
    /// Every implementation or override in the compilation of a reached interface, abstract or virtual member, wherever
    /// the instance is created (a DI container, a property set in <c>Main</c>), in the types the instance can have: those
    /// derived from the receiver's static type (<c>shape.ToString()</c> on a <c>Shape</c> runs an override in a type
    /// derived from <c>Shape</c>, never in an unrelated one). Without a receiver, the member's own type stands for it.
    /// </summary>
    private void ReachImplementationsOf(ISymbol member, ITypeSymbol? receiver)
    {
        if (!IsDispatched(member))
        {
            return;
        }

        if (!_dispatched.TryGetValue(member, out var receivers))
        {
            receivers = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
            _dispatched[member] = receivers;
        }

        foreach (var type in ReceiverTypes(receiver ?? member.ContainingType))
        {
            if (!receivers.Add(type))
            {
                continue;
            }

            foreach (var candidate in CandidatesFor(type))
            {
                _cancellationToken.ThrowIfCancellationRequested();
                foreach (var implementation in ImplementationsIn(candidate, member))
                {
                    Reach(implementation);
                }
            }
        }
    }

    private static bool IsDispatched(ISymbol member) =>
        member is IMethodSymbol or IPropertySymbol or IEventSymbol
        && member.ContainingType is { } type
        && (type.TypeKind == TypeKind.Interface
            ? member.IsAbstract || member.IsVirtual
            : type.TypeKind == TypeKind.Class && !type.IsSealed && !member.IsSealed && (member.IsAbstract || member.IsVirtual || member.IsOverride));

    /// <summary>The static type of the instance a reached name is used on, when the syntax says it; <c>base.</c> is a non-virtual call.</summary>
    private ITypeSymbol? ReceiverOf(SyntaxNode node, SemanticModel model, out bool nonVirtual)
    {
        nonVirtual = false;
        var receiver = node switch
        {
            SimpleNameSyntax when node.Parent is MemberAccessExpressionSyntax access && access.Name == node => access.Expression,
            ElementAccessExpressionSyntax element => element.Expression,
            _ => null,
        };
        // `shape!.ToString()`, `(shape).ToString()`: the type is the operand's.
        while (receiver is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } or ParenthesizedExpressionSyntax)
        {
            receiver = receiver is PostfixUnaryExpressionSyntax suppressed ? suppressed.Operand : ((ParenthesizedExpressionSyntax)receiver).Expression;
        }

        if (receiver is BaseExpressionSyntax)
        {
            nonVirtual = true;
            return null;
        }

        return receiver is null ? null : model.GetTypeInfo(receiver, _cancellationToken).Type;
    }

    /// <summary>The types whose derived types can be the run-time type: a type parameter's constraints, <c>object</c> for none.</summary>
    private IEnumerable<ITypeSymbol> ReceiverTypes(ITypeSymbol type)
    {
        switch (type)
        {
            case ITypeParameterSymbol parameter when parameter.ConstraintTypes.Length > 0:
                return parameter.ConstraintTypes.SelectMany(ReceiverTypes);
            case ITypeParameterSymbol or IDynamicTypeSymbol or IErrorTypeSymbol:
                return [_compilation.GetSpecialType(SpecialType.System_Object)];
            case IArrayTypeSymbol or IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return [];
            default:
                return [type.OriginalDefinition];
        }
    }

    /// <summary>The classes and structs of the compilation that are, derive from or implement <paramref name="type"/> (an original definition).</summary>
    private IReadOnlyList<INamedTypeSymbol> CandidatesFor(ITypeSymbol type) =>
        type.SpecialType == SpecialType.System_Object
            ? SourceTypes.GetValue(_compilation, SourceTypesOf)
            : DerivedTypes.GetValue(_compilation, DerivedTypesOf).TryGetValue(type, out var derived) ? derived : [];

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, Dictionary<ITypeSymbol, List<INamedTypeSymbol>>> DerivedTypes = new();

    /// <summary>Each type's source classes and structs that are it, derive from it or implement it, keyed by original definition.</summary>
    private static Dictionary<ITypeSymbol, List<INamedTypeSymbol>> DerivedTypesOf(Compilation compilation)
    {
        var index = new Dictionary<ITypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        void Add(ITypeSymbol key, INamedTypeSymbol type)
        {
            if (!index.TryGetValue(key.OriginalDefinition, out var types))
            {
                types = new List<INamedTypeSymbol>();
                index[key.OriginalDefinition] = types;
            }

            types.Add(type);
        }

        foreach (var type in SourceTypes.GetValue(compilation, SourceTypesOf))
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                Add(current, type);
            }

            foreach (var implemented in type.AllInterfaces)
            {
                Add(implemented, type);
            }
        }

        return index;
    }

    /// <summary>
    /// A value handed to code outside the compilation (an argument of a package's or the BCL's method, an interpolation hole,
    /// a string concatenation operand): that code can call, on it and on the values it holds (type arguments, array
    /// elements), the virtual and interface members declared outside the compilation (<c>ToString</c>, <c>Equals</c>,
    /// <c>GetHashCode</c>, <c>IComparable&lt;T&gt;.CompareTo</c>, <c>IEnumerable&lt;T&gt;.GetEnumerator</c>…), so their
    /// overrides and implementations in the types the value can have join the slice. Members declared in the compilation
    /// are only called by code in the compilation, which the slice follows where it calls them.
    /// </summary>
    private void HandOut(IOperation? value)
    {
        while (value is IConversionOperation { IsImplicit: true, OperatorMethod: null } conversion)
        {
            value = conversion.Operand;
        }

        // `params object[]` arguments: the elements are what is handed out, each with its own type, not `object`.
        if (value is IArrayCreationOperation { IsImplicit: true, Initializer: { } initializer })
        {
            foreach (var element in initializer.ElementValues)
            {
                HandOut(element);
            }

            return;
        }

        HandOut(value?.Type);
    }

    private void HandOut(ITypeSymbol? type)
    {
        if (type is null || !_handedOut.Add(type))
        {
            return;
        }

        switch (type)
        {
            case IArrayTypeSymbol array:
                HandOut(array.ElementType);
                return;
            case ITypeParameterSymbol or IDynamicTypeSymbol:
                foreach (var receiver in ReceiverTypes(type))
                {
                    HandOut(receiver);
                }

                return;
            case INamedTypeSymbol named:
                foreach (var argument in named.TypeArguments)
                {
                    HandOut(argument);
                }

                if (named.TypeKind is not (TypeKind.Class or TypeKind.Interface or TypeKind.Struct)
                    || (!IsInCompilation(named) && (named.IsSealed || named.IsValueType) && named.SpecialType != SpecialType.System_Object))
                {
                    return;
                }

                foreach (var member in ExternalVirtualMembers(named))
                {
                    ReachImplementationsOf(member, named);
                }

                return;
        }
    }

    /// <summary>The virtual, abstract and interface members of a type that are declared outside the compilation (object's included).</summary>
    private IEnumerable<ISymbol> ExternalVirtualMembers(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        var classes = new List<INamedTypeSymbol>();
        for (var current = definition.TypeKind == TypeKind.Interface ? null : definition; current is not null; current = current.BaseType)
        {
            classes.Add(current);
        }

        if (definition.TypeKind == TypeKind.Interface)
        {
            classes.Add(_compilation.GetSpecialType(SpecialType.System_Object));
        }

        foreach (var @class in classes.Where(c => !IsInCompilation(c)))
        {
            foreach (var member in @class.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } or IPropertySymbol or IEventSymbol
                    && (member.IsVirtual || member.IsAbstract) && !member.IsOverride && !member.IsSealed && !member.IsStatic)
                {
                    yield return member;
                }
            }
        }

        var interfaces = definition.TypeKind == TypeKind.Interface ? definition.AllInterfaces.Add(definition) : definition.AllInterfaces;
        foreach (var @interface in interfaces.Select(i => i.OriginalDefinition).Where(i => !IsInCompilation(i)))
        {
            foreach (var member in @interface.GetMembers())
            {
                if (member is IMethodSymbol or IPropertySymbol or IEventSymbol && (member.IsAbstract || member.IsVirtual))
                {
                    yield return member;
                }
            }
        }
    }

    /// <summary>
    /// A late-bound (<c>dynamic</c>) member access: the run-time binder picks by name, so every member of the compilation
    /// with that name joins the slice (<c>this[]</c> for indexers, operator and conversion names for dynamic operators).
    /// </summary>
    private void ReachByName(string name)
    {
        if (!_reachedByName.Add(name))
        {
            return;
        }

        foreach (var type in SourceTypes.GetValue(_compilation, SourceTypesOf))
        {
            _cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in type.GetMembers(name))
            {
                Reach(member);
            }
        }
    }

    /// <summary>Every user-defined operator and conversion of the compilation: what a dynamic operator or conversion can bind to.</summary>
    private void ReachAllOperators()
    {
        if (!_reachedByName.Add("operator"))
        {
            return;
        }

        foreach (var type in SourceTypes.GetValue(_compilation, SourceTypesOf))
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol { MethodKind: MethodKind.UserDefinedOperator or MethodKind.Conversion })
                {
                    Reach(member);
                }
            }
        }
    }

    private bool IsInCompilation(ISymbol symbol) => SymbolEqualityComparer.Default.Equals(symbol.ContainingAssembly, _compilation.Assembly);

    private static IEnumerable<ISymbol> ImplementationsIn(INamedTypeSymbol type, ISymbol member)
    {
        if (member.ContainingType.TypeKind == TypeKind.Interface)
        {
            foreach (var implemented in type.AllInterfaces)
            {
                if (!SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, member.ContainingType))
                {
                    continue;
                }

                foreach (var candidate in implemented.GetMembers(member.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, member)
                        && type.FindImplementationForInterfaceMember(candidate) is { } implementation)
                    {
                        yield return implementation;
                    }
                }
            }

            yield break;
        }

        foreach (var candidate in type.GetMembers(member.Name))
        {
            for (var overridden = candidate.IsOverride ? Overridden(candidate) : null; overridden is not null; overridden = Overridden(overridden))
            {
                if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, member))
                {
                    yield return candidate;
                    break;
                }
            }
        }
    }

    private static ISymbol? Overridden(ISymbol member) => member switch
    {
        IMethodSymbol method => method.OverriddenMethod,
        IPropertySymbol property => property.OverriddenProperty,
        IEventSymbol @event => @event.OverriddenEvent,
        _ => null,
    };

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, IReadOnlyList<INamedTypeSymbol>> SourceTypes = new();

    /// <summary>The classes and structs declared in the compilation, nested ones included: where implementations can be.</summary>
    private static IReadOnlyList<INamedTypeSymbol> SourceTypesOf(Compilation compilation)
    {
        var types = new List<INamedTypeSymbol>();
        var namespaces = new Stack<INamespaceSymbol>();
        namespaces.Push(compilation.Assembly.GlobalNamespace);
        while (namespaces.Count > 0)
        {
            var current = namespaces.Pop();
            foreach (var nested in current.GetNamespaceMembers())
            {
                namespaces.Push(nested);
            }

            var pendingTypes = new Stack<INamedTypeSymbol>(current.GetTypeMembers());
            while (pendingTypes.Count > 0)
            {
                var type = pendingTypes.Pop();
                if (type.TypeKind is TypeKind.Class or TypeKind.Struct)
                {
                    types.Add(type);
                }

                foreach (var nested in type.GetTypeMembers())
                {
                    pendingTypes.Push(nested);
                }
            }
        }

        return types;
    }
}
