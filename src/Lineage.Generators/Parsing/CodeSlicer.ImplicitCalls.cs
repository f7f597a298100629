using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Lineage.Generators.Parsing;

/// <summary>
/// What the compiler calls without a name in the syntax, read from the bound code (<see cref="IOperation"/>):
/// <c>foreach</c> (GetEnumerator, MoveNext, Current, Dispose, extension ones too), <c>using</c> and <c>await using</c>
/// (Dispose, DisposeAsync), <c>await</c> (GetAwaiter, IsCompleted, GetResult), deconstruction and positional patterns
/// (Deconstruct), user-defined conversions and operators (compound, increment, <c>true</c>/<c>false</c>), collection
/// initializers (Add), interpolated string handlers, implicit indexers, <c>with</c>, and late-bound <c>dynamic</c> access.
/// Also what decides the value besides the tokens at a call: a <c>[Conditional]</c> method's symbols, caller information.
/// </summary>
internal sealed partial class CodeSlicer
{
    private void WalkOperations(SyntaxNode declaration, SemanticModel model)
    {
        var roots = declaration
            .DescendantNodesAndSelf(node => node == declaration || !IsOperationRoot(node, declaration))
            .Where(node => IsOperationRoot(node, declaration));
        foreach (var root in roots)
        {
            if (model.GetOperation(root, _cancellationToken) is not { } operation)
            {
                continue;
            }

            foreach (var descendant in operation.DescendantsAndSelf())
            {
                _cancellationToken.ThrowIfCancellationRequested();
                Visit(descendant, model);
            }
        }
    }

