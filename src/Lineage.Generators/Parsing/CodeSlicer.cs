using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Lineage.Generators.Parsing;

/// <summary>
/// The static slice of an artifact method: the method plus every member and type it reaches inside the same
/// compilation, transitively, in a stable order (file, then position). <see cref="Slice"/> returns the slice's
/// text for people and a version hash of its token texts, which comments and formatting do not change.
/// Work is proportional to the slice: only reached declarations are bound, one semantic model per tree.
/// </summary>
internal sealed class CodeSlicer
{
    private readonly Compilation _compilation;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<SyntaxTree, SemanticModel> _models = new();
    private readonly HashSet<SyntaxNode> _declarations = new();
    private readonly Queue<SyntaxNode> _pending = new();
    private readonly HashSet<INamedTypeSymbol> _initializedTypes = new(SymbolEqualityComparer.Default);
    private bool _moduleInitializersIncluded;
    private readonly HashSet<ISymbol> _dispatchedMembers = new(SymbolEqualityComparer.Default);
    private readonly SortedSet<string> _referencedAssemblies = new(StringComparer.Ordinal);

    private CodeSlicer(SemanticModel model, CancellationToken cancellationToken)
    {
        _compilation = model.Compilation;
        _models[model.SyntaxTree] = model;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The slice's text and version, and the trees it spans.</summary>
    public static ((string SourceCode, string CodeVersion) Result, IReadOnlyList<SyntaxTree> Trees) Slice(SemanticModel model, SyntaxNode method, CancellationToken cancellationToken)
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
        return ((source.ToString().Replace("\r\n", "\n"), version), trees);
    }

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
            if (node is not (SimpleNameSyntax or BaseObjectCreationExpressionSyntax or BinaryExpressionSyntax or PrefixUnaryExpressionSyntax
                or PostfixUnaryExpressionSyntax or ElementAccessExpressionSyntax or ConstructorInitializerSyntax or CastExpressionSyntax))
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
            Reach(symbol, recordAssembly: !IsAttributeName(node));
        }
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

    private void Reach(ISymbol symbol, bool recordAssembly = true)
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
        }

        ReachImplementationsOf(symbol);

        // A call binds to a partial method's defining declaration, which has no body: the implementation decides the value.
        if (added && symbol is IMethodSymbol method && (method.PartialImplementationPart ?? method.PartialDefinitionPart) is { } otherPart)
        {
            Reach(otherPart);
        }
    }

    /// <summary>
    /// Every implementation or override in the compilation of a reached interface, abstract or virtual member, wherever
    /// the instance is created (a DI container, a property set in <c>Main</c>): conservative, it may recompute, never serve stale.
    /// </summary>
    private void ReachImplementationsOf(ISymbol member)
    {
        if (!IsDispatched(member) || !_dispatchedMembers.Add(member))
        {
            return;
        }

        foreach (var type in SourceTypes.GetValue(_compilation, SourceTypesOf))
        {
            _cancellationToken.ThrowIfCancellationRequested();
            foreach (var implementation in ImplementationsIn(type, member))
            {
                Reach(implementation);
            }
        }
    }

    private static bool IsDispatched(ISymbol member) =>
        member is IMethodSymbol or IPropertySymbol or IEventSymbol
        && member.ContainingType is { } type
        && (type.TypeKind == TypeKind.Interface
            ? member.IsAbstract || member.IsVirtual
            : type.TypeKind == TypeKind.Class && !type.IsSealed && !member.IsSealed && (member.IsAbstract || member.IsVirtual || member.IsOverride));

    private static IEnumerable<ISymbol> ImplementationsIn(INamedTypeSymbol type, ISymbol member)
    {
        if (member.ContainingType.TypeKind == TypeKind.Interface)
        {
            foreach (var implemented in type.AllInterfaces)
            {
                if (!SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, member.ContainingType))
                {
                    continue;
                }

                foreach (var candidate in implemented.GetMembers(member.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, member)
                        && type.FindImplementationForInterfaceMember(candidate) is { } implementation)
                    {
                        yield return implementation;
                    }
                }
            }

            yield break;
        }

        foreach (var candidate in type.GetMembers(member.Name))
        {
            for (var overridden = candidate.IsOverride ? Overridden(candidate) : null; overridden is not null; overridden = Overridden(overridden))
            {
                if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, member))
                {
                    yield return candidate;
                    break;
                }
            }
        }
    }

    private static ISymbol? Overridden(ISymbol member) => member switch
    {
        IMethodSymbol method => method.OverriddenMethod,
        IPropertySymbol property => property.OverriddenProperty,
        IEventSymbol @event => @event.OverriddenEvent,
        _ => null,
    };

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, IReadOnlyList<INamedTypeSymbol>> SourceTypes = new();

    /// <summary>The classes and structs declared in the compilation, nested ones included: where implementations can be.</summary>
    private static IReadOnlyList<INamedTypeSymbol> SourceTypesOf(Compilation compilation)
    {
        var types = new List<INamedTypeSymbol>();
        var namespaces = new Stack<INamespaceSymbol>();
        namespaces.Push(compilation.Assembly.GlobalNamespace);
        while (namespaces.Count > 0)
        {
            var current = namespaces.Pop();
            foreach (var nested in current.GetNamespaceMembers())
            {
                namespaces.Push(nested);
            }

            var pendingTypes = new Stack<INamedTypeSymbol>(current.GetTypeMembers());
            while (pendingTypes.Count > 0)
            {
                var type = pendingTypes.Pop();
                if (type.TypeKind is TypeKind.Class or TypeKind.Struct)
                {
                    types.Add(type);
                }

                foreach (var nested in type.GetTypeMembers())
                {
                    pendingTypes.Push(nested);
                }
            }
        }

        return types;
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
