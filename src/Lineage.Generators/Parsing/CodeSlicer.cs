using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Lineage.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lineage.Generators.Parsing;

/// <summary>
/// The static slice of an artifact method: the method plus every member and type it reaches inside the same
/// compilation, transitively, in a stable order (file, then position). <see cref="Slice"/> returns the slice's
/// text for people and a version hash of its token texts, which comments and formatting do not change.
/// Work is proportional to the slice: only reached declarations are bound, one semantic model per tree.
/// Beyond what the code names, the slice follows what the compiler calls without a name in the syntax
/// (<c>CodeSlicer.ImplicitCalls.cs</c>), what dispatch and library code may call (<c>CodeSlicer.Dispatch.cs</c>), and
/// records the artifacts the code reads (<c>CodeSlicer.DeclaredReads.cs</c>).
/// </summary>
internal sealed partial class CodeSlicer
{
    private readonly Compilation _compilation;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<SyntaxTree, SemanticModel> _models = new();
    private readonly HashSet<SyntaxNode> _declarations = new();
    private readonly Queue<SyntaxNode> _pending = new();
    private readonly HashSet<INamedTypeSymbol> _initializedTypes = new(SymbolEqualityComparer.Default);
    private bool _moduleInitializersIncluded;
    private readonly SortedSet<string> _referencedAssemblies = new(StringComparer.Ordinal);

    /// <summary>What decides the value besides the tokens (a preprocessor symbol at a call, a caller's line), by place in the code.</summary>
    private readonly List<(string Path, int Position, string Text)> _facts = new();

