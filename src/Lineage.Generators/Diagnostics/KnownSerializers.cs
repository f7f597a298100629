using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Diagnostics;

/// <summary>
/// Whether Lineage has a serializer for a type, judged at compile time: the types MemoryPack formats on its own, types
/// with a generated formatter (<c>[Artifact]</c>, <c>[MemoryPackable]</c>), and unmanaged structs from other assemblies.
/// Symbols are resolved once per compilation.
/// </summary>
internal sealed class KnownSerializers
{
    /// <summary>
    /// MemoryPackFormatterProvider's built-in formatters (MemoryPack.Core 1.21), by metadata name: the well-known types and
    /// the generic types and interfaces it closes at run time. Unmanaged structs, enums and primitives need no entry.
    /// </summary>
    internal static readonly string[] MemoryPackTypes =
    [
        "System.Version", "System.Uri", "System.TimeZoneInfo", "System.Numerics.BigInteger", "System.Collections.BitArray",
        "System.Text.StringBuilder", "System.Type", "System.Globalization.CultureInfo",
        "System.Collections.Generic.KeyValuePair`2", "System.Lazy`1", "System.Nullable`1",
        "System.Tuple`1", "System.Tuple`2", "System.Tuple`3", "System.Tuple`4", "System.Tuple`5", "System.Tuple`6", "System.Tuple`7", "System.Tuple`8",
        "System.ValueTuple`1", "System.ValueTuple`2", "System.ValueTuple`3", "System.ValueTuple`4", "System.ValueTuple`5", "System.ValueTuple`6", "System.ValueTuple`7", "System.ValueTuple`8",
        "System.ArraySegment`1", "System.Memory`1", "System.ReadOnlyMemory`1", "System.Buffers.ReadOnlySequence`1",
        "System.Collections.Generic.List`1", "System.Collections.Generic.Stack`1", "System.Collections.Generic.Queue`1",
        "System.Collections.Generic.LinkedList`1", "System.Collections.Generic.HashSet`1", "System.Collections.Generic.SortedSet`1",
        "System.Collections.Generic.PriorityQueue`2", "System.Collections.ObjectModel.ObservableCollection`1",
        "System.Collections.ObjectModel.Collection`1", "System.Collections.Concurrent.ConcurrentQueue`1",
        "System.Collections.Concurrent.ConcurrentStack`1", "System.Collections.Concurrent.ConcurrentBag`1",
        "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.SortedDictionary`2", "System.Collections.Generic.SortedList`2",
        "System.Collections.Concurrent.ConcurrentDictionary`2", "System.Collections.ObjectModel.ReadOnlyCollection`1",
        "System.Collections.ObjectModel.ReadOnlyObservableCollection`1", "System.Collections.Concurrent.BlockingCollection`1",
        "System.Collections.Immutable.ImmutableArray`1", "System.Collections.Immutable.ImmutableList`1", "System.Collections.Immutable.ImmutableQueue`1",
        "System.Collections.Immutable.ImmutableStack`1", "System.Collections.Immutable.ImmutableDictionary`2",
        "System.Collections.Immutable.ImmutableSortedDictionary`2", "System.Collections.Immutable.ImmutableSortedSet`1",
        "System.Collections.Immutable.ImmutableHashSet`1", "System.Collections.Immutable.IImmutableList`1", "System.Collections.Immutable.IImmutableQueue`1",
        "System.Collections.Immutable.IImmutableStack`1", "System.Collections.Immutable.IImmutableDictionary`2", "System.Collections.Immutable.IImmutableSet`1",
        "System.Collections.Frozen.FrozenDictionary`2", "System.Collections.Frozen.FrozenSet`1",
        "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.ICollection`1", "System.Collections.Generic.IReadOnlyCollection`1",
        "System.Collections.Generic.IList`1", "System.Collections.Generic.IReadOnlyList`1", "System.Collections.Generic.IDictionary`2",
        "System.Collections.Generic.IReadOnlyDictionary`2", "System.Linq.ILookup`2", "System.Linq.IGrouping`2",
        "System.Collections.Generic.ISet`1", "System.Collections.Generic.IReadOnlySet`1",
    ];

