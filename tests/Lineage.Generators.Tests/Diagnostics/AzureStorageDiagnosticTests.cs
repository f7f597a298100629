using Microsoft.CodeAnalysis;
using static Lineage.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace Lineage.Generators.Tests.Diagnostics;

/// <summary>LIN0002 and LIN0004 for Azure Blob roots (<c>az://container/prefix</c>), from the Azure descriptor's rules.</summary>
public sealed class AzureStorageDiagnosticTests
{
    private static Task<AnalyzerRun> JsonAsync(string json) => AnalyzerHarness.RunAsync(AnalyzedProject.Json(json));

    [Theory]
    [InlineData("az://ab/prefix", "3 to 63")]
    [InlineData("az://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/prefix", "3 to 63")]
    [InlineData("az://Team-Models/prefix", "only lowercase letters, digits and hyphens")]
    [InlineData("az://team_models/prefix", "only lowercase letters, digits and hyphens")]
    [InlineData("az://team.models/prefix", "only lowercase letters, digits and hyphens")]
    [InlineData("az://-team/prefix", "start and end with a letter or digit")]
    [InlineData("az://team-/prefix", "start and end with a letter or digit")]
    [InlineData("az://team--models/prefix", "no two hyphens in a row")]
    public async Task LIN0002_invalid_Azure_container_names_are_errors_that_name_the_rule(string storageDir, string rule)
    {
        var run = await JsonAsync(StorageConfigurationDiagnosticTests.Config("sqlite:///lineage.sqlite", storageDir));

        var diagnostic = run.One("LIN0002");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("\"" + storageDir + "\"", run.TextAt(diagnostic.Location));
        Assert.Contains("invalid Azure container", Message(diagnostic));
        Assert.Contains(rule, Message(diagnostic));
    }

    [Theory]
    [InlineData("az://team-models/a//b", "an empty segment ('//')")]
    [InlineData("az://team-models/a/../b", "a '..' segment")]
    [InlineData("az://team-models/./b", "a '.' segment")]
    public async Task LIN0002_Azure_prefixes_with_dot_dotdot_or_empty_segments_are_errors(string storageDir, string segment)
    {
        var run = await JsonAsync(StorageConfigurationDiagnosticTests.Config("sqlite:///lineage.sqlite", storageDir));

        Assert.Contains($"has {segment} in its prefix: blob names are not paths", Message(run.One("LIN0002")));
    }

    [Fact]
    public async Task LIN0002_a_SAS_written_into_the_location_is_an_error_that_does_not_repeat_the_signature()
    {
        var run = await JsonAsync(StorageConfigurationDiagnosticTests.Config("sqlite:///lineage.sqlite", "az://team-models/a?sv=2024-08-04&sig=c2VjcmV0LXNpZw%3D%3D"));

        var message = Message(run.One("LIN0002"));
        Assert.Contains("storage option sas_token", message);
        Assert.DoesNotContain("c2VjcmV0", message);
        Assert.DoesNotContain("sv=2024", message);
    }

    [Theory]
    [InlineData("abfs://models@team.dfs.core.windows.net/a")]
    [InlineData("wasbs://models@team.blob.core.windows.net/a")]
    public async Task LIN0002_other_Azure_url_forms_point_at_az(string storageDir)
    {
        var run = await JsonAsync(StorageConfigurationDiagnosticTests.Config("sqlite:///lineage.sqlite", storageDir));

        Assert.Contains("write Azure Blob locations as az://container/prefix", Message(run.One("LIN0002")));
    }

    [Theory]
    [InlineData("az://team-models")]
    [InlineData("az://team-models/")]
    [InlineData("az://team-models/models/v1.2")]
    [InlineData("az://abc/x")]
    [InlineData("az://a1-b2-c3/x")]
    public async Task Valid_Azure_locations_and_options_report_nothing(string storageDir)
    {
        var run = await JsonAsync($$"""
            {
              "database_url": "sqlite:///lineage.sqlite",
              "artifact_storage_dir": "{{storageDir}}",
              "storage_options": { "account_name": "teamstore", "account_url": "https://teamstore.blob.core.windows.net" }
            }
            """);

        run.AssertClean();
    }

    [Theory]
    [InlineData("account_key", "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")]
    [InlineData("sas_token", "sv=2024-08-04&ss=b&sig=c2VjcmV0")]
    [InlineData("connection_string", "DefaultEndpointsProtocol=https;AccountName=teamstore;AccountKey=c2VjcmV0;")]
    public async Task LIN0004_Azure_secret_storage_options_in_lineage_json_are_warnings_at_their_values(string key, string value)
    {
        var run = await JsonAsync($$"""
            {
              "database_url": "sqlite:///lineage.sqlite",
              "artifact_storage_dir": "az://team-models/artifacts",
              "storage_options": { "{{key}}": "{{value}}" }
            }
            """);

        var diagnostic = run.One("LIN0004");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal("\"" + value + "\"", run.TextAt(diagnostic.Location));
        Assert.Contains($"'{key}' holds a credential in plain text", Message(diagnostic));
        Assert.Contains("Azure default credential chain", Message(diagnostic));
        Assert.DoesNotContain(value, Message(diagnostic));
    }

    [Theory]
    [InlineData("account_key", "AZURE_STORAGE_ACCOUNT_KEY")]
    [InlineData("sas_token", "AZURE_STORAGE_SAS_TOKEN")]
    [InlineData("connection_string", "AZURE_STORAGE_CONNECTION_STRING")]
    public async Task LIN0004_Azure_secret_literal_assigned_to_a_StorageOptions_entry_offers_the_Azure_variable(string key, string variable)
    {
        var run = await AnalyzerHarness.RunAsync($$"""
            using Lineage;

            namespace Consumer;

            public static class Setup
            {
                public static void Configure(LineageOptions options)
                {
                    options.StorageOptions["{{key}}"] = "c2VjcmV0LXZhbHVl";
                    options.StorageOptions["account_name"] = "teamstore";
                }
            }
            """);

        var diagnostic = run.One("LIN0004");
        Assert.Equal("\"c2VjcmV0LXZhbHVl\"", run.TextAt(diagnostic.Location));
        Assert.Equal(variable, diagnostic.Properties[Lineage.Generators.Diagnostics.Descriptors.FixProperty]);
    }

    [Fact]
    public async Task LIN0004_Azure_secret_in_the_attribute_storage_options_is_a_warning_at_that_element()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            [assembly: ArtifactStorage(DatabaseUrl = "sqlite:///lineage.sqlite", ArtifactStorageDir = "az://team-models/a",
                StorageOptions = new[] { "account_name=teamstore", "sas_token=sv=2024&sig=abc" })]
            """);

        Assert.Equal("\"sas_token=sv=2024&sig=abc\"", run.TextAt(run.One("LIN0004").Location));
    }
}
