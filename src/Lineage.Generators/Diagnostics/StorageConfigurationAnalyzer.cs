using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Lineage.Backends;
using Lineage.Configuration;
using Lineage.Generators.Configuration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Lineage.Generators.Diagnostics;

/// <summary>
/// Checks the storage a project states — <c>lineage.json</c>, <c>[assembly: ArtifactStorage(...)]</c>, the MSBuild
/// properties <c>LineageDatabaseUrl</c>/<c>LineageArtifactStorageDir</c> — and credential literals given to
/// <c>LineageOptions</c> in code (LIN0001–LIN0007), at the exact token.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StorageConfigurationAnalyzer : DiagnosticAnalyzer
{
    private const string StorageAttribute = "Lineage.ArtifactStorageAttribute";
    private const string OptionsType = "Lineage.LineageOptions";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.InvalidDatabaseUrl, Descriptors.InvalidStorageDir, Descriptors.HalfConfigured, Descriptors.CredentialLiteral,
        Descriptors.UnknownStorageOption, Descriptors.NonLocalSqlite, Descriptors.InvalidConfigFile);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationAction(AnalyzeProject);
        context.RegisterOperationAction(AnalyzeAssignment, OperationKind.SimpleAssignment);
    }

    private static void AnalyzeProject(CompilationAnalysisContext context)
    {
        var stated = new Dictionary<string, Location>();
        foreach (var file in context.Options.AdditionalFiles.Where(f => string.Equals(Path.GetFileName(f.Path), ProjectStorageFile.FileName, StringComparison.OrdinalIgnoreCase)))
        {
            AnalyzeFile(context, file, stated);
        }

        AnalyzeAttribute(context, stated);

        var global = context.Options.AnalyzerConfigOptionsProvider.GlobalOptions;
        if (global.TryGetValue("build_property.LineageDatabaseUrl", out var databaseUrl) && databaseUrl.Length > 0)
        {
            Report(context, StorageRules.DatabaseUrl(databaseUrl), Location.None);
            stated[ConfigKeys.DatabaseUrl] = Location.None;
        }

        if (global.TryGetValue("build_property.LineageArtifactStorageDir", out var storageDir) && storageDir.Length > 0)
        {
            Report(context, StorageRules.ArtifactStorageDir(storageDir), Location.None);
            stated[ConfigKeys.ArtifactStorageDir] = Location.None;
        }

        if (stated.Count == 1)
        {
            var only = stated.First();
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.HalfConfigured, only.Value, only.Key, only.Key == ConfigKeys.DatabaseUrl ? ConfigKeys.ArtifactStorageDir : ConfigKeys.DatabaseUrl));
        }
    }

    private static void AnalyzeFile(CompilationAnalysisContext context, AdditionalText file, Dictionary<string, Location> stated)
    {
        var text = file.GetText(context.CancellationToken);
        if (text is null)
        {
            return;
        }

        Location At(TextSpan span) => Location.Create(file.Path, span, text.Lines.GetLinePositionSpan(span));
        ProjectStorageFile storage;
        try
        {
            storage = ProjectStorageFile.Read(text.ToString());
        }
        catch (JsonSyntaxException e)
        {
            var position = Math.Min(e.Position, Math.Max(0, text.Length - 1));
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidConfigFile, At(new TextSpan(position, text.Length == 0 ? 0 : 1)), e.Message));
            return;
        }

        foreach (var (node, message) in storage.ShapeProblems)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidConfigFile, At(node.Span), message));
        }

        CheckSetting(context, storage.DatabaseUrl, ConfigKeys.DatabaseUrl, StorageRules.DatabaseUrl, At, stated);
        CheckSetting(context, storage.ArtifactStorageDir, ConfigKeys.ArtifactStorageDir, StorageRules.ArtifactStorageDir, At, stated);
        foreach (var option in storage.StorageOptions?.Properties ?? [])
        {
            CheckOption(context, option.Name, At(option.NameSpan), option.Value is JsonString, At(option.Value.Span));
        }
    }

    private static void CheckSetting(CompilationAnalysisContext context, JsonNode? node, string name, Func<string, IEnumerable<StorageProblem>> rules, Func<TextSpan, Location> at, Dictionary<string, Location> stated)
    {
        switch (node)
        {
            case null:
            case JsonScalar { Text: "null" }:
                return;
            case JsonString value:
                stated[name] = at(value.Span);
                Report(context, rules(value.Value), at(value.Span));
                return;
            default:
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidConfigFile, at(node.Span), $"'{name}' must be a string"));
                return;
        }
    }

    private static void CheckOption(CompilationAnalysisContext context, string key, Location keyLocation, bool valueIsLiteral, Location valueLocation)
    {
        if (StorageRules.UnknownOption(key, out var nearest) is { } unknown)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnknownStorageOption, keyLocation,
                ImmutableDictionary<string, string?>.Empty.Add(Descriptors.FixProperty, nearest), unknown));
        }
        else if (StorageRules.SecretOwner(key) is { } owner && valueIsLiteral)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.CredentialLiteral, valueLocation,
                $"The storage option '{key}' holds a credential in plain text: it ends up in source control and in the compiled program; use {owner.CredentialAdvice} instead"));
        }
    }

    private static void AnalyzeAttribute(CompilationAnalysisContext context, Dictionary<string, Location> stated)
    {
        var attribute = context.Compilation.Assembly.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == StorageAttribute);
        if (attribute?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax syntax)
        {
            return;
        }

        var arguments = (syntax.ArgumentList?.Arguments ?? default).Where(a => a.NameEquals is not null).ToDictionary(a => a.NameEquals!.Name.Identifier.ValueText);
        foreach (var named in attribute.NamedArguments)
        {
            if (!arguments.TryGetValue(named.Key, out var argument))
            {
                continue;
            }

            var location = argument.Expression.GetLocation();
            switch (named.Key)
            {
                case "DatabaseUrl" when named.Value.Value is string url:
                    stated[ConfigKeys.DatabaseUrl] = location;
                    Report(context, StorageRules.DatabaseUrl(url), location);
                    break;
                case "ArtifactStorageDir" when named.Value.Value is string dir:
                    stated[ConfigKeys.ArtifactStorageDir] = location;
                    Report(context, StorageRules.ArtifactStorageDir(dir), location);
                    break;
                case "StorageOptions" when named.Value.Kind == TypedConstantKind.Array:
                    var elements = ElementsOf(argument.Expression);
                    var values = named.Value.Values;
                    for (var i = 0; i < values.Length; i++)
                    {
                        if (values[i].Value is not string pair)
                        {
                            continue;
                        }

                        var at = elements.Count == values.Length ? elements[i].GetLocation() : location;
                        var equals = pair.IndexOf('=');
                        if (equals <= 0)
                        {
                            context.ReportDiagnostic(Diagnostic.Create(Descriptors.UnknownStorageOption, at, $"The storage option '{pair}' is not written key=value"));
                            continue;
                        }

                        CheckOption(context, pair.Substring(0, equals).Trim(), at, valueIsLiteral: true, at);
                    }

                    break;
            }
        }
    }

    private static IReadOnlyList<ExpressionSyntax> ElementsOf(ExpressionSyntax array) => array switch
    {
        ImplicitArrayCreationExpressionSyntax implicitArray => implicitArray.Initializer.Expressions,
        ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
        CollectionExpressionSyntax collection => collection.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression).ToList(),
        _ => [],
    };

    /// <summary>LIN0004 for passwords and secret storage options written as literals into <c>LineageOptions</c>.</summary>
    private static void AnalyzeAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Value.ConstantValue is not { HasValue: true, Value: string literal })
        {
            return;
        }

        switch (assignment.Target)
        {
            case IPropertyReferenceOperation { Property.Name: "DatabaseUrl" } property
                when property.Property.ContainingType.ToDisplayString() == OptionsType && StorageRules.HasPassword(literal):
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.CredentialLiteral, assignment.Value.Syntax.GetLocation(),
                    ImmutableDictionary<string, string?>.Empty.Add(Descriptors.FixProperty, "LINEAGE_DATABASE_URL"),
                    $"DatabaseUrl holds a password in plain text ('{StorageRules.Mask(literal)}'): read it from the environment (LINEAGE_DATABASE_URL) instead"));
                break;
            case IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1 } indexer
                when IsStorageOptions(indexer.Instance) && indexer.Arguments[0].Value.ConstantValue.Value is string key && StorageRules.SecretOwner(key) is { } owner:
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.CredentialLiteral, assignment.Value.Syntax.GetLocation(),
                    ImmutableDictionary<string, string?>.Empty.Add(Descriptors.FixProperty, owner.EnvironmentVariableFor(key)),
                    $"The storage option '{key}' holds a credential in plain text: read it from the environment, or use {owner.CredentialAdvice}"));
                break;
        }
    }

    /// <summary>
    /// True for <c>options.StorageOptions[...]</c>, and for the implicit receiver inside an initializer of the
    /// storage options: <c>StorageOptions = { [...] = ... }</c> or <c>StorageOptions = new Dictionary&lt;...&gt; { [...] = ... }</c>.
    /// </summary>
    private static bool IsStorageOptions(IOperation? instance)
    {
        switch (instance)
        {
            case IPropertyReferenceOperation property:
                return IsStorageOptionsProperty(property);
            case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver }:
                var initializer = instance.Parent;
                while (initializer is not null and not IObjectOrCollectionInitializerOperation)
                {
                    initializer = initializer.Parent;
                }

                return initializer?.Parent switch
                {
                    IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation member } => IsStorageOptionsProperty(member),
                    IObjectCreationOperation creation => AssignedTo(creation) is { } target && IsStorageOptionsProperty(target),
                    _ => false,
                };
            default:
                return false;
        }
    }

    /// <summary>The property a value is assigned to, looking through the implicit conversion (Dictionary → IDictionary).</summary>
    private static IPropertyReferenceOperation? AssignedTo(IOperation value)
    {
        var current = value;
        while (current.Parent is IConversionOperation conversion)
        {
            current = conversion;
        }

        return current.Parent is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } ? target : null;
    }

    private static bool IsStorageOptionsProperty(IPropertyReferenceOperation property) =>
        property.Property.Name == "StorageOptions" && property.Property.ContainingType.ToDisplayString() == OptionsType;

    private static void Report(CompilationAnalysisContext context, IEnumerable<StorageProblem> problems, Location location)
    {
        foreach (var problem in problems)
        {
            context.ReportDiagnostic(Diagnostic.Create(StorageRules.DescriptorFor(problem), location, problem.Message));
        }
    }
}