    /// <summary>A node whose operation holds a body or an initializer, lambdas and local functions inside it included.</summary>
    private static bool IsOperationRoot(SyntaxNode node, SyntaxNode declaration) => node switch
    {
        BaseMethodDeclarationSyntax or AccessorDeclarationSyntax => true,
        ArrowExpressionClauseSyntax { Parent: BasePropertyDeclarationSyntax } => true,
        EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax } or PropertyDeclarationSyntax } => true,
        LocalFunctionStatementSyntax => node == declaration,
        _ => false,
    };

    private void Visit(IOperation operation, SemanticModel model)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                if (invocation.IsImplicit)
                {
                    Reach(invocation.TargetMethod, receiver: invocation.Instance?.Type);
                }

                NoteConditional(invocation.TargetMethod, invocation.Syntax);
                NoteCallerInformation(invocation.Arguments, invocation.Syntax);
                if (!IsInCompilation(invocation.TargetMethod) && invocation.TargetMethod.MethodKind != MethodKind.DelegateInvoke)
                {
                    HandOutCall(invocation.Instance, invocation.Arguments, invocation.TargetMethod.TypeArguments, invocation.TargetMethod.ContainingType);
                }

                break;
            case IObjectCreationOperation { Constructor: { } constructor } creation:
                if (creation.IsImplicit)
                {
                    Reach(constructor);
                }

                NoteCallerInformation(creation.Arguments, creation.Syntax);
                if (!IsInCompilation(constructor))
                {
                    HandOutCall(null, creation.Arguments, ImmutableArray<ITypeSymbol>.Empty, constructor.ContainingType);
                }

                break;
            case IPropertyReferenceOperation property:
                if (property.IsImplicit)
                {
                    Reach(property.Property, receiver: property.Instance?.Type);
                }

                if (!IsInCompilation(property.Property) && property.Arguments.Length > 0)
                {
                    HandOutCall(property.Instance, property.Arguments, ImmutableArray<ITypeSymbol>.Empty, property.Property.ContainingType);
                }

                break;
            case ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Member: { } member } } assignment when !IsInCompilation(member):
                HandOut(assignment.Value);
                break;
            case IImplicitIndexerReferenceOperation indexer:
                Reach(indexer.IndexerSymbol, receiver: indexer.Instance.Type);
                Reach(indexer.LengthSymbol, receiver: indexer.Instance.Type);
                break;
            case IConversionOperation conversion:
                ReachIfAny(conversion.OperatorMethod);
                if (conversion.Operand.Type is IDynamicTypeSymbol)
                {
                    ReachAllOperators();
                }

                break;
            case IBinaryOperation binary:
                VisitBinary(binary);
                break;
            case IUnaryOperation unary:
                ReachIfAny(unary.OperatorMethod);
                if (unary.Operand.Type is IDynamicTypeSymbol)
                {
                    ReachAllOperators();
                }

                break;
            case IIncrementOrDecrementOperation increment:
                ReachIfAny(increment.OperatorMethod);
                break;
            case ICompoundAssignmentOperation compound:
                ReachIfAny(compound.OperatorMethod);
                ReachIfAny(compound.GetInConversion().MethodSymbol);
                ReachIfAny(compound.GetOutConversion().MethodSymbol);
                break;
            case IForEachLoopOperation loop when loop.Syntax is CommonForEachStatementSyntax statement:
                VisitForEach(loop, statement, model);
                break;
            case IDeconstructionAssignmentOperation { Syntax: AssignmentExpressionSyntax assignment }:
                ReachDeconstruction(model.GetDeconstructionInfo(assignment));
                break;
            case IRecursivePatternOperation pattern:
                ReachIfAny(pattern.DeconstructSymbol, pattern.MatchedType);
                break;
            case IAwaitOperation { Syntax: AwaitExpressionSyntax awaitSyntax } awaited:
                var awaitInfo = model.GetAwaitExpressionInfo(awaitSyntax);
                ReachIfAny(awaitInfo.GetAwaiterMethod, awaited.Operation.Type);
                ReachIfAny(awaitInfo.IsCompletedProperty, awaitInfo.GetAwaiterMethod?.ReturnType);
                ReachIfAny(awaitInfo.GetResultMethod, awaitInfo.GetAwaiterMethod?.ReturnType);
                break;
            case IUsingOperation @using:
                foreach (var resource in ResourcesOf(@using.Resources))
                {
                    ReachDisposal(resource, @using.IsAsynchronous);
                }

                break;
            case IUsingDeclarationOperation declaration:
                foreach (var resource in ResourcesOf(declaration.DeclarationGroup))
                {
                    ReachDisposal(resource, declaration.IsAsynchronous);
                }

                break;
            case IInterpolationOperation interpolation:
                HandOut(interpolation.Expression);
                break;
            case IWithOperation with:
                ReachIfAny(with.CloneMethod, with.Operand.Type);
                break;
            case IDynamicMemberReferenceOperation dynamicMember:
                ReachByName(dynamicMember.MemberName);
                break;
            case IDynamicInvocationOperation { Syntax: InvocationExpressionSyntax dynamicCall }:
                // `Model.Scale(d)` with a dynamic argument: the binder chooses among the overloads at run time.
                if (RightmostName(dynamicCall.Expression) is { } calledName)
                {
                    ReachByName(calledName);
                }

                break;
            case IDynamicIndexerAccessOperation:
                ReachByName("this[]");
                break;
        }
    }

    private void VisitBinary(IBinaryOperation binary)
    {
        ReachIfAny(binary.OperatorMethod);

        // `a && b` on a type with `&` and `false` calls its `true`/`false` operators, which the operation does not name.
        if (binary.OperatorMethod is { } method && binary.OperatorKind is BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.ConditionalOr)
        {
            foreach (var truth in method.ContainingType.GetMembers(WellKnownMemberNames.TrueOperatorName).Concat(method.ContainingType.GetMembers(WellKnownMemberNames.FalseOperatorName)))
            {
                Reach(truth);
            }
        }

        if (binary.LeftOperand.Type is IDynamicTypeSymbol || binary.RightOperand.Type is IDynamicTypeSymbol)
        {
            ReachAllOperators();
        }

        // `"total: " + shape` calls shape.ToString() inside string.Concat.
        if (binary is { OperatorKind: BinaryOperatorKind.Add, OperatorMethod: null, Type.SpecialType: SpecialType.System_String })
        {
            HandOut(binary.LeftOperand);
            HandOut(binary.RightOperand);
        }
    }

    private void VisitForEach(IForEachLoopOperation loop, CommonForEachStatementSyntax statement, SemanticModel model)
    {
        var info = model.GetForEachStatementInfo(statement);
        var collection = loop.Collection is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand.Type : loop.Collection.Type;
        var enumerator = info.GetEnumeratorMethod?.ReturnType;
        ReachIfAny(info.GetEnumeratorMethod, collection);
        ReachIfAny(info.MoveNextMethod, enumerator);
        ReachIfAny(info.CurrentProperty, enumerator);
        ReachIfAny(info.DisposeMethod, enumerator);
        ReachIfAny(info.ElementConversion.MethodSymbol);
        ReachIfAny(info.CurrentConversion.MethodSymbol);
        ReachDisposal(enumerator, loop.IsAsynchronous);
        if (statement is ForEachVariableStatementSyntax deconstructing)
        {
            ReachDeconstruction(model.GetDeconstructionInfo(deconstructing));
        }
    }

    private void ReachDeconstruction(DeconstructionInfo info)
    {
        ReachIfAny(info.Method);
        ReachIfAny(info.Conversion?.MethodSymbol);
        foreach (var nested in info.Nested)
        {
            ReachDeconstruction(nested);
        }
    }

    /// <summary>The static types of a <c>using</c>'s resources: declared variables, or the expression used.</summary>
    private static System.Collections.Generic.IEnumerable<ITypeSymbol?> ResourcesOf(IOperation? resources) => resources switch
    {
        null => Array.Empty<ITypeSymbol?>(),
        IVariableDeclarationGroupOperation group => group.Declarations.SelectMany(d => d.Declarators).Select(d => (ITypeSymbol?)d.Symbol.Type),
        IConversionOperation { IsImplicit: true } conversion => new[] { conversion.Operand.Type },
        _ => new[] { resources.Type },
    };

    /// <summary>
    /// The disposal a <c>using</c> (or a <c>foreach</c> enumerator) runs at its end: <c>IDisposable.Dispose</c> or
    /// <c>IAsyncDisposable.DisposeAsync</c> as implemented by the types the resource can have, or a pattern method.
    /// </summary>
    private void ReachDisposal(ITypeSymbol? resource, bool asynchronous)
    {
        if (resource is null)
        {
            return;
        }

        var name = asynchronous ? "DisposeAsync" : "Dispose";
        var contract = asynchronous ? _compilation.GetTypeByMetadataName("System.IAsyncDisposable") : _compilation.GetSpecialType(SpecialType.System_IDisposable);
        if (contract?.GetMembers(name).FirstOrDefault() is { } member)
        {
            Reach(member, receiver: resource);
        }

        for (var type = resource as INamedTypeSymbol; type is not null; type = type.BaseType)
        {
            foreach (var pattern in type.GetMembers(name).OfType<IMethodSymbol>().Where(m => m.Parameters.All(p => p.IsOptional || p.IsParams)))
            {
                Reach(pattern, receiver: resource);
            }
        }
    }

    private void ReachIfAny(ISymbol? symbol, ITypeSymbol? receiver = null)
    {
        if (symbol is not null)
        {
            Reach(symbol, receiver: receiver);
        }
    }

    private void HandOutCall(IOperation? instance, ImmutableArray<IArgumentOperation> arguments, ImmutableArray<ITypeSymbol> typeArguments, INamedTypeSymbol? containingType)
    {
        HandOut(instance);
        foreach (var argument in arguments)
        {
            HandOut(argument.Value);
        }

        foreach (var typeArgument in typeArguments)
        {
            HandOut(typeArgument);
        }

        foreach (var typeArgument in containingType?.TypeArguments ?? ImmutableArray<ITypeSymbol>.Empty)
        {
            HandOut(typeArgument);
        }
    }

    /// <summary>
    /// A call to a <c>[Conditional("SYMBOL")]</c> method (<c>Debug.Assert</c>, a project's own tracing) is compiled, with its
    /// arguments' side effects, only where SYMBOL is defined: the project's symbols and the file's <c>#define</c>/<c>#undef</c>.
    /// </summary>
    private void NoteConditional(IMethodSymbol method, SyntaxNode site)
    {
        for (IMethodSymbol? current = method.ReducedFrom ?? method.OriginalDefinition; current is not null; current = current.OverriddenMethod)
        {
            foreach (var attribute in current.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == "System.Diagnostics.ConditionalAttribute"
                    && attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string symbol)
                {
                    AddFact(site, $"#if {symbol} {(IsDefined(site, symbol) ? "defined" : "undefined")}");
                }
            }
        }
    }

    private static bool IsDefined(SyntaxNode site, string symbol)
    {
        var defined = site.SyntaxTree.Options.PreprocessorSymbolNames.Contains(symbol, StringComparer.Ordinal);
        // `#define` and `#undef` may only come before the file's first token: they are all in its leading trivia.
        foreach (var trivia in site.SyntaxTree.GetRoot().GetLeadingTrivia())
        {
            switch (trivia.GetStructure())
            {
                case DefineDirectiveTriviaSyntax { IsActive: true } define when define.Name.ValueText == symbol:
                    defined = true;
                    break;
                case UndefDirectiveTriviaSyntax { IsActive: true } undefine when undefine.Name.ValueText == symbol:
                    defined = false;
                    break;
            }
        }

        return defined;
    }

    /// <summary>
    /// Arguments the compiler fills in from the call site: <c>[CallerLineNumber]</c> (the call's line, which a line added above
    /// it changes), <c>[CallerFilePath]</c> (the file's path) and <c>[CallerArgumentExpression]</c> (the argument as written).
    /// <c>[CallerMemberName]</c> is the enclosing member's name, already among the tokens.
    /// </summary>
    private void NoteCallerInformation(ImmutableArray<IArgumentOperation> arguments, SyntaxNode site)
    {
        foreach (var argument in arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue || argument.Parameter is not { } parameter)
            {
                continue;
            }

            foreach (var attribute in parameter.GetAttributes())
            {
                switch (attribute.AttributeClass?.ToDisplayString())
                {
                    case "System.Runtime.CompilerServices.CallerLineNumberAttribute":
                        var lines = site.GetLocation().GetMappedLineSpan();
                        AddFact(site, $"line {lines.StartLinePosition.Line + 1}-{lines.EndLinePosition.Line + 1}");
                        break;
                    case "System.Runtime.CompilerServices.CallerFilePathAttribute":
                        AddFact(site, "file " + site.GetLocation().GetMappedLineSpan().Path);
                        break;
                    case "System.Runtime.CompilerServices.CallerArgumentExpressionAttribute"
                        when attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is string name:
                        var described = arguments.FirstOrDefault(a => a.ArgumentKind != ArgumentKind.DefaultValue && a.Parameter?.Name == name);
                        if (described?.Syntax is ArgumentSyntax written)
                        {
                            AddFact(site, "expression " + written.Expression.ToString());
                        }

                        break;
                }
            }
        }
    }

    private static string? RightmostName(ExpressionSyntax expression) => expression switch
    {
        SimpleNameSyntax name => name.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
        _ => null,
    };
}