    private readonly HashSet<INamedTypeSymbol> _memoryPackTypes;
    private readonly HashSet<INamedTypeSymbol> _formatterAttributes;
    private readonly INamedTypeSymbol? _formatterRegister;
    private readonly INamedTypeSymbol? _stream;
    private readonly INamedTypeSymbol? _file;

    private KnownSerializers(Compilation compilation, HashSet<INamedTypeSymbol> memoryPackTypes, HashSet<INamedTypeSymbol> formatterAttributes)
    {
        _memoryPackTypes = memoryPackTypes;
        _formatterAttributes = formatterAttributes;
        _formatterRegister = compilation.GetTypeByMetadataName("MemoryPack.IMemoryPackFormatterRegister");
        _stream = compilation.GetTypeByMetadataName("System.IO.Stream");
        _file = compilation.GetTypeByMetadataName("System.IO.FileInfo");
    }

    public static KnownSerializers For(Compilation compilation)
    {
        HashSet<INamedTypeSymbol> Resolve(IEnumerable<string> names) =>
            new(names.SelectMany(name => compilation.GetTypesByMetadataName(name)), SymbolEqualityComparer.Default);

        return new KnownSerializers(compilation, Resolve(MemoryPackTypes), Resolve([ArtifactGenerator.AttributeName, "MemoryPack.MemoryPackableAttribute"]));
    }

    /// <summary>A value the store saves as its bytes (ValueSerializer.Plan): a stream or a file.</summary>
    public bool IsSavedAsBytes(ITypeSymbol type) => DerivesFrom(type, _stream) || DerivesFrom(type, _file);

    /// <summary>An input InputHasher hashes by its file's content.</summary>
    public bool IsHashedByContent(ITypeSymbol type) => DerivesFrom(type, _file);

    /// <summary>The type (or the type inside it: an element, a key, a type argument) that has no serializer, or null.</summary>
    public ITypeSymbol? Missing(ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return array.Rank <= 4 ? Missing(array.ElementType) : array;
            case ITypeParameterSymbol:
                return null;
            case INamedTypeSymbol { TypeKind: TypeKind.Error or TypeKind.Enum }:
                return null;
            case INamedTypeSymbol { TypeKind: TypeKind.Delegate } named:
                return named;
            case INamedTypeSymbol named:
                if (IsPrimitive(named) || HasGeneratedFormatter(named))
                {
                    return null;
                }

                if (named.IsTupleType || _memoryPackTypes.Contains(named.OriginalDefinition))
                {
                    return named.TypeArguments.Select(Missing).FirstOrDefault(inner => inner is not null);
                }

                // A struct of one's own gets a version-tolerant formatter only through [Artifact]; MemoryPack copies
                // other assemblies' unmanaged structs byte for byte.
                if (named.DeclaringSyntaxReferences.Length == 0 && named.IsUnmanagedType)
                {
                    return null;
                }

                return named;
            default:
                // dynamic, pointers: nothing MemoryPack can read back.
                return type;
        }
    }

    private static bool IsPrimitive(INamedTypeSymbol type) => type.SpecialType is SpecialType.System_Boolean or SpecialType.System_Char
        or SpecialType.System_SByte or SpecialType.System_Byte or SpecialType.System_Int16 or SpecialType.System_UInt16
        or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
        or SpecialType.System_Decimal or SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_String
        or SpecialType.System_IntPtr or SpecialType.System_UIntPtr or SpecialType.System_DateTime;

    private static bool DerivesFrom(ITypeSymbol type, INamedTypeSymbol? baseType)
    {
        for (var current = type; baseType is not null && current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private bool HasGeneratedFormatter(INamedTypeSymbol type) =>
        type.GetAttributes().Any(a => a.AttributeClass is { } attribute && _formatterAttributes.Contains(attribute))
        || (_formatterRegister is not null && type.AllInterfaces.Contains(_formatterRegister, SymbolEqualityComparer.Default));
}