    private CodeSlicer(SemanticModel model, CancellationToken cancellationToken)
    {
        _compilation = model.Compilation;
        _models[model.SyntaxTree] = model;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The slice's text, version and declared reads, and the trees it spans.</summary>
    public static (SliceResult Result, IReadOnlyList<SyntaxTree> Trees) Slice(SemanticModel model, SyntaxNode method, CancellationToken cancellationToken)
    {
        var slicer = new CodeSlicer(model, cancellationToken);
        slicer.Include(method);
        if (model.GetDeclaredSymbol(method, cancellationToken) is { } symbol)
        {
            slicer.IncludeInitializationFor(symbol);
        }

        while (slicer._pending.Count > 0)
        {
            slicer.Walk(slicer._pending.Dequeue());
        }

        var ordered = slicer._declarations
            .Where(node => !node.Ancestors().Any(slicer._declarations.Contains))
            .OrderBy(node => node.SyntaxTree.FilePath, StringComparer.Ordinal)
            .ThenBy(node => node.SpanStart)
            .ToList();

        var source = new StringBuilder();
        using var hash = SHA256.Create();
        var separator = new byte[] { 0 };
        foreach (var node in ordered)
        {
            if (source.Length > 0)
            {
                source.Append("\n\n");
            }

            source.Append(Dedented(node));
            foreach (var token in node.DescendantTokens())
            {
                var bytes = Encoding.UTF8.GetBytes(token.Text);
                hash.TransformBlock(bytes, 0, bytes.Length, null, 0);
                hash.TransformBlock(separator, 0, 1, null, 0);
            }

            hash.TransformBlock(separator, 0, 1, null, 0);
        }

        foreach (var fact in slicer.Facts(model.SyntaxTree))
        {
            var bytes = Encoding.UTF8.GetBytes(fact);
            hash.TransformBlock(bytes, 0, bytes.Length, null, 0);
            hash.TransformBlock(separator, 0, 1, null, 0);
        }

        // Code in other assemblies is not copied: the name and version of each one the slice reaches stand for it.
        foreach (var assembly in slicer._referencedAssemblies)
        {
            var bytes = Encoding.UTF8.GetBytes(assembly);
            hash.TransformBlock(bytes, 0, bytes.Length, null, 0);
            hash.TransformBlock(separator, 0, 1, null, 0);
        }

        hash.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
        var version = string.Concat(hash.Hash.Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        var trees = ordered.Select(node => node.SyntaxTree).Distinct().ToList();
        var result = new SliceResult(source.ToString().Replace("\r\n", "\n"), version,
            slicer._readNames.ToEquatableArray(), slicer._readAccessors.ToEquatableArray());
        return (result, trees);
    }

    /// <summary>
    /// What the compiler decides from outside the tokens: the language version (binding rules differ between
    /// versions), overflow checking when the project turns it on, then the facts found at places in the slice.
    /// Optimization, nullable context and warnings are left out: they do not change what the code computes.
    /// </summary>
    private IEnumerable<string> Facts(SyntaxTree methodTree)
    {
        if (methodTree.Options is CSharpParseOptions parse)
        {
            yield return "C# " + ((int)parse.LanguageVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (_compilation.Options.CheckOverflow)
        {
            yield return "checked";
        }

        // The same place can be recorded twice (a declaration walked in two shapes); one place, one fact.
        foreach (var fact in _facts
            .Distinct()
            .OrderBy(fact => fact.Path, StringComparer.Ordinal)
            .ThenBy(fact => fact.Position)
            .ThenBy(fact => fact.Text, StringComparer.Ordinal)
            .Select(fact => fact.Text))
        {
            yield return fact;
        }
    }

    private void AddFact(SyntaxNode site, string text) => _facts.Add((site.SyntaxTree.FilePath, site.SpanStart, text));

    /// <summary>The node's text, from its doc comment (if any) on, with the first line's indentation removed from every line.</summary>
    private static string Dedented(SyntaxNode node)
    {
        var documentation = node.GetLeadingTrivia().FirstOrDefault(IsDocumentationComment);
        // A parsed doc comment's span starts after its first `///`; its full span is the text as written.
        var start = documentation.RawKind == 0 ? node.SpanStart : documentation.FullSpan.Start;
        var text = node.SyntaxTree.GetText().ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(start, node.Span.End)).Replace("\r\n", "\n");
        var column = node.SyntaxTree.GetLineSpan(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(start, start)).StartLinePosition.Character;
        if (column == 0)
        {
            return text;
        }

        var lines = text.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var strip = 0;
            while (strip < column && strip < lines[i].Length && (lines[i][strip] == ' ' || lines[i][strip] == '\t'))
            {
                strip++;
            }

            lines[i] = lines[i].Substring(strip);
        }

        return string.Join("\n", lines);
    }

    /// <summary>
    /// A <c>///</c> or <c>/** */</c> comment. Without GenerateDocumentationFile the compiler parses them as plain
    /// comments, so both shapes are recognized and the recorded code is the same either way.
    /// </summary>
    private static bool IsDocumentationComment(SyntaxTrivia trivia) => trivia.Kind() switch
    {
        SyntaxKind.SingleLineDocumentationCommentTrivia or SyntaxKind.MultiLineDocumentationCommentTrivia => true,
        SyntaxKind.SingleLineCommentTrivia => trivia.ToString() is var text && text.StartsWith("///", StringComparison.Ordinal) && !text.StartsWith("////", StringComparison.Ordinal),
        SyntaxKind.MultiLineCommentTrivia => trivia.ToString() is var text && text.StartsWith("/**", StringComparison.Ordinal) && !text.StartsWith("/**/", StringComparison.Ordinal),
        _ => false,
    };

    private bool Include(SyntaxNode declaration)
    {
        if (!_declarations.Add(declaration))
        {
            return false;
        }

        _pending.Enqueue(declaration);
        return true;
    }

    private void Walk(SyntaxNode declaration)
    {
        var model = ModelFor(declaration.SyntaxTree);
        foreach (var node in declaration.DescendantNodes())
        {
            _cancellationToken.ThrowIfCancellationRequested();
            if (node is InvocationExpressionSyntax invocation)
            {
                FindDeclaredRead(invocation, model);
            }

            if (node is not (SimpleNameSyntax or BaseObjectCreationExpressionSyntax or BinaryExpressionSyntax or PrefixUnaryExpressionSyntax
                or PostfixUnaryExpressionSyntax or ElementAccessExpressionSyntax or ConstructorInitializerSyntax or CastExpressionSyntax)
                // `x.ToString()!` binds to what its operand binds to, without the operand's receiver: the operand is walked anyway.
                || node.IsKind(SyntaxKind.SuppressNullableWarningExpression))
            {
                continue;
            }

            // `using Real = float;`: the directive is the only place the aliased type is written, possibly in another file.
            if (node is IdentifierNameSyntax name && model.GetAliasInfo(name, _cancellationToken) is { } alias)
            {
                Reach(alias);
            }

            var info = model.GetSymbolInfo(node, _cancellationToken);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
            if (symbol is null || IsQualifier(node, symbol))
            {
                continue;
            }

            // `[Artifact]`, `[Obsolete]`: a package's attribute does not compute the value, so its version is not recorded.
            ITypeSymbol? receiver = null;
            var nonVirtual = false;
            if (IsDispatched(symbol.OriginalDefinition))
            {
                receiver = ReceiverOf(node, model, out nonVirtual);
            }

            Reach(symbol, recordAssembly: !IsAttributeName(node), receiver, nonVirtual);
        }

        WalkOperations(declaration, model);
    }

    private static bool IsAttributeName(SyntaxNode node)
    {
        var name = node;
        while (name.Parent is QualifiedNameSyntax or AliasQualifiedNameSyntax)
        {
            name = name.Parent;
        }

        return name.Parent is AttributeSyntax attribute && attribute.Name == name;
    }

    // In `Maths.Predict(...)` the type only qualifies the member: the member joins the slice, not the whole type.
    private static bool IsQualifier(SyntaxNode node, ISymbol symbol) =>
        symbol is INamedTypeSymbol && node.Parent is MemberAccessExpressionSyntax access && access.Expression == node;

    /// <summary>Brings a reached symbol's declarations into the slice, with what runs before it and what a call to it may dispatch to.</summary>
    /// <param name="receiver">The static type of the instance the member is used on, when known: only types derived from it can be dispatched to.</param>
    /// <param name="nonVirtual">A <c>base.M()</c> call: it runs exactly the member named, never an override.</param>
    private void Reach(ISymbol symbol, bool recordAssembly = true, ITypeSymbol? receiver = null, bool nonVirtual = false)
    {
        symbol = symbol switch
        {
            IMethodSymbol { ReducedFrom: { } extension } => extension,
            _ => symbol.OriginalDefinition,
        };

        if (symbol.Kind is SymbolKind.Local or SymbolKind.Parameter or SymbolKind.RangeVariable or SymbolKind.TypeParameter
            or SymbolKind.Namespace or SymbolKind.Label or SymbolKind.Discard)
        {
            return;
        }

        if (recordAssembly && symbol.ContainingAssembly is { } assembly && !SymbolEqualityComparer.Default.Equals(assembly, _compilation.Assembly))
        {
            _referencedAssemblies.Add(assembly.Identity.Name + " " + assembly.Identity.Version);
        }

        var added = false;
        var inCompilation = false;
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (!_compilation.ContainsSyntaxTree(reference.SyntaxTree))
            {
                continue;
            }

            inCompilation = true;
            if (DeclarationOf(reference.GetSyntax(_cancellationToken)) is { } declaration && Include(declaration))
            {
                added = true;
                IncludeOtherPartsOf(declaration);
            }
        }

        // Even when the declaration is already in (a static initializer brings its field), what initializes it is not yet.
        if (inCompilation)
        {
            IncludeInitializationFor(symbol);
            IncludeTypeParametersOfContainingTypes(symbol);
        }

        if (!nonVirtual)
        {
            ReachImplementationsOf(symbol, receiver);
        }

        // A call binds to a partial method's defining declaration, which has no body: the implementation decides the value.
        if (added && symbol is IMethodSymbol method && (method.PartialImplementationPart ?? method.PartialDefinitionPart) is { } otherPart)
        {
            Reach(otherPart);
        }
    }

    /// <summary>
    /// The code that runs before a reached member can be used and may set what it reads: the static constructor and
    /// static initializers of its type (of its base types too for an instance member, since constructing the instance
    /// ran them), and, once static state is reached, every <c>[ModuleInitializer]</c> method of the compilation.
    /// </summary>
    private void IncludeInitializationFor(ISymbol member)
    {
        if (member is not (IMethodSymbol or IPropertySymbol or IFieldSymbol or IEventSymbol) || member.ContainingType is not { } type
            || member is IFieldSymbol { IsConst: true })
        {
            return;
        }

        if (member.IsStatic && member is (IFieldSymbol or IPropertySymbol))
        {
            IncludeModuleInitializers();
        }

        var included = IncludeTypeInitialization(type);
        for (var baseType = type.BaseType; included && !member.IsStatic && baseType is not null; baseType = baseType.BaseType)
        {
            included = IncludeTypeInitialization(baseType);
        }
    }

    /// <summary>The type's static constructor and static field and property initializers; false for a type outside the compilation.</summary>
    private bool IncludeTypeInitialization(INamedTypeSymbol type)
    {
        if (type.DeclaringSyntaxReferences.IsEmpty || !_compilation.ContainsSyntaxTree(type.DeclaringSyntaxReferences[0].SyntaxTree))
        {
            return false;
        }

        if (!_initializedTypes.Add(type))
        {
            return true;
        }

        foreach (var member in type.GetMembers())
        {
            var runsAtInitialization = member switch
            {
                IMethodSymbol { MethodKind: MethodKind.StaticConstructor, IsImplicitlyDeclared: false } => true,
                IFieldSymbol { IsStatic: true, IsConst: false, IsImplicitlyDeclared: false } => true,
                IPropertySymbol { IsStatic: true } => true,
                _ => false,
            };
            if (!runsAtInitialization)
            {
                continue;
            }

            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                var syntax = reference.GetSyntax(_cancellationToken);
                var hasInitializer = syntax switch
                {
                    VariableDeclaratorSyntax variable => variable.Initializer is not null,
                    PropertyDeclarationSyntax property => property.Initializer is not null,
                    _ => member is IMethodSymbol,
                };
                if (hasInitializer && _compilation.ContainsSyntaxTree(reference.SyntaxTree) && DeclarationOf(syntax) is { } declaration)
                {
                    Include(declaration);
                }
            }
        }

        return true;
    }

