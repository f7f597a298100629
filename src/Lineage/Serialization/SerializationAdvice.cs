using System.Reflection;

namespace Lineage.Serialization;

/// <summary>What to do about a value MemoryPack cannot format, worded for the type at hand (one text for saves and inputs).</summary>
internal static class SerializationAdvice
{
    public static string For(Type type)
    {
        // The type itself may be fine ([Artifact] already) and one of its members not: advising [Artifact] again would mislead.
        var marked = type.GetCustomAttribute<ArtifactAttribute>() is not null
            || type.GetCustomAttributes().Any(a => a.GetType().FullName == "MemoryPack.MemoryPackableAttribute");
        var forType = type.IsInterface || type.IsAbstract
            ? $"{TypeNames.Of(type)} is an interface or abstract type: use a concrete type, or on an interface of your own [MemoryPackable] with [MemoryPackUnion] for each implementation."
            : marked
                ? $"{TypeNames.Of(type)} is serializable, but one of its members is not (an interface, an abstract type, or a class from another assembly): give the member a concrete serializable type, or leave it out with [IgnoreDataMember]."
                : $"Mark {TypeNames.Of(type)} [Artifact] if it is your own type; otherwise use a serializable type.";
        return forType + " The compiler reports such members as LIN0104.";
    }
}
