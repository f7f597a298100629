using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Lineage.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lineage.CodeFixes;

/// <summary>LIN0104: marks the type that has no serializer with <c>[Artifact]</c>, wherever it is declared in the solution.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddArtifactFix))]
[Shared]
public sealed class AddArtifactFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.NoSerializer.Id);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var compilation = await context.Document.Project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (compilation is null || !diagnostic.Properties.TryGetValue(Descriptors.FixProperty, out var typeName) || typeName is null)
            {
                continue;
            }

            var simpleName = typeName.Replace("global::", string.Empty).Split('.').Last();
            var type = compilation.GetSymbolsWithName(simpleName, SymbolFilter.Type, context.CancellationToken)
                .OfType<INamedTypeSymbol>()
                .FirstOrDefault(t => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) == typeName);
            if (type?.DeclaringSyntaxReferences.FirstOrDefault() is not { } declaration)
            {
                continue;
            }

            var title = $"Mark '{type.Name}' [Artifact]";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => AddAttributeAsync(context.Document.Project.Solution, declaration, cancellationToken), title),
                diagnostic);
        }
    }

    private static async Task<Solution> AddAttributeAsync(Solution solution, SyntaxReference declaration, System.Threading.CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(declaration.SyntaxTree);
        if (document is null || await declaration.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is not TypeDeclarationSyntax type
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root)
        {
            return solution;
        }

        var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("Artifact"))))
            .WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
        var marked = type.WithAttributeLists(type.AttributeLists.Insert(0, attribute.WithLeadingTrivia(type.GetLeadingTrivia())))
            .WithLeadingTrivia(SyntaxFactory.TriviaList());
        var updated = root.ReplaceNode(type, marked.WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation));
        if (!updated.Usings.Any(u => u.Name?.ToString() == "Lineage") && !updated.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().Any(n => n.Usings.Any(u => u.Name?.ToString() == "Lineage")))
        {
            updated = updated.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.IdentifierName("Lineage")).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed));
        }

        return document.WithSyntaxRoot(updated).Project.Solution;
    }
}
