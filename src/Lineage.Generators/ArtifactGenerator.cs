using System.Collections.Immutable;
using System.Linq;
using Lineage.Generators.Emitting;
using Lineage.Generators.Model;
using Lineage.Generators.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lineage.Generators;

/// <summary>
/// <c>[Artifact]</c> on a type → a MemoryPack formatter and its schema fingerprint, registered at start-up.
/// <c>[Artifact("name")]</c> on a method → <c>{RootNamespace}.Artifacts.{PascalName}</c> with the method's code slice.
/// Pipeline: attribute → parser → equatable spec → emitter; nothing symbolic crosses a step boundary.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ArtifactGenerator : IIncrementalGenerator
{
    public const string AttributeName = "Lineage.ArtifactAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var types = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeName,
                static (node, _) => node is TypeDeclarationSyntax,
                static (context, cancellationToken) => TypeParser.Parse((INamedTypeSymbol)context.TargetSymbol, cancellationToken))
            .Where(static spec => spec is { UsesMemoryPackable: false, IsAccessible: true })
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Types);

        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                static (context, cancellationToken) => MethodParser.Parse(context, cancellationToken))
            .Where(static spec => spec is not null)
            .Select(static (spec, _) => spec!)
            .WithTrackingName(TrackingNames.Methods);

        var project = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => (
                RootNamespace: options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var root) && root.Length > 0 ? root : null,
                SourceRevision: options.GlobalOptions.TryGetValue("build_property.SourceRevisionId", out var revision) && revision.Length > 0 ? revision : null))
            .Combine(context.CompilationProvider.Select(static (compilation, _) => (
                compilation.AssemblyName ?? "Artifacts",
                compilation.Assembly.Identity.Version.ToString())))
            .Select(static (pair, _) => new ProjectSpec(pair.Left.RootNamespace ?? pair.Right.Item1, pair.Right.Item1, pair.Right.Item2, pair.Left.SourceRevision))
            .WithTrackingName(TrackingNames.Project);

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
            var distinct = methods.GroupBy(m => m.AccessorName).Select(g => g.OrderBy(m => m.ArtifactName, System.StringComparer.Ordinal).First());
            var writer = new SourceWriter().Header();
            writer.Line($"namespace {project.RootNamespace};").Line();
            writer.Line("/// <summary>Typed accessors for the artifacts this project produces.</summary>");
            writer.Line(SourceWriter.GeneratedCode);
            writer.Open("public static partial class Artifacts");
            foreach (var method in distinct.OrderBy(m => m.AccessorName, System.StringComparer.Ordinal))
            {
                AccessorEmitter.Emit(writer, method, project);
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
    public const string Types = "ArtifactTypes";
    public const string Methods = "ArtifactMethods";
    public const string Project = "Project";
    public const string AllTypes = "AllArtifactTypes";
    public const string Accessors = "ArtifactAccessors";
}
