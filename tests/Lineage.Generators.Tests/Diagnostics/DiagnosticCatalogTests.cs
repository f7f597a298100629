using Lineage.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Tests.Diagnostics;

/// <summary>The ids, severities and help pages are a contract (DESIGN.md, Diagnostics): pinned here.</summary>
public sealed class DiagnosticCatalogTests
{
    public static readonly TheoryData<string, DiagnosticSeverity> Contract = new()
    {
        { "LIN0001", DiagnosticSeverity.Error },
        { "LIN0002", DiagnosticSeverity.Error },
        { "LIN0003", DiagnosticSeverity.Warning },
        { "LIN0004", DiagnosticSeverity.Warning },
        { "LIN0005", DiagnosticSeverity.Warning },
        { "LIN0006", DiagnosticSeverity.Error },
        { "LIN0007", DiagnosticSeverity.Error },
        { "LIN0100", DiagnosticSeverity.Error },
        { "LIN0101", DiagnosticSeverity.Error },
        { "LIN0102", DiagnosticSeverity.Error },
        { "LIN0103", DiagnosticSeverity.Error },
        { "LIN0104", DiagnosticSeverity.Error },
        { "LIN0105", DiagnosticSeverity.Error },
    };

    private static readonly DiagnosticDescriptor[] Supported =
        [.. new StorageConfigurationAnalyzer().SupportedDiagnostics, .. new ArtifactDeclarationAnalyzer().SupportedDiagnostics];

    [Theory]
    [MemberData(nameof(Contract))]
    public void Each_contract_id_is_reported_by_an_analyzer_with_its_severity_and_a_documented_help_link(string id, DiagnosticSeverity severity)
    {
        var descriptor = Assert.Single(Supported, d => d.Id == id);

        Assert.Equal(severity, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Equal("https://github.com/lineage-dotnet/lineage/blob/main/docs/diagnostics.md#" + id.ToLowerInvariant(), descriptor.HelpLinkUri);
        var catalog = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"));
        Assert.Contains("## " + id, catalog);
    }

    [Fact]
    public void The_analyzers_report_no_id_outside_the_contract()
    {
        var contract = Contract.Select(row => row.Data.Item1).ToHashSet();

        Assert.All(Supported, d => Assert.Contains(d.Id, contract));
    }

    [Fact]
    public void Help_links_point_into_the_repository_the_package_names_as_its_home()
    {
        var project = System.Xml.Linq.XDocument.Load(Path.Combine(RepositoryRoot(), "src", "Lineage", "Lineage.csproj"));
        var home = project.Descendants("PackageProjectUrl").Single().Value;

        Assert.StartsWith(home + "/blob/main/docs/diagnostics.md#", Descriptors.HelpLinkBase, StringComparison.Ordinal);
        Assert.True(Uri.TryCreate(Descriptors.HelpLinkBase, UriKind.Absolute, out var link) && link.Scheme == Uri.UriSchemeHttps, Descriptors.HelpLinkBase);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Generators.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Generators.sln) above " + AppContext.BaseDirectory);
    }
}
