using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Lineage.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Lineage.Generators.Configuration;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Lineage.CodeFixes;

/// <summary>
/// LIN0004: a credential literal in code is replaced by a read of the environment (LINEAGE_DATABASE_URL, or the AWS
/// variable for a key/secret/token); in <c>[assembly: ArtifactStorage]</c>, where code cannot run, the secret entry is
/// removed so that the AWS default chain or a profile supplies it; in <c>lineage.json</c> the option is removed the same way.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CredentialFix), DocumentKinds = [nameof(TextDocumentKind.Document), nameof(TextDocumentKind.AdditionalDocument)])]
[Shared]
public sealed class CredentialFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.CredentialLiteral.Id);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        if (context.TextDocument is not Document)
        {
            RegisterJsonFixes(context);
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            var node = root?.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (node is not ExpressionSyntax literal)
            {
                continue;
            }

            if (literal.Parent is InitializerExpressionSyntax or CollectionElementSyntax && literal.FirstAncestorOrSelf<AttributeSyntax>() is not null)
            {
                const string removeTitle = "Remove the credential (use an AWS profile or the default credential chain)";
                context.RegisterCodeFix(CodeAction.Create(removeTitle, _ => Task.FromResult(RemoveElement(context.Document, root!, literal)), removeTitle), diagnostic);
            }
            else if (diagnostic.Properties.TryGetValue(Descriptors.FixProperty, out var variable) && variable is not null)
            {
                var title = $"Read it from the environment variable {variable}";
                context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(ReadEnvironment(context.Document, root!, literal, variable)), title), diagnostic);
            }
        }
    }

    private static void RegisterJsonFixes(CodeFixContext context)
    {
        const string title = "Remove the credential (use an AWS profile or the default credential chain)";
        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(CodeAction.Create(title, cancellationToken => RemoveJsonOptionAsync(context.TextDocument, diagnostic.Location.SourceSpan, cancellationToken), title), diagnostic);
        }
    }

    /// <summary>Removes the <c>"key": value</c> pair whose value is at <paramref name="valueSpan"/>, with the comma that separated it.</summary>
    private static async Task<Solution> RemoveJsonOptionAsync(TextDocument document, TextSpan valueSpan, System.Threading.CancellationToken cancellationToken)
    {
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var content = text.ToString();
        var property = (JsonReader.Parse(content) as JsonObject)?.Properties
            .Select(p => p.Value).OfType<JsonObject>().SelectMany(o => o.Properties)
            .FirstOrDefault(p => p.Value.Span == valueSpan);
        if (property is null)
        {
            return document.Project.Solution;
        }

        int start = property.NameSpan.Start, end = property.Value.Span.End;
        var after = end;
        while (after < content.Length && char.IsWhiteSpace(content[after]))
        {
            after++;
        }

        if (after < content.Length && content[after] == ',')
        {
            end = after + 1;
            while (end < content.Length && content[end] is ' ' or '\t')
            {
                end++;
            }
        }
        else
        {
            var before = start - 1;
            while (before >= 0 && char.IsWhiteSpace(content[before]))
            {
                before--;
            }

            if (before >= 0 && content[before] == ',')
            {
                start = before;
            }
        }

        return document.Project.Solution.WithAdditionalDocumentText(document.Id, text.WithChanges(new TextChange(TextSpan.FromBounds(start, end), string.Empty)));
    }

    private static Document ReadEnvironment(Document document, SyntaxNode root, ExpressionSyntax literal, string variable)
    {
        // The target is a non-nullable string: a missing variable is an error at the line that needs it.
        var read = SyntaxFactory.ParseExpression(
            $"global::System.Environment.GetEnvironmentVariable(\"{variable}\") ?? throw new global::System.InvalidOperationException(\"Set the environment variable {variable}.\")");
        return document.WithSyntaxRoot(root.ReplaceNode(literal, read.WithTriviaFrom(literal)));
    }

    private static Document RemoveElement(Document document, SyntaxNode root, ExpressionSyntax literal)
    {
        // RemoveNode takes the separating comma with it; keeping the trailing trivia keeps "{ a }" spaced.
        SyntaxNode target = literal.Parent is ExpressionElementSyntax element ? element : literal;
        return document.WithSyntaxRoot(root.RemoveNode(target, SyntaxRemoveOptions.KeepTrailingTrivia) ?? root);
    }
}
