using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Lineage.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Lineage.Generators.Diagnostics;

/// <summary>Checks <c>[Artifact]</c> types and methods (LIN0100–LIN0105): what the generator would otherwise skip.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ArtifactDeclarationAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.InvalidName, Descriptors.DuplicateName, Descriptors.ReturnsNothing, Descriptors.UnsupportedSignature,
        Descriptors.NoSerializer, Descriptors.NotAccessible);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var artifacts = new ConcurrentBag<(string Name, string Accessor, Location Location)>();
            start.RegisterSymbolAction(symbol => AnalyzeMethod(symbol, artifacts), SymbolKind.Method);
            start.RegisterSymbolAction(AnalyzeType, SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => ReportDuplicates(end, artifacts));
        });
    }

    private static AttributeData? ArtifactAttributeOf(ISymbol symbol) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ArtifactGenerator.AttributeName);

    private static void AnalyzeMethod(SymbolAnalysisContext context, ConcurrentBag<(string, string, Location)> artifacts)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (ArtifactAttributeOf(method) is not { } attribute)
        {
            return;
        }

        var location = method.Locations.FirstOrDefault() ?? Location.None;
        var nameLocation = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is AttributeSyntax { ArgumentList.Arguments.Count: > 0 } syntax
            ? syntax.ArgumentList.Arguments[0].GetLocation()
            : location;
        var name = ArtifactNames.Normalize(attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as string : method.Name);
        if (!ArtifactNames.IsValid(name))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidName, nameLocation,
                $"'{name}' is not a valid artifact name: use 1–200 letters, digits, '-', '_', '.', '/', starting with a letter or digit"));
        }
        else if (ArtifactNames.ToPascalCase(name!) == "Artifacts")
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidName, nameLocation,
                $"The artifact name '{name}' would generate the accessor Artifacts.Artifacts, which C# does not allow: choose another name"));
        }
        else
        {
            artifacts.Add((name!, ArtifactNames.ToPascalCase(name!), nameLocation));
        }

        var returnType = (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken) as MethodDeclarationSyntax)?.ReturnType.GetLocation() ?? location;
        var value = ValueTypeOf(method.ReturnType);
        if (value is null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.ReturnsNothing, returnType, method.Name, method.ReturnType.ToDisplayString()));
        }

        if (method.IsGenericMethod || InGenericType(method))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnsupportedSignature, location,
                $"Artifact method '{method.Name}' is generic or declared in a generic type: an artifact needs one concrete type to save and load"));
        }

        foreach (var parameter in method.Parameters)
        {
            var at = parameter.Locations.FirstOrDefault() ?? location;
            if (parameter.RefKind != RefKind.None)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnsupportedSignature, at,
                    $"Parameter '{parameter.Name}' of artifact method '{method.Name}' is passed by {parameter.RefKind.ToString().ToLowerInvariant()}: GetOrCompute hashes inputs by value, so artifact methods take plain parameters"));
            }
            else if (!MethodParser.IsPassThrough(parameter.Type) && Serializers.Missing(parameter.Type) is { } missing)
            {
                ReportNoSerializer(context, at, missing, $"Parameter '{parameter.Name}' of artifact method '{method.Name}' cannot be hashed by GetOrCompute: {Reason(missing)}");
            }
        }

        if (!method.IsStatic && Serializers.Missing(method.ContainingType) is { } missingInstance)
        {
            ReportNoSerializer(context, location, missingInstance,
                $"Artifact method '{method.Name}' is an instance method, and GetOrCompute hashes the instance as an input: {Reason(missingInstance)}, or make the method static");
        }

        if (value is not null && Serializers.Missing(value) is { } missingValue)
        {
            ReportNoSerializer(context, returnType, missingValue, $"Artifact method '{method.Name}' returns {value.ToDisplayString()}, which Lineage cannot save: {Reason(missingValue)}");
        }

        if (!Parsing.Accessibility.IsReachable(method))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAccessible, location,
                $"Artifact method '{method.Name}' (or a type containing it) is private or protected: the generated accessor Artifacts.* cannot call it; make it internal or public"));
        }
    }

    private static void AnalyzeType(SymbolAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (ArtifactAttributeOf(type) is null || type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "MemoryPack.MemoryPackableAttribute"))
        {
            return;
        }

        var location = type.Locations.FirstOrDefault() ?? Location.None;
        if (type.IsGenericType)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnsupportedSignature, location,
                $"[Artifact] type '{type.Name}' is generic: Lineage generates serializers for concrete types; mark a closed type instead"));
            return;
        }

        if (type.IsAbstract || type.IsStatic || !Parsing.Accessibility.IsReachable(type))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAccessible, location,
                $"[Artifact] type '{type.Name}' is {(type.IsStatic ? "static" : type.IsAbstract ? "abstract" : "private or protected")}: generated code must be able to create it"));
            return;
        }

        var members = TypeParser.SerializedMembers(type, context.CancellationToken);
        if (!type.InstanceConstructors.Any(c => c.DeclaredAccessibility is Microsoft.CodeAnalysis.Accessibility.Public or Microsoft.CodeAnalysis.Accessibility.Internal
                && c.Parameters.All(p => members.Any(m => string.Equals(m.Name, p.Name, System.StringComparison.OrdinalIgnoreCase)))))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAccessible, location,
                $"[Artifact] type '{type.Name}' has no public or internal constructor whose parameters all name its members: generated code cannot create it"));
        }

        foreach (var member in members)
        {
            var memberType = member is IPropertySymbol property ? property.Type : ((IFieldSymbol)member).Type;
            if (Serializers.Missing(memberType) is { } missing)
            {
                var syntax = member.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken);
                var at = syntax switch
                {
                    PropertyDeclarationSyntax p => p.Type.GetLocation(),
                    VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } => declaration.Type.GetLocation(),
                    ParameterSyntax { Type: { } parameterType } => parameterType.GetLocation(),
                    _ => member.Locations.FirstOrDefault() ?? location,
                };
                ReportNoSerializer(context, at, missing, $"Member '{member.Name}' of [Artifact] type '{type.Name}' has type {memberType.ToDisplayString()}, which Lineage cannot serialize: {Reason(missing)}");
            }
        }
    }

    private static void ReportDuplicates(CompilationAnalysisContext context, ConcurrentBag<(string Name, string Accessor, Location Location)> artifacts)
    {
        var ordered = artifacts.OrderBy(a => a.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(a => a.Location.SourceSpan.Start).ToList();
        foreach (var group in ordered.GroupBy(a => a.Accessor))
        {
            var first = group.First();
            foreach (var duplicate in group.Skip(1))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateName, duplicate.Location, new[] { first.Location },
                    duplicate.Name == first.Name
                        ? $"Another method already produces the artifact '{duplicate.Name}': each artifact has one producing method"
                        : $"The artifact names '{first.Name}' and '{duplicate.Name}' both generate the accessor Artifacts.{duplicate.Accessor}: rename one"));
            }
        }
    }

    private static void ReportNoSerializer(SymbolAnalysisContext context, Location location, ITypeSymbol missing, string message) =>
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.NoSerializer, location,
            missing.DeclaringSyntaxReferences.Length > 0
                ? ImmutableDictionary<string, string?>.Empty.Add(Descriptors.FixProperty, missing.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                : ImmutableDictionary<string, string?>.Empty,
            message));

    private static string Reason(ITypeSymbol missing) => missing.DeclaringSyntaxReferences.Length > 0
        ? $"{missing.ToDisplayString()} has no serializer; mark it [Artifact]"
        : $"{missing.ToDisplayString()} has no serializer";

    private static ITypeSymbol? ValueTypeOf(ITypeSymbol returnType)
    {
        if (returnType.SpecialType == SpecialType.System_Void)
        {
            return null;
        }

        if (returnType is INamedTypeSymbol { Name: "Task" or "ValueTask" } task && task.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
        {
            return task.TypeArguments.Length == 1 ? task.TypeArguments[0] : null;
        }

        return returnType;
    }

    private static bool InGenericType(IMethodSymbol method)
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
}

/// <summary>Whether Lineage has a serializer for a type, judged at compile time without false alarms.</summary>
internal static class Serializers
{
    /// <summary>The type (or the type inside it) that has no serializer, or null. Types from other assemblies get the benefit of the doubt.</summary>
    public static ITypeSymbol? Missing(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return Missing(array.ElementType);
            case ITypeParameterSymbol:
                return null;
            case INamedTypeSymbol { SpecialType: SpecialType.System_Object }:
                return type;
            case INamedTypeSymbol named:
                if (named.SpecialType != SpecialType.None || named.TypeKind == TypeKind.Enum || named.TypeKind == TypeKind.Delegate)
                {
                    return named.TypeKind == TypeKind.Delegate ? named : null;
                }

                if (named.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() is ArtifactGenerator.AttributeName or "MemoryPack.MemoryPackableAttribute"))
                {
                    return null;
                }

                if (named.DeclaringSyntaxReferences.Length > 0 && !named.IsTupleType)
                {
                    return named;
                }

                foreach (var argument in named.TypeArguments)
                {
                    if (Missing(argument) is { } inner)
                    {
                        return inner;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
