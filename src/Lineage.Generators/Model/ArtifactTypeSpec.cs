namespace Lineage.Generators.Model;

/// <summary>How a member is written and read: the cheapest MemoryPack call that fits its type.</summary>
internal enum MemberEncoding
{
    /// <summary>Blittable value: <c>WriteUnmanaged</c>/<c>ReadUnmanaged</c>.</summary>
    Unmanaged,

    /// <summary><c>WriteString</c>/<c>ReadString</c>.</summary>
    String,

    /// <summary>Array of blittable values: <c>WriteUnmanagedArray</c>/<c>ReadUnmanagedArray</c>.</summary>
    UnmanagedArray,

    /// <summary>Anything else, through its registered formatter: <c>WriteValue</c>/<c>ReadValue</c>.</summary>
    Value,
}

/// <summary>One serialized member of an <c>[Artifact]</c> type, in serialization order.</summary>
/// <param name="Name">Member name.</param>
/// <param name="Type">Fully qualified type (<c>global::…</c>), with nullable annotations.</param>
/// <param name="SchemaType">The type as recorded in the schema fingerprint.</param>
/// <param name="Encoding">How it is written.</param>
/// <param name="ElementType">Element type for <see cref="MemberEncoding.UnmanagedArray"/>.</param>
/// <param name="InitOnly">Set in the object initializer (init-only or required) rather than assigned afterwards.</param>
/// <param name="Required">A <c>required</c> member: always in the object initializer, even when the data lacks it.</param>
/// <param name="MissingValue">What it gets when the data was saved before it existed: its constructor parameter's default, or <c>default</c>.</param>
/// <param name="NeedsSuppression">The declared type is a non-nullable reference: a value read or defaulted is assigned with <c>!</c>.</param>
internal sealed record MemberSpec(string Name, string Type, string SchemaType, MemberEncoding Encoding, string? ElementType, bool InitOnly, bool Required, string MissingValue, bool NeedsSuppression);

/// <summary>An <c>[Artifact]</c> type and how to construct it.</summary>
/// <param name="FullName">Fully qualified name (<c>global::Ns.Outer.Inner</c>).</param>
/// <param name="FormatterName">Name of the generated formatter class.</param>
/// <param name="IsValueType">Struct or record struct.</param>
/// <param name="UsesMemoryPackable">Also <c>[MemoryPackable]</c>: MemoryPack's own formatter is used, nothing is generated.</param>
/// <param name="Members">Serialized members, in declaration order.</param>
/// <param name="ConstructorMembers">Members passed to the constructor, in parameter order (empty: parameterless).</param>
/// <param name="IsAccessible">Generated code can reach the type and its members.</param>
internal sealed record ArtifactTypeSpec(
    string FullName,
    string FormatterName,
    bool IsValueType,
    bool UsesMemoryPackable,
    EquatableArray<MemberSpec> Members,
    EquatableArray<string> ConstructorMembers,
    bool IsAccessible);
