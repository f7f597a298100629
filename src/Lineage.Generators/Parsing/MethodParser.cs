using System.Linq;
using System.Threading;
using Lineage.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Lineage.Generators.Parsing;

/// <summary>Turns an <c>[Artifact("name")]</c> method into an <see cref="ArtifactMethodSpec"/>, slicing its code.</summary>
internal static class MethodParser
{
    private static readonly SymbolDisplayFormat TypeFormat =
        SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>
    /// The spec of an attributed method declaration, or null when it is not an <c>[Artifact]</c> method or is one the analyzers
    /// report (invalid name, void, generic, ref parameters, …); reused while valid (<see cref="SpecCache"/>).
    /// </summary>
    public static ArtifactMethodSpec? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
        SpecCache.GetOrParse<ArtifactMethodSpec>(context.SemanticModel.Compilation, context.Node, SpecCache.MethodKind, () =>
        {
            var spec = ParseCore(context.SemanticModel, context.Node, out var sliceTrees, cancellationToken);
            return (spec, sliceTrees is null ? [context.Node.SyntaxTree] : [context.Node.SyntaxTree, .. sliceTrees]);
        });

    private static ArtifactMethodSpec? ParseCore(SemanticModel model, SyntaxNode node, out System.Collections.Generic.IReadOnlyList<SyntaxTree>? sliceTrees, CancellationToken cancellationToken)
    {
        sliceTrees = null;
        if (ArtifactTargets.Resolve(model, node, cancellationToken) is not { Symbol: IMethodSymbol method, Attribute: var attribute }
            || method.IsGenericMethod || IsInGenericType(method) || method.MethodKind != MethodKind.Ordinary
            || method.Parameters.Any(p => p.RefKind != RefKind.None) || !Accessibility.IsReachable(method))
        {
            return null;
        }

        var name = ArtifactNames.Normalize(attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : method.Name);
        if (!ArtifactNames.IsValid(name))
        {
            return null;
        }

        // The accessor class is nested in `Artifacts`; a member may not share its enclosing type's name.
        if (ArtifactNames.ToPascalCase(name!) == "Artifacts")
        {
            return null;
        }

        var (valueType, asyncKind) = Unwrap(method.ReturnType);
        if (valueType is null)
        {
            return null;
        }

        (var slice, sliceTrees) = SliceCache.GetOrSliceSpanning(model, node, cancellationToken);
        var isPublic = Accessibility.IsPublic(method) && Accessibility.IsPublicType(valueType) && method.Parameters.All(p => Accessibility.IsPublicType(p.Type));
        var description = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Description").Value.Value as string;
        var tags = attribute.NamedArguments.FirstOrDefault(a => a.Key == "Tags").Value is { Kind: TypedConstantKind.Array, IsNull: false } array
            ? array.Values.Select(v => v.Value as string).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t!).Distinct().OrderBy(t => t, System.StringComparer.Ordinal).ToEquatableArray()
            : System.Array.Empty<string>().ToEquatableArray();

        return new ArtifactMethodSpec(
            ArtifactName: name!,
            AccessorName: ArtifactNames.ToPascalCase(name!),
            Accessibility: isPublic ? "public" : "internal",
            ContainingType: method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            MethodName: method.Name,
            IsStatic: method.IsStatic,
            ValueType: valueType.ToDisplayString(TypeFormat),
            Async: asyncKind,
            Parameters: method.Parameters.Select(Parameter).ToEquatableArray(),
            CodeVersion: slice.CodeVersion,
            SourceCode: slice.SourceCode,
            Description: description,
            Tags: tags,
            ReadNames: slice.ReadNames,
            ReadAccessors: slice.ReadAccessors);
    }

    private static bool IsInGenericType(IMethodSymbol method)
    {
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsGenericType)
            {
                return true;
            }
        }

        return false;
    }

    private static (ITypeSymbol? Value, AsyncKind Kind) Unwrap(ITypeSymbol returnType)
    {
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            return (null, AsyncKind.None);
        }

        if (returnType is INamedTypeSymbol named && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
        {
            return named switch
            {
                { Name: "Task", TypeArguments.Length: 1 } => (named.TypeArguments[0], AsyncKind.Task),
                { Name: "ValueTask", TypeArguments.Length: 1 } => (named.TypeArguments[0], AsyncKind.ValueTask),
                { Name: "Task" or "ValueTask" } => (null, AsyncKind.None),
                _ => (returnType, AsyncKind.None),
            };
        }

        return (returnType, AsyncKind.None);
    }

    private static ParameterSpec Parameter(IParameterSymbol parameter)
    {
        var type = parameter.Type.ToDisplayString(TypeFormat);
        var isToken = parameter.Type.ToDisplayString() == "System.Threading.CancellationToken";
        return new ParameterSpec(
            Name: SyntaxFacts.GetKeywordKind(parameter.Name) != SyntaxKind.None ? "@" + parameter.Name : parameter.Name,
            Type: type,
            DefaultValue: parameter.HasExplicitDefaultValue ? Literals.DefaultValueOf(parameter) : null,
            IsInput: !isToken && !IsPassThrough(parameter.Type),
            IsCancellationToken: isToken);
    }

    /// <summary>Loggers and progress reporters say how a computation runs, not what it computes: they are not hashed.</summary>
    internal static bool IsPassThrough(ITypeSymbol type)
    {
        var name = type.OriginalDefinition.ToDisplayString();
        return name is "System.IProgress<T>" or "Microsoft.Extensions.Logging.ILogger" or "Microsoft.Extensions.Logging.ILogger<TCategoryName>"
            or "Microsoft.Extensions.Logging.ILoggerFactory" or "System.IO.TextWriter" or "System.Threading.CancellationToken";
    }
}
