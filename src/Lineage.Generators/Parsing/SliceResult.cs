using Lineage.Generators.Model;

namespace Lineage.Generators.Parsing;

/// <summary>What slicing an artifact method yields.</summary>
/// <param name="SourceCode">The slice as written.</param>
/// <param name="CodeVersion">The hash of its tokens and of what else decides the value.</param>
/// <param name="ReadNames">Artifact names the slice reads, known at compile time (store loads with a constant name, bound accessors).</param>
/// <param name="ReadAccessors">Accessor names of <c>Artifacts.Y.Load(...)</c>-like calls that do not bind (this project's own, generated later): resolved against the project's artifacts when emitting.</param>
internal sealed record SliceResult(string SourceCode, string CodeVersion, EquatableArray<string> ReadNames, EquatableArray<string> ReadAccessors);
