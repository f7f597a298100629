using System.Linq;
using Lineage.Generators.Model;
using Microsoft.CodeAnalysis.CSharp;

namespace Lineage.Generators.Emitting;

/// <summary>Emits <c>Artifacts.{PascalName}</c>: typed Save/Load/Versions, the captured code, and GetOrCompute.</summary>
internal static class AccessorEmitter
{
    /// <summary>The field <c>Artifacts.Graph</c>; an artifact whose accessor is itself named <c>Graph</c> keeps the name, and the field is left out.</summary>
    public const string GraphField = "Graph";

    /// <param name="upstream">The artifacts the method's slice reads, distinct and sorted (ordinal).</param>
    public static void Emit(SourceWriter writer, ArtifactMethodSpec method, ProjectSpec project, System.Collections.Generic.IReadOnlyList<string> upstream)
    {
        var names = new LocalNames(method.Parameters.Select(p => p.Name.TrimStart('@')));
        var store = names.Take("store");
        var resolve = $"({store} ?? global::Lineage.ArtifactStore.Default)";
        var value = method.ValueType;
        var self = $"global::{project.RootNamespace}.Artifacts.{method.AccessorName}";
        var producer = $"{method.ContainingType.Replace("global::", string.Empty)}.{method.MethodName}";

        writer.Line($"/// <summary>The artifact <c>{Xml(method.ArtifactName)}</c>, produced by <c>{Xml(producer)}</c>.{(method.Description is null ? string.Empty : " " + Xml(OneLine(method.Description)))}</summary>");
        writer.Line(SourceWriter.GeneratedCode);
        writer.Open($"{method.Accessibility} static class {method.AccessorName}");
        writer.Line("/// <summary>The artifact's name in the store.</summary>");
        writer.Line($"public const string Name = {Literal(method.ArtifactName)};");
        writer.Line();
        writer.Line("/// <summary>Hash of the normalized code that produces the artifact.</summary>");
        writer.Line($"public const string CodeVersion = {Literal(method.CodeVersion)};");
        writer.Line();
        writer.Line("/// <summary>The producing method and everything it reaches in this compilation, as written.</summary>");
        writer.Line($"public const string SourceCode = {Literal(method.SourceCode)};");
        writer.Line();
        // Before Code, which reads it: static fields initialize in textual order.
        writer.Line("/// <summary>The artifacts this code reads, found by the compiler in its slice (declared lineage): names, sorted.</summary>");
        writer.Line($"public static readonly global::System.Collections.Generic.IReadOnlyList<string> Upstream = {StringList(upstream)};");
        writer.Line();
        writer.Line("/// <summary>The code record stored with every version saved through this accessor.</summary>");
        writer.Line($"public static readonly global::Lineage.ArtifactCode Code = new global::Lineage.ArtifactCode(CodeVersion, SourceCode, {Literal(project.AssemblyName)}, {Literal(project.AssemblyVersion)}, {(project.SourceRevision is null ? "null" : Literal(project.SourceRevision))}) {{ Upstream = {self}.Upstream{(method.Description is null ? string.Empty : ", Description = " + Literal(method.Description))}{(method.Tags.Count == 0 ? string.Empty : ", Tags = " + StringList(method.Tags.ToList()))} }};");
        writer.Line();

        writer.Line("/// <summary>Saves <paramref name=\"value\"/> as the next version, with the producing code.</summary>");
        writer.Line($"public static global::Lineage.ArtifactRecord Save({value} value, global::Lineage.ArtifactStore? {store} = null) => {resolve}.Save({self}.Name, value, {self}.Code);");
        writer.Line();
        writer.Line("/// <summary>Saves <paramref name=\"value\"/> as the next version, with the producing code.</summary>");
        writer.Line($"public static global::System.Threading.Tasks.Task<global::Lineage.ArtifactRecord> SaveAsync({value} value, global::Lineage.ArtifactStore? {store} = null, global::System.Threading.CancellationToken cancellationToken = default) => {resolve}.SaveAsync({self}.Name, value, {self}.Code, cancellationToken);");
        writer.Line();
        writer.Line("/// <summary>Saves <paramref name=\"value\"/> as the next version, with the producing code and a description, tags and metadata.</summary>");
        writer.Line($"public static global::Lineage.ArtifactRecord Save({value} value, global::Lineage.SaveOptions options, global::Lineage.ArtifactStore? {store} = null) => {resolve}.Save({self}.Name, value, {self}.Code, options);");
        writer.Line();
        writer.Line("/// <summary>Saves <paramref name=\"value\"/> as the next version, with the producing code and a description, tags and metadata.</summary>");
        writer.Line($"public static global::System.Threading.Tasks.Task<global::Lineage.ArtifactRecord> SaveAsync({value} value, global::Lineage.SaveOptions options, global::Lineage.ArtifactStore? {store} = null, global::System.Threading.CancellationToken cancellationToken = default) => {resolve}.SaveAsync({self}.Name, value, {self}.Code, options, cancellationToken);");
        writer.Line();
        writer.Line("/// <summary>Loads a version (the latest when <paramref name=\"version\"/> is null).</summary>");
        writer.Line($"public static {value} Load(int? version = null, global::Lineage.ArtifactStore? {store} = null) => {resolve}.Load<{value}>({self}.Name, version);");
        writer.Line();
        writer.Line("/// <summary>Loads the version <paramref name=\"alias\"/> points at (e.g. <c>production</c>).</summary>");
        writer.Line($"public static {value} Load(string alias, global::Lineage.ArtifactStore? {store} = null) => {resolve}.Load<{value}>({self}.Name + \"@\" + alias);");
        writer.Line();
        writer.Line("/// <summary>Loads a version (the latest when <paramref name=\"version\"/> is null).</summary>");
        writer.Line($"public static global::System.Threading.Tasks.Task<{value}> LoadAsync(int? version = null, global::Lineage.ArtifactStore? {store} = null, global::System.Threading.CancellationToken cancellationToken = default) => {resolve}.LoadAsync<{value}>({self}.Name, version, cancellationToken);");
        writer.Line();
        writer.Line("/// <summary>Loads the version <paramref name=\"alias\"/> points at (e.g. <c>production</c>).</summary>");
        writer.Line($"public static global::System.Threading.Tasks.Task<{value}> LoadAsync(string alias, global::Lineage.ArtifactStore? {store} = null, global::System.Threading.CancellationToken cancellationToken = default) => {resolve}.LoadAsync<{value}>({self}.Name + \"@\" + alias, null, cancellationToken);");
        writer.Line();
        writer.Line("/// <summary>The live versions, oldest first.</summary>");
        writer.Line($"public static global::System.Collections.Generic.IReadOnlyList<global::Lineage.ArtifactRecord> Versions(global::Lineage.ArtifactStore? {store} = null) => {resolve}.Versions({self}.Name);");
        writer.Line();

        EmitGetOrCompute(writer, method, names, store, resolve, self);
        writer.Close();
    }

