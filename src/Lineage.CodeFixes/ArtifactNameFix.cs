using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Lineage.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lineage.CodeFixes;

/// <summary>LIN0100: rewrites an invalid artifact name into a valid one (other characters become '-').</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ArtifactNameFix))]
[Shared]
public sealed class ArtifactNameFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.InvalidName.Id);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root?.FindNode(diagnostic.Location.SourceSpan) is not AttributeArgumentSyntax { Expression: LiteralExpressionSyntax literal } argument)
            {
                continue;
            }

            var valid = Valid(literal.Token.ValueText);
            if (valid is null)
            {
                continue;
            }

            var title = $"Rename the artifact to '{valid}'";
            context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(argument,
                argument.WithExpression(SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(valid)))))), title), diagnostic);
        }
    }

    /// <summary>The name with every character the rule forbids turned into '-', trimmed to a letter or digit at the start; null when nothing is left.</summary>
    internal static string? Valid(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name)
        {
            text.Append(char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/' ? c : '-');
        }

        var valid = new string(text.ToString().SkipWhile(c => !char.IsLetterOrDigit(c)).Take(200).ToArray()).TrimEnd('-');
        return valid.Length == 0 ? null : valid;
    }
}