    private void IncludeModuleInitializers()
    {
        if (_moduleInitializersIncluded)
        {
            return;
        }

        _moduleInitializersIncluded = true;
        foreach (var tree in _compilation.SyntaxTrees)
        {
            foreach (var initializer in ModuleInitializerCandidates.GetValue(tree, ModuleInitializerCandidatesIn))
            {
                Include(initializer);
            }
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxTree, IReadOnlyList<SyntaxNode>> ModuleInitializerCandidates = new();

    /// <summary>Methods with an attribute named <c>ModuleInitializer</c>: matched by name, so an alias or a look-alike is included too.</summary>
    private static IReadOnlyList<SyntaxNode> ModuleInitializerCandidatesIn(SyntaxTree tree) =>
        tree.GetRoot()
            .DescendantNodes(node => node is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
            .OfType<MethodDeclarationSyntax>()
            .Where(method => method.AttributeLists.SelectMany(list => list.Attributes).Any(attribute =>
                attribute.Name.ToString() is var name
                && (name.EndsWith("ModuleInitializer", StringComparison.Ordinal) || name.EndsWith("ModuleInitializerAttribute", StringComparison.Ordinal))))
            .ToList<SyntaxNode>();

    /// <summary>
    /// A member of a generic type, reached without the whole type (<c>Joiner&lt;T&gt;.Join</c>): the type's parameter list
    /// and constraints decide how the member's body binds (<c>where T : IEnumerable&lt;string&gt;</c> makes
    /// <c>string.Join(",", items)</c> call another overload), so they join the slice.
    /// </summary>
    private void IncludeTypeParametersOfContainingTypes(ISymbol member)
    {
        for (var type = member.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.TypeParameters.Length == 0)
            {
                continue;
            }

            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (!_compilation.ContainsSyntaxTree(reference.SyntaxTree) || reference.GetSyntax(_cancellationToken) is not TypeDeclarationSyntax declaration)
                {
                    continue;
                }

                if (declaration.TypeParameterList is { } parameters)
                {
                    Include(parameters);
                }

                foreach (var clause in declaration.ConstraintClauses)
                {
                    Include(clause);
                }
            }
        }
    }

    /// <summary>
    /// The other declarations of a partial property, indexer or event (C# 13 and later): the reached one may be the
    /// body-less definition. Matched by syntax, since the symbol API for them is newer than the Roslyn this builds against.
    /// </summary>
    private void IncludeOtherPartsOf(SyntaxNode declaration)
    {
        if (declaration is not (BasePropertyDeclarationSyntax or EventFieldDeclarationSyntax) || declaration.Parent is not TypeDeclarationSyntax type
            || !((MemberDeclarationSyntax)declaration).Modifiers.Any(SyntaxKind.PartialKeyword)
            || ModelFor(type.SyntaxTree).GetDeclaredSymbol(type, _cancellationToken) is not { } containingType)
        {
            return;
        }

        var name = MemberName(declaration);
        foreach (var part in containingType.DeclaringSyntaxReferences)
        {
            if (!_compilation.ContainsSyntaxTree(part.SyntaxTree) || part.GetSyntax(_cancellationToken) is not TypeDeclarationSyntax partType)
            {
                continue;
            }

            foreach (var member in partType.Members)
            {
                if (member.RawKind == declaration.RawKind && member.Modifiers.Any(SyntaxKind.PartialKeyword) && MemberName(member) == name)
                {
                    Include(member);
                }
            }
        }
    }

    private static string? MemberName(SyntaxNode member) => member switch
    {
        PropertyDeclarationSyntax property => property.Identifier.ValueText,
        EventDeclarationSyntax @event => @event.Identifier.ValueText,
        EventFieldDeclarationSyntax field => string.Join(",", field.Declaration.Variables.Select(v => v.Identifier.ValueText)),
        IndexerDeclarationSyntax => "this[]",
        _ => null,
    };

    /// <summary>
    /// The member- or type-level declaration a declaring node belongs to. An enum member is its whole enum: a member
    /// without an explicit value is numbered by every member before it.
    /// </summary>
    private static SyntaxNode? DeclarationOf(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case LocalFunctionStatementSyntax:
                case BaseMethodDeclarationSyntax:
                case BasePropertyDeclarationSyntax:
                case BaseFieldDeclarationSyntax:
                case BaseTypeDeclarationSyntax:
                case DelegateDeclarationSyntax:
                case UsingDirectiveSyntax:
                    return current;
                case ParameterSyntax { Parent: ParameterListSyntax { Parent: TypeDeclarationSyntax type } }:
                    return type;
            }
        }

        return null;
    }

    private SemanticModel ModelFor(SyntaxTree tree)
    {
        if (!_models.TryGetValue(tree, out var model))
        {
            model = _compilation.GetSemanticModel(tree);
            _models[tree] = model;
        }

        return model;
    }
}