    private static void EmitGetOrCompute(SourceWriter writer, ArtifactMethodSpec method, LocalNames names, string store, string resolve, string self)
    {
        var parameters = method.Parameters.ToList();
        // `params` is dropped: the optional store parameter has to come last.
        var signature = parameters.Select(p => $"{p.Type} {p.Name}{(p.DefaultValue is null ? string.Empty : " = " + p.DefaultValue)}").ToList();
        var arguments = string.Join(", ", parameters.Select(p => p.Name));
        var instance = method.IsStatic ? null : names.Take("instance");
        if (instance is not null)
        {
            signature.Insert(0, $"{method.ContainingType} {instance}");
        }

        signature.Add($"global::Lineage.ArtifactStore? {store} = null");
        var inputs = parameters.Where(p => p.IsInput).Select(p => p.Name).ToList();
        if (instance is not null)
        {
            inputs.Insert(0, instance);
        }

        var hasher = names.Take("hasher");
        var token = parameters.FirstOrDefault(p => p.IsCancellationToken)?.Name;
        var isAsync = method.Async != AsyncKind.None;

        writer.Line("/// <summary>");
        writer.Line("/// Returns the stored value computed by this code version from these inputs; when there is none, runs the method,");
        writer.Line("/// saves the result with its code and inputs, and returns it.");
        writer.Line("/// </summary>");
        writer.Line(isAsync
            ? $"public static async global::System.Threading.Tasks.Task<{method.ValueType}> GetOrComputeAsync({string.Join(", ", signature)})"
            : $"public static {method.ValueType} GetOrCompute({string.Join(", ", signature)})");
        writer.Line("{");
        // The store reads the per-input digests (exact inputs) from the hasher: it lives until the call returns.
        writer.Line($"    using var {hasher} = new global::Lineage.InputHasher();");
        foreach (var input in inputs)
        {
            writer.Line($"    {hasher}.Add({input});");
        }

        writer.Line();
        var call = $"{instance ?? method.ContainingType}.{method.MethodName}({arguments})";
        if (isAsync)
        {
            var task = method.Async == AsyncKind.ValueTask ? $"{call}.AsTask()" : call;
            writer.Line($"    return await {resolve}.GetOrComputeAsync<{method.ValueType}>({self}.Name, {self}.Code, {hasher}, _ => {task}, {token ?? "default"}).ConfigureAwait(false);");
        }
        else
        {
            writer.Line($"    return {resolve}.GetOrCompute<{method.ValueType}>({self}.Name, {self}.Code, {hasher}, () => {call});");
        }

        writer.Line("}");
    }

