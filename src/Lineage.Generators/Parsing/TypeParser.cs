using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Lineage.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Parsing;

/// <summary>Turns an <c>[Artifact]</c> type symbol into an <see cref="ArtifactTypeSpec"/>.</summary>
internal static class TypeParser
{
    /// <summary>
    /// The spec of an attributed type declaration, or null when it is not an <c>[Artifact]</c> type or cannot have a formatter;
    /// reused while valid (<see cref="SpecCache"/>): it reads declarations only.
    /// </summary>
    public static ArtifactTypeSpec? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken) =>
        SpecCache.GetOrParse<ArtifactTypeSpec>(context.SemanticModel.Compilation, context.Node, SpecCache.TypeKind, () =>
            (ArtifactTargets.Resolve(context.SemanticModel, context.Node, cancellationToken) is { Symbol: INamedTypeSymbol type } ? Parse(type, cancellationToken) : null,
                (IReadOnlyList<SyntaxTree>)[context.Node.SyntaxTree]));

    public static ArtifactTypeSpec? Parse(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        if (type.IsStatic || type.IsAbstract || type.IsGenericType || type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return null;
        }

        var members = SerializedMembers(type, cancellationToken);
        var constructor = ChooseConstructor(type, members);
        if (constructor is null)
        {
            return null;
        }

        var parameterOf = constructor.Parameters.ToDictionary(
            p => members.First(m => string.Equals(m.Name, p.Name, System.StringComparison.OrdinalIgnoreCase)).Name);
        var byParameter = constructor.Parameters.Select(p => parameterOf.First(pair => SymbolEqualityComparer.Default.Equals(pair.Value, p)).Key).ToArray();
        var specs = members.Select(m => Member(m, parameterOf.TryGetValue(m.Name, out var parameter) ? parameter : null)).ToArray();

        return new ArtifactTypeSpec(
            FullName: type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            FormatterName: FormatterNameOf(type),
            IsValueType: type.IsValueType,
            UsesMemoryPackable: type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "MemoryPack.MemoryPackableAttribute"),
            Members: specs.ToEquatableArray(),
            ConstructorMembers: byParameter.ToEquatableArray(),
            IsAccessible: Accessibility.IsReachable(type) && constructor.DeclaredAccessibility is Microsoft.CodeAnalysis.Accessibility.Public or Microsoft.CodeAnalysis.Accessibility.Internal);
    }

    /// <summary>Public instance fields and properties that can be both read and given back, in declaration order.</summary>
    internal static List<ISymbol> SerializedMembers(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var parameterNames = new HashSet<string>(
            type.InstanceConstructors.SelectMany(c => c.Parameters).Select(p => p.Name.ToLowerInvariant()));
        var members = new List<ISymbol>();
        foreach (var member in type.GetMembers())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (member.IsStatic || member.IsImplicitlyDeclared || member.DeclaredAccessibility != Microsoft.CodeAnalysis.Accessibility.Public)
            {
                continue;
            }

            var settable = member switch
            {
                IPropertySymbol { IsIndexer: false, GetMethod: not null } property =>
                    property.SetMethod is { DeclaredAccessibility: Microsoft.CodeAnalysis.Accessibility.Public } || parameterNames.Contains(property.Name.ToLowerInvariant()),
                IFieldSymbol { IsConst: false } field => !field.IsReadOnly || parameterNames.Contains(field.Name.ToLowerInvariant()),
                _ => false,
            };

            if (settable && !member.GetAttributes().Any(a => a.AttributeClass?.Name is "IgnoreDataMemberAttribute" or "MemoryPackIgnoreAttribute"))
            {
                members.Add(member);
            }
        }

        return members;
    }

    /// <summary>The public constructor whose parameters all name members, with the most parameters (a record's primary one).</summary>
    private static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type, List<ISymbol> members) =>
        type.InstanceConstructors
            .Where(c => c.DeclaredAccessibility is Microsoft.CodeAnalysis.Accessibility.Public or Microsoft.CodeAnalysis.Accessibility.Internal)
            .Where(c => !(c.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type, type)))
            .Where(c => c.Parameters.All(p => members.Any(m => string.Equals(m.Name, p.Name, System.StringComparison.OrdinalIgnoreCase))))
            .OrderByDescending(c => c.Parameters.Length)
            .FirstOrDefault();

    private static MemberSpec Member(ISymbol member, IParameterSymbol? constructorParameter)
    {
        var (type, initOnly, required) = member switch
        {
            IPropertySymbol property => (property.Type, property.IsRequired || property.SetMethod is null || property.SetMethod.IsInitOnly, property.IsRequired),
            IFieldSymbol field => (field.Type, field.IsRequired || field.IsReadOnly, field.IsRequired),
            _ => throw new System.ArgumentException("Not a field or property.", nameof(member)),
        };
        var encoding = EncodingOf(type, out var element);
        return new MemberSpec(
            Name: member.Name,
            Type: type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier)),
            SchemaType: type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(),
            Encoding: encoding,
            ElementType: element,
            InitOnly: initOnly,
            Required: required,
            MissingValue: constructorParameter is { HasExplicitDefaultValue: true } ? Literals.DefaultValueOf(constructorParameter) : "default",
            NeedsSuppression: type.IsReferenceType && type.NullableAnnotation != NullableAnnotation.Annotated);
    }

    internal static MemberEncoding EncodingOf(ITypeSymbol type, out string? elementType)
    {
        elementType = null;
        if (type.SpecialType == SpecialType.System_String)
        {
            return MemberEncoding.String;
        }

        if (IsPlainUnmanaged(type))
        {
            return MemberEncoding.Unmanaged;
        }

        if (type is IArrayTypeSymbol { Rank: 1 } array && IsPlainUnmanaged(array.ElementType))
        {
            elementType = array.ElementType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            return MemberEncoding.UnmanagedArray;
        }

        return MemberEncoding.Value;
    }

    // Blittable and not an [Artifact] struct (those keep their own, version-tolerant formatter) nor Nullable<T>.
    private static bool IsPlainUnmanaged(ITypeSymbol type) =>
        type.IsUnmanagedType
        && type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T
        && !type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "Lineage.ArtifactAttribute");

    /// <summary>A readable class name plus a hash of the full name, so <c>A.B.C</c> and <c>A.B_C</c> cannot collide.</summary>
    private static string FormatterNameOf(INamedTypeSymbol type)
    {
        var name = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", string.Empty);
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return new string(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray()) + "_" + hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) + "_LineageFormatter";
    }
}
