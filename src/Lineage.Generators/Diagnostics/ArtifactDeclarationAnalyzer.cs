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
            var artifacts = new ConcurrentBag<ArtifactDeclaration>();
            var serializers = KnownSerializers.For(start.Compilation);
            start.RegisterSymbolAction(symbol => AnalyzeMethod(symbol, serializers, artifacts), SymbolKind.Method);
            start.RegisterSymbolAction(symbol => AnalyzeType(symbol, serializers), SymbolKind.NamedType);
            start.RegisterCompilationEndAction(end => ReportDuplicates(end, artifacts));
        });
    }

    /// <summary>An artifact method as LIN0101 compares them: its name, accessor, the method and where its name is written.</summary>
    private sealed record ArtifactDeclaration(string Name, string Accessor, string Method, Location Location);

    private static AttributeData? ArtifactAttributeOf(ISymbol symbol) =>
        symbol.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == ArtifactGenerator.AttributeName);

    private static void AnalyzeMethod(SymbolAnalysisContext context, KnownSerializers serializers, ConcurrentBag<ArtifactDeclaration> artifacts)
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
            artifacts.Add(new ArtifactDeclaration(name!, ArtifactNames.ToPascalCase(name!), $"{method.ContainingType.ToDisplayString()}.{method.Name}", nameLocation));
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
            else if (!MethodParser.IsPassThrough(parameter.Type) && !serializers.IsHashedByContent(parameter.Type) && serializers.Missing(parameter.Type) is { } missing)
            {
                ReportNoSerializer(context, at, missing, $"Parameter '{parameter.Name}' of artifact method '{method.Name}' cannot be hashed by GetOrCompute: {Advice(missing)}");
            }
        }

        if (!method.IsStatic && serializers.Missing(method.ContainingType) is { } missingInstance)
        {
            ReportNoSerializer(context, location, missingInstance,
                $"Artifact method '{method.Name}' is an instance method, and GetOrCompute hashes the instance as an input: {Advice(missingInstance)}, or make the method static");
        }

        if (value is not null && !serializers.IsSavedAsBytes(value) && serializers.Missing(value) is { } missingValue)
        {
            ReportNoSerializer(context, returnType, missingValue, $"Artifact method '{method.Name}' returns {value.ToDisplayString()}, which Lineage cannot save: {Advice(missingValue)}");
        }

        if (!Parsing.Accessibility.IsReachable(method))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.NotAccessible, location,
                $"Artifact method '{method.Name}' (or a type containing it) is private or protected: the generated accessor Artifacts.* cannot call it; make it internal or public"));
        }
    }

    private static void AnalyzeType(SymbolAnalysisContext context, KnownSerializers serializers)
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
            if (serializers.Missing(memberType) is { } missing)
            {
                var syntax = member.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken);
                var at = syntax switch
                {
                    PropertyDeclarationSyntax p => p.Type.GetLocation(),
                    VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } => declaration.Type.GetLocation(),
                    ParameterSyntax { Type: { } parameterType } => parameterType.GetLocation(),
                    _ => member.Locations.FirstOrDefault() ?? location,
                };
                ReportNoSerializer(context, at, missing, $"Member '{member.Name}' of [Artifact] type '{type.Name}' has type {memberType.ToDisplayString()}, which Lineage cannot serialize: {Advice(missing, isMember: true)}");
            }
        }
    }

    // Each duplicate is reported at its own declaration, naming the others: the analyzer cannot tell which one is new.
    private static void ReportDuplicates(CompilationAnalysisContext context, ConcurrentBag<ArtifactDeclaration> artifacts)
    {
        var ordered = artifacts.OrderBy(a => a.Location.SourceTree?.FilePath, System.StringComparer.Ordinal).ThenBy(a => a.Location.SourceSpan.Start).ToList();
        foreach (var group in ordered.GroupBy(a => a.Accessor).Where(g => g.Count() > 1))
        {
            foreach (var artifact in group)
            {
                var others = group.Where(other => !ReferenceEquals(other, artifact)).ToList();
                var message = others.All(other => other.Name == artifact.Name)
                    ? $"The artifact '{artifact.Name}' is also produced by {string.Join(", ", others.Select(other => $"{other.Method} at {Where(other.Location)}"))}: each artifact has one producing method; rename one of them"
                    : $"The artifact name '{artifact.Name}' and {string.Join(", ", others.Select(other => $"'{other.Name}' ({other.Method} at {Where(other.Location)})"))} {(others.Count == 1 ? "both" : "all")} generate the accessor Artifacts.{artifact.Accessor}: rename one";
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateName, artifact.Location, others.Select(other => other.Location), message));
            }
        }
    }

    /// <summary><c>File.cs(line,column)</c>, as build output writes it.</summary>
    private static string Where(Location location)
    {
        var position = location.GetLineSpan();
        return $"{System.IO.Path.GetFileName(position.Path)}({position.StartLinePosition.Line + 1},{position.StartLinePosition.Character + 1})";
    }

    private static void ReportNoSerializer(SymbolAnalysisContext context, Location location, ITypeSymbol missing, string message) =>
        context.ReportDiagnostic(Diagnostic.Create(Descriptors.NoSerializer, location,
            IsMarkable(missing)
                ? ImmutableDictionary<string, string?>.Empty.Add(Descriptors.FixProperty, missing.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
                : ImmutableDictionary<string, string?>.Empty,
            message));

    /// <summary>Why <paramref name="missing"/> cannot be serialized and what to do, fitting what the type is; a member can also be left out.</summary>
    private static string Advice(ITypeSymbol missing, bool isMember = false)
    {
        var name = missing.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString();
        var inSource = missing.DeclaringSyntaxReferences.Length > 0;
        var advice = missing switch
        {
            { SpecialType: SpecialType.System_Object } or IDynamicTypeSymbol => $"{name} does not say what to create when loading; declare a concrete type",
            INamedTypeSymbol { TypeKind: TypeKind.Delegate } => $"{name} is a delegate, which is code, not data",
            INamedTypeSymbol { TypeKind: TypeKind.Interface } or INamedTypeSymbol { IsAbstract: true } => inSource
                ? $"{name} is {Kind(missing)}, so loading could not tell which implementation to create; declare a concrete [Artifact] type, or mark {name} and its implementations [MemoryPackable] with a [MemoryPackUnion] for each implementation"
                : $"{name} is {Kind(missing)}, so loading could not tell which implementation to create; declare a concrete type Lineage can serialize",
            INamedTypeSymbol when inSource => $"{name} has no serializer; mark it [Artifact]",
            INamedTypeSymbol => $"{name} from {missing.ContainingAssembly?.Name} has no serializer; use a type Lineage can serialize (primitives, strings, collections, [Artifact] types), or, if that assembly is yours, mark the type [Artifact] there",
            _ => $"{name} has no serializer",
        };

        return isMember ? advice + ", or leave the member out of the saved value with [IgnoreDataMember]" : advice;
    }

    private static string Kind(ITypeSymbol type) => type.TypeKind == TypeKind.Interface ? "an interface" : "an abstract class";

    /// <summary>Only a class or struct declared in this compilation can take [Artifact], so only then is there a fix.</summary>
    private static bool IsMarkable(ITypeSymbol type) =>
        type.DeclaringSyntaxReferences.Length > 0 && type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsAbstract: false, IsStatic: false };

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
