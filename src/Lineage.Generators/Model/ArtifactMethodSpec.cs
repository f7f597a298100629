namespace Lineage.Generators.Model;

internal enum AsyncKind
{
    None,
    Task,
    ValueTask,
}

/// <summary>A parameter of an artifact method, as the generated <c>GetOrCompute</c> repeats it.</summary>
/// <param name="Name">Parameter name (escaped with @ when a keyword).</param>
/// <param name="Type">Fully qualified type.</param>
/// <param name="DefaultValue">C# text of the default value, when it has one.</param>
/// <param name="IsInput">Hashed as an input of the computation (false for cancellation tokens, loggers, progress).</param>
/// <param name="IsCancellationToken">A <see cref="System.Threading.CancellationToken"/>, passed through to the store.</param>
internal sealed record ParameterSpec(string Name, string Type, string? DefaultValue, bool IsInput, bool IsCancellationToken);

/// <summary>A method marked <c>[Artifact("name")]</c>: everything its accessor needs, including the captured code.</summary>
/// <param name="ReadNames">Artifacts its slice reads, by name (constant store loads, other projects' accessors).</param>
/// <param name="ReadAccessors">This project's accessors its slice reads from (<c>Artifacts.Y.Load()</c>), by accessor name.</param>
internal sealed record ArtifactMethodSpec(
    string ArtifactName,
    string AccessorName,
    string Accessibility,
    string ContainingType,
    string MethodName,
    bool IsStatic,
    string ValueType,
    AsyncKind Async,
    EquatableArray<ParameterSpec> Parameters,
    string CodeVersion,
    string SourceCode,
    string? Description,
    EquatableArray<string> Tags,
    EquatableArray<string> ReadNames,
    EquatableArray<string> ReadAccessors);

/// <summary>What the generated code needs to know about the project being compiled.</summary>
/// <param name="AliasInGlobalNamespace">Emit <c>global using Artifacts = {RootNamespace}.Artifacts;</c> (the name is free in the global namespace).</param>
internal sealed record ProjectSpec(string RootNamespace, string AssemblyName, string AssemblyVersion, string? SourceRevision, bool AliasInGlobalNamespace);

/// <summary>The storage a project states in <c>lineage.json</c> and MSBuild properties (MSBuild wins), compiled into the program.</summary>
internal sealed record ProjectStorageSpec(string? DatabaseUrl, string? ArtifactStorageDir, EquatableArray<string> StorageOptions)
{
    public bool IsEmpty => DatabaseUrl is null && ArtifactStorageDir is null && StorageOptions.Count == 0;
}
