using System.Collections.Immutable;
using System.Linq;
using Lineage.Generators.Configuration;
using Lineage.Generators.Emitting;
using Lineage.Generators.Model;
using Lineage.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lineage.Generators;

/// <summary>
/// <c>[Artifact]</c> on a type → a MemoryPack formatter and its schema fingerprint, registered at start-up.
/// <c>[Artifact("name")]</c> on a method → <c>{RootNamespace}.Artifacts.{PascalName}</c> with the method's code slice,
/// and a global alias so that top-level statements (in the global namespace) see <c>Artifacts</c> too.
/// Pipeline: attribute → parser → equatable spec → emitter; nothing symbolic crosses a step boundary.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ArtifactGenerator : IIncrementalGenerator
{
    public const string AttributeName = "Lineage.ArtifactAttribute";

    /// <summary>lineage.json (an invalid file states nothing: LIN0007 reports it), overridden by the MSBuild properties.</summary>
    private static ProjectStorageSpec ProjectStorage(ImmutableArray<string> files, string? databaseUrl, string? storageDir)
    {
        string? fileDatabase = null, fileStorage = null;
        var options = new System.Collections.Generic.List<string>();
        foreach (var text in files)
        {
            try
            {
                var file = ProjectStorageFile.Read(text);
                fileDatabase = ProjectStorageFile.StringOf(file.DatabaseUrl) ?? fileDatabase;
                fileStorage = ProjectStorageFile.StringOf(file.ArtifactStorageDir) ?? fileStorage;
                options.AddRange(file.OptionPairs());
            }
            catch (JsonSyntaxException)
            {
            }
        }

        return new ProjectStorageSpec(databaseUrl ?? fileDatabase, storageDir ?? fileStorage, options.ToEquatableArray());
    }

    /// <summary>
    /// The artifacts a method's slice reads: names it states, and this project's accessors it calls, resolved to their
    /// artifacts here because the accessors are known only once every method is (an unknown accessor is not an artifact).
    /// </summary>
    private static System.Collections.Generic.List<string> Upstream(ArtifactMethodSpec method, System.Collections.Generic.Dictionary<string, string> artifactByAccessor) =>
        method.ReadNames
            .Concat(method.ReadAccessors.Where(artifactByAccessor.ContainsKey).Select(accessor => artifactByAccessor[accessor]))
            .Distinct(System.StringComparer.Ordinal)
            .OrderBy(name => name, System.StringComparer.Ordinal)
            .ToList();

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Not ForAttributeWithMetadataName: it binds every declaration's attributes again in each new compilation, before
        // anything can be reused; the parsers bind a declaration only when its spec cannot be reused (ArtifactTargets).
        var types = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is TypeDeclarationSyntax { AttributeLists.Count: > 0 },
                static (context, cancellationToken) => TypeParser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.TypeDeclarations)
            .Where(static spec => spec is { UsesMemoryPackable: false, IsAccessible: true })
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Types);

        var methods = context.SyntaxProvider
            .CreateSyntaxProvider(
                static (node, _) => node is MethodDeclarationSyntax { AttributeLists.Count: > 0 },
                static (context, cancellationToken) => MethodParser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.MethodDeclarations)
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Methods);

        var project = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => (
                RootNamespace: options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var root) && root.Length > 0 ? root : null,
                SourceRevision: options.GlobalOptions.TryGetValue("build_property.SourceRevisionId", out var revision) && revision.Length > 0 ? revision : null))
            .Combine(context.CompilationProvider.Select(static (compilation, _) => (
                AssemblyName: compilation.AssemblyName ?? "Artifacts",
                AssemblyVersion: compilation.Assembly.Identity.Version.ToString(),
                // An alias named like something in the global namespace would not compile (CS0576).
                GlobalNameTaken: compilation.GlobalNamespace.GetMembers("Artifacts").Any())))
            .Select(static (pair, _) => new ProjectSpec(pair.Left.RootNamespace ?? pair.Right.AssemblyName, pair.Right.AssemblyName, pair.Right.AssemblyVersion,
                pair.Left.SourceRevision, AliasInGlobalNamespace: !pair.Right.GlobalNameTaken))
            .WithTrackingName(TrackingNames.Project);

        var projectStorage = context.AdditionalTextsProvider
            .Where(static file => string.Equals(System.IO.Path.GetFileName(file.Path), ProjectStorageFile.FileName, System.StringComparison.OrdinalIgnoreCase))
            .Select(static (file, cancellationToken) => file.GetText(cancellationToken)?.ToString() ?? string.Empty)
            .Collect()
            .Combine(context.AnalyzerConfigOptionsProvider.Select(static (options, _) => (
                DatabaseUrl: options.GlobalOptions.TryGetValue("build_property.LineageDatabaseUrl", out var url) && url.Length > 0 ? url : null,
                StorageDir: options.GlobalOptions.TryGetValue("build_property.LineageArtifactStorageDir", out var dir) && dir.Length > 0 ? dir : null)))
            .Select(static (input, _) => ProjectStorage(input.Left, input.Right.DatabaseUrl, input.Right.StorageDir))
            .WithTrackingName(TrackingNames.ProjectStorage);

        context.RegisterSourceOutput(projectStorage, static (output, storage) =>
        {
            if (storage.IsEmpty)
            {
                return;
            }

            static string Literal(string? text) => text is null ? "null" : Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(text, quote: true);
            var options = storage.StorageOptions.Count == 0 ? "null" : "new string[] { " + string.Join(", ", storage.StorageOptions.Select(Literal)) + " }";
            var writer = new SourceWriter().Header();
            writer.Line("// The project's storage from lineage.json and MSBuild properties: the program's defaults at run time.");
            writer.Line($"[assembly: global::Lineage.GeneratedProjectStorage({Literal(storage.DatabaseUrl)}, {Literal(storage.ArtifactStorageDir)}, {options})]");
            output.AddSource("Lineage.ProjectStorage.g.cs", writer.ToString());
        });

        context.RegisterSourceOutput(types.Collect().WithTrackingName(TrackingNames.AllTypes), static (output, types) =>
        {
            if (types.IsEmpty)
            {
                return;
            }

            var writer = new SourceWriter().Header();
            foreach (var type in types.OrderBy(t => t.FullName, System.StringComparer.Ordinal))
            {
                FormatterEmitter.Emit(writer, type);
                writer.Line();
            }

            FormatterEmitter.EmitRegistrations(writer, types.OrderBy(t => t.FullName, System.StringComparer.Ordinal).ToList());
            output.AddSource("Lineage.ArtifactTypes.g.cs", writer.ToString());
        });

        context.RegisterSourceOutput(methods.Collect().Combine(project).WithTrackingName(TrackingNames.Accessors), static (output, input) =>
        {
            var (methods, project) = input;
            if (methods.IsEmpty)
            {
                return;
            }

            // Two artifacts with one generated name are an error the analyzer reports; the first one wins here.
            var distinct = methods.GroupBy(m => m.AccessorName).Select(g => g.OrderBy(m => m.ArtifactName, System.StringComparer.Ordinal).First())
                .OrderBy(m => m.AccessorName, System.StringComparer.Ordinal).ToList();
            var artifactByAccessor = distinct.ToDictionary(m => m.AccessorName, m => m.ArtifactName, System.StringComparer.Ordinal);
            var writer = new SourceWriter().Header();
            if (project.AliasInGlobalNamespace)
            {
                writer.Line("// Top-level statements are in the global namespace, outside the root namespace: this alias lets them, and every file, write Artifacts.X.");
                writer.Line($"global using Artifacts = global::{project.RootNamespace}.Artifacts;").Line();
            }

            writer.Line($"namespace {project.RootNamespace};").Line();
            writer.Line("/// <summary>Typed accessors for the artifacts this project produces.</summary>");
            writer.Line(SourceWriter.GeneratedCode);
            writer.Open("public static partial class Artifacts");
            if (!artifactByAccessor.ContainsKey(AccessorEmitter.GraphField))
            {
                AccessorEmitter.EmitGraph(writer, distinct, project);
                writer.Line();
            }

            foreach (var method in distinct)
            {
                AccessorEmitter.Emit(writer, method, project, Upstream(method, artifactByAccessor));
                writer.Line();
            }

            writer.Close();
            output.AddSource("Lineage.Artifacts.g.cs", writer.ToString());
        });
    }
}

/// <summary>Step names tests use to check what an edit re-ran.</summary>
public static class TrackingNames
{
    public const string TypeDeclarations = "AttributedTypeDeclarations";
    public const string MethodDeclarations = "AttributedMethodDeclarations";
    public const string Types = "ArtifactTypes";
    public const string Methods = "ArtifactMethods";
    public const string Project = "Project";
    public const string AllTypes = "AllArtifactTypes";
    public const string Accessors = "ArtifactAccessors";
    public const string ProjectStorage = "ProjectStorage";
}
