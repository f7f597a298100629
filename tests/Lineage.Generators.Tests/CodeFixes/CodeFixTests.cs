using System.Collections.Immutable;
using Lineage.CodeFixes;
using Lineage.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Lineage.Generators.Tests.CodeFixes;

/// <summary>Each code fix, before → after, in a real workspace; after the fix the analyzer no longer reports.</summary>
public sealed class CodeFixTests
{
    private static readonly ImmutableArray<MetadataReference> References = [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Append(typeof(ArtifactStore).Assembly.Location)
        .Where(path => path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        .Distinct(StringComparer.Ordinal)
        .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];

    [Fact]
    public async Task LIN0005_in_the_assembly_attribute_becomes_the_nearest_known_option()
    {
        var after = await FixAsync(new StorageConfigurationAnalyzer(), new StorageOptionFix(), "LIN0005", """
            using Lineage;
            [assembly: ArtifactStorage(DatabaseUrl = "sqlite:///meta.sqlite", ArtifactStorageDir = "values", StorageOptions = new[] { "regoin=eu-west-1" })]
            """);

        Assert.Contains("StorageOptions = new[] { \"region=eu-west-1\" }", after.Text);
        Assert.DoesNotContain(after.Remaining, d => d.Id == "LIN0005");
    }

    [Fact]
    public async Task LIN0005_in_lineage_json_becomes_the_nearest_known_option()
    {
        var after = await FixAsync(new StorageConfigurationAnalyzer(), new StorageOptionFix(), "LIN0005", "class Program { }", """
            {
              "database_url": "sqlite:///meta.sqlite",
              "artifact_storage_dir": "values",
              "storage_options": { "profil": "research" }
            }
            """);

        Assert.Contains("\"storage_options\": { \"profile\": \"research\" }", after.Text);
        Assert.DoesNotContain(after.Remaining, d => d.Id == "LIN0005");
    }

    [Fact]
    public async Task LIN0104_marks_the_type_without_a_serializer_as_an_artifact()
    {
        var after = await FixAsync(new ArtifactDeclarationAnalyzer(), new AddArtifactFix(), "LIN0104", """
            using Lineage;

            [Artifact]
            public sealed record Forecast(Reading Latest, double Value);

            public sealed record Reading(int Day, double Value);
            """);

        Assert.Contains("[Artifact]\npublic sealed record Reading(int Day, double Value);", after.Text.Replace("\r\n", "\n"));
        Assert.DoesNotContain(after.Remaining, d => d.Id == "LIN0104");
    }

    [Fact]
    public async Task LIN0004_password_in_code_is_read_from_the_environment_instead()
    {
        var after = await FixAsync(new StorageConfigurationAnalyzer(), new CredentialFix(), "LIN0004", """
            using Lineage;

            public static class Setup
            {
                public static LineageOptions Options() => new() { DatabaseUrl = "postgresql://lineage:hunter2@db/lineage" };
            }
            """);

        Assert.DoesNotContain("hunter2", after.Text);
        Assert.Contains("GetEnvironmentVariable(\"LINEAGE_DATABASE_URL\")", after.Text);
        Assert.DoesNotContain(after.Remaining, d => d.Id == "LIN0004");
        Assert.Empty(after.CompilerErrorsAndWarnings);
    }

    [Fact]
    public async Task LIN0004_secret_in_the_assembly_attribute_is_removed()
    {
        var after = await FixAsync(new StorageConfigurationAnalyzer(), new CredentialFix(), "LIN0004", """
            using Lineage;
            [assembly: ArtifactStorage(DatabaseUrl = "sqlite:///meta.sqlite", ArtifactStorageDir = "s3://team-values", StorageOptions = new[] { "profile=research", "secret=abc123" })]
            """);

        Assert.DoesNotContain("abc123", after.Text);
        Assert.Contains("new[] { \"profile=research\" }", after.Text);
        Assert.DoesNotContain(after.Remaining, d => d.Id == "LIN0004");
    }

    [Fact]
    public async Task LIN0004_secret_in_lineage_json_is_removed_with_its_comma()
    {
        var after = await FixAsync(new StorageConfigurationAnalyzer(), new CredentialFix(), "LIN0004", "class Program { }", """
            {
              "database_url": "sqlite:///meta.sqlite",
              "artifact_storage_dir": "s3://team-values",
              "storage_options": { "secret": "abc123", "profile": "research" }
            }
            """);

        Assert.Contains("\"storage_options\": { \"profile\": \"research\" }", after.Text);
        Assert.DoesNotContain("abc123", after.Text);
        Assert.DoesNotContain(after.Remaining, d => d.Id == "LIN0004");
    }

    [Fact]
    public async Task LIN0100_invalid_name_is_rewritten_into_a_valid_one()
    {
        var after = await FixAsync(new ArtifactDeclarationAnalyzer(), new ArtifactNameFix(), "LIN0100", """
            using Lineage;

            public static class Training
            {
                [Artifact("iris model!")]
                public static int Train() => 1;
            }
            """);

        Assert.Contains("[Artifact(\"iris-model\")]", after.Text);
        Assert.DoesNotContain(after.Remaining, d => d.Id == "LIN0100");
    }

    private sealed record FixResult(string Text, ImmutableArray<Diagnostic> Remaining, ImmutableArray<Diagnostic> CompilerErrorsAndWarnings);

    private static async Task<FixResult> FixAsync(DiagnosticAnalyzer analyzer, CodeFixProvider fix, string id, string source, string? lineageJson = null)
    {
        using var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Create(), "Consumer", "Consumer", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.CSharp12),
                metadataReferences: References))
            .AddDocument(DocumentId.CreateNewId(projectId), "Source.cs", SourceText.From(source), filePath: "/consumer/Source.cs");
        var jsonId = DocumentId.CreateNewId(projectId);
        if (lineageJson is not null)
        {
            solution = solution.AddAdditionalDocument(jsonId, "lineage.json", SourceText.From(lineageJson), filePath: "/consumer/lineage.json");
        }

        var before = await DiagnosticsAsync(solution.GetProject(projectId)!, analyzer);
        var diagnostic = Assert.Single(before, d => d.Id == id);
        var target = diagnostic.Location.IsInSource
            ? (TextDocument)solution.GetDocument(diagnostic.Location.SourceTree)!
            : solution.GetAdditionalDocument(jsonId)!;

        var actions = new List<CodeAction>();
        await fix.RegisterCodeFixesAsync(new CodeFixContext(target, diagnostic, (action, _) => actions.Add(action), TestContext.Current.CancellationToken));
        var operations = await Assert.Single(actions).GetOperationsAsync(TestContext.Current.CancellationToken);
        var changed = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;

        var text = lineageJson is not null && !diagnostic.Location.IsInSource
            ? (await changed.GetAdditionalDocument(jsonId)!.GetTextAsync(TestContext.Current.CancellationToken)).ToString()
            : string.Join("\n", await Task.WhenAll(changed.GetProject(projectId)!.Documents.Select(async d => (await d.GetTextAsync(TestContext.Current.CancellationToken)).ToString())));
        var project = changed.GetProject(projectId)!;
        var compilation = (await project.GetCompilationAsync(TestContext.Current.CancellationToken))!;
        var compiler = compilation.GetDiagnostics(TestContext.Current.CancellationToken)
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id is not ("CS1701" or "CS1702")).ToImmutableArray();
        return new FixResult(text, await DiagnosticsAsync(project, analyzer), compiler);
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Project project, DiagnosticAnalyzer analyzer)
    {
        var compilation = (await project.GetCompilationAsync(TestContext.Current.CancellationToken))!;
        return await compilation.WithAnalyzers([analyzer], project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync(TestContext.Current.CancellationToken);
    }
}