    /// <summary>
    /// <c>Artifacts.Graph</c>: every artifact of the project with the artifacts its code reads. Built from the accessors'
    /// own <c>Name</c> and <c>Upstream</c>, so the graph and the accessors cannot disagree.
    /// </summary>
    public static void EmitGraph(SourceWriter writer, System.Collections.Generic.IReadOnlyList<ArtifactMethodSpec> methods, ProjectSpec project)
    {
        writer.Line("/// <summary>The project's declared lineage: each artifact it produces and the artifacts its code reads, found at compile time.</summary>");
        writer.Line($"public static readonly global::Lineage.DeclaredGraph {GraphField} = new global::Lineage.DeclaredGraph(new (string Name, global::System.Collections.Generic.IReadOnlyList<string> Upstream)[]");
        writer.Line("{");
        foreach (var method in methods)
        {
            var accessor = $"global::{project.RootNamespace}.Artifacts.{method.AccessorName}";
            writer.Line($"    ({accessor}.Name, {accessor}.Upstream),");
        }

        writer.Line("});");
    }

    private static string StringList(System.Collections.Generic.IReadOnlyList<string> items) =>
        items.Count == 0
            ? "global::System.Array.Empty<string>()"
            : $"global::System.Array.AsReadOnly(new string[] {{ {string.Join(", ", items.Select(Literal))} }})";

    private static readonly char[] LineBreaks = ['\r', '\n'];

    private static string OneLine(string text) => string.Join(" ", text.Split(LineBreaks, System.StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()));

    private static string Literal(string text) => SymbolDisplay.FormatLiteral(text, quote: true);

    /// <summary>Names for generated locals and parameters that do not clash with the method's own parameters.</summary>
    private sealed class LocalNames(System.Collections.Generic.IEnumerable<string> taken)
    {
        private readonly System.Collections.Generic.HashSet<string> _taken = new(taken);

        public string Take(string preferred)
        {
            var name = preferred;
            for (var i = 1; !_taken.Add(name); i++)
            {
                name = preferred + i;
            }

            return name;
        }
    }

    private static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");
}
