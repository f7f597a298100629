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
using Microsoft.CodeAnalysis.Text;

namespace Lineage.CodeFixes;

/// <summary>LIN0005: replaces an unknown storage option key with the nearest known one, in lineage.json or in <c>[assembly: ArtifactStorage]</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StorageOptionFix), DocumentKinds = [nameof(TextDocumentKind.Document), nameof(TextDocumentKind.AdditionalDocument)])]
[Shared]
public sealed class StorageOptionFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.UnknownStorageOption.Id);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(Descriptors.FixProperty, out var nearest) || nearest is null)
            {
                continue;
            }

            var title = $"Use the storage option '{nearest}'";
            context.RegisterCodeFix(
                CodeAction.Create(title, cancellationToken => ReplaceKeyAsync(context.TextDocument, diagnostic.Location.SourceSpan, nearest, cancellationToken), title),
                diagnostic);
        }

        return Task.CompletedTask;
    }

    private static async Task<Solution> ReplaceKeyAsync(TextDocument document, TextSpan span, string nearest, System.Threading.CancellationToken cancellationToken)
    {
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var current = text.ToString(span);
        string replacement;
        if (document is Document source)
        {
            // In C# the span is a "key=value" string literal: keep the value, replace the key.
            var root = await source.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var literal = root?.FindNode(span, getInnermostNodeForTie: true) as LiteralExpressionSyntax;
            var value = literal?.Token.ValueText ?? current.Trim('"');
            var equals = value.IndexOf('=');
            replacement = SymbolDisplay.FormatLiteral(nearest + (equals < 0 ? string.Empty : value.Substring(equals)), quote: true);
        }
        else
        {
            // In lineage.json the span is the property name, quotes included.
            replacement = "\"" + nearest + "\"";
        }

        var changed = text.WithChanges(new TextChange(span, replacement));
        return document is Document csharp
            ? csharp.WithText(changed).Project.Solution
            : document.Project.Solution.WithAdditionalDocumentText(document.Id, changed);
    }
}
