namespace Lineage;

/// <summary>
/// Marks a type whose values Lineage serializes (a MemoryPack formatter is generated for it), or a method that
/// produces the named artifact (a typed accessor <c>Artifacts.{PascalName}</c> is generated, carrying the method's
/// source code and a version hash of it).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ArtifactAttribute : Attribute
{
    /// <summary>Marks a type, or a method whose artifact is named after it.</summary>
    public ArtifactAttribute()
    {
    }

    /// <summary>Marks a method producing the artifact <paramref name="name"/> (e.g. <c>"iris-model"</c> → <c>Artifacts.IrisModel</c>).</summary>
    public ArtifactAttribute(string name) => Name = name;

    /// <summary>The artifact's name, for methods.</summary>
    public string? Name { get; }

    /// <summary>What the artifact is, for people; on a method, recorded with every version its accessor saves (unless the save gives its own).</summary>
    public string? Description { get; set; }

    /// <summary>On a method: tags recorded with every version its accessor saves, besides those the save gives.</summary>
    public string[]? Tags { get; set; }
}
