using System.Text.Json;
using static Lineage.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace Lineage.Generators.Tests.Diagnostics;

/// <summary>
/// The storage rules are one catalog compiled into the runtime and the analyzers: for settings where the two used to
/// disagree, the LIN diagnostic and the error opening the store say the same thing (the runtime adds a final period).
/// </summary>
public sealed class StorageRulesAgreementTests
{
    /// <summary>What resolving the settings at run time throws; resolving opens and creates nothing, and the home does not exist.</summary>
    private static LineageConfigurationException RuntimeError(string? databaseUrl, string? storageDir)
    {
        var home = Path.Combine(Path.GetTempPath(), "lineage-generator-tests", Guid.NewGuid().ToString("N"));
        return Assert.Throws<LineageConfigurationException>(() => ArtifactStore.ResolveOptions(new LineageOptions
        {
            Home = home,
            DatabaseUrl = databaseUrl ?? "sqlite:///" + Path.Combine(home, "lineage.sqlite"),
            ArtifactStorageDir = storageDir ?? Path.Combine(home, "values"),
        }));
    }

    [Theory]
    [InlineData("ftp://files/values")] // the runtime said ". Supported: a local folder, ...", LIN0002 ": supported are ..."
    [InlineData("gs://team-bucket/artifacts")] // LIN0002 pointed at S3's endpoint for GCS, the runtime did not
    [InlineData("file://relative/values")]
    [InlineData("az://Team_Models/prefix")] // Azure's container rules
    [InlineData("az://ab")]
    [InlineData("az://team--models/prefix")]
    [InlineData("az://team-models/a//b")]
    [InlineData("az://team-models/a?sv=2024-08-04&sig=c2VjcmV0")] // a SAS in the location, masked in both
    [InlineData("abfs://models@team.dfs.core.windows.net/a")]
    public async Task LIN0002_and_the_runtime_error_say_the_same(string storageDir)
    {
        var run = await AnalyzerHarness.RunAsync(AnalyzedProject.Json(StorageConfigurationDiagnosticTests.Config("sqlite:///lineage.sqlite", storageDir)));

        var diagnostic = run.One("LIN0002");
        Assert.Equal(RuntimeError(null, storageDir).Message, Message(diagnostic) + ".");
    }

    [Theory]
    [InlineData("mysql://db.internal/lineage", "LIN0001")] // ". Supported: sqlite:///, ..." against ": supported are ..."
    [InlineData("sqlite:lineage.db", "LIN0001")] // the runtime added "(three slashes, then the path)"
    [InlineData("sqlite:///", "LIN0001")] // the runtime added how to name a file
    [InlineData("sqlite:///s3://team-bucket/lineage.sqlite", "LIN0006")] // the runtime created a local file named like the bucket
    [InlineData("postgresql://user:s3@cr3t@db.internal/lineage", "LIN0001")] // the runtime failed only when connecting, in other words
    public async Task Database_diagnostic_and_the_runtime_error_say_the_same(string databaseUrl, string id)
    {
        var run = await AnalyzerHarness.RunAsync(AnalyzedProject.Json(StorageConfigurationDiagnosticTests.Config(databaseUrl, "values")));

        var diagnostic = run.One(id);
        Assert.Equal(RuntimeError(databaseUrl, null).Message, Message(diagnostic) + ".");
    }

    [Theory]
    [InlineData("account_key")]
    [InlineData("sas_token")]
    [InlineData("connection_string")]
    public async Task LIN0004_flags_exactly_the_options_the_runtime_treats_as_secrets(string key)
    {
        var json = $$"""{ "artifact_storage_dir": "az://team-models/a", "storage_options": { "{{key}}": "c2VjcmV0", "account_name": "teamstore" } }""";

        var run = await AnalyzerHarness.RunAsync(AnalyzedProject.Json(json));

        Assert.Contains(key, Message(run.One("LIN0004")));
        Assert.Single(run.All("LIN0004"));
        var home = Path.Combine(Path.GetTempPath(), "lineage-generator-tests", Guid.NewGuid().ToString("N"));
        var shown = ArtifactStore.ResolveOptions(new LineageOptions
        {
            Home = home,
            DatabaseUrl = "sqlite:///" + Path.Combine(home, "lineage.sqlite"),
            ArtifactStorageDir = "az://team-models/a",
            StorageOptions = { [key] = "c2VjcmV0", ["account_name"] = "teamstore" },
        }).MaskedStorageOptions;
        Assert.Equal(("***", "teamstore"), (shown[key], shown["account_name"]));
    }

    [Fact]
    public async Task A_password_in_a_database_url_without_a_scheme_is_masked_and_flagged_like_the_runtime_masks_it()
    {
        // StorageRules.Mask needed "://" and let this password into the LIN0001 message; the runtime's masking did not.
        var run = await AnalyzerHarness.RunAsync(AnalyzedProject.Json(StorageConfigurationDiagnosticTests.Config("admin:hunter2@db.internal/lineage", "values")));

        var invalid = run.One("LIN0001");
        Assert.DoesNotContain("hunter2", Message(invalid));
        Assert.Equal(RuntimeError("admin:hunter2@db.internal/lineage", null).Message, Message(invalid) + ".");
        Assert.DoesNotContain("hunter2", Message(run.One("LIN0004")));
    }

    [Theory]
    [InlineData("NaN", false)]
    [InlineData("+1", false)]
    [InlineData("Infinity", false)]
    [InlineData("-Infinity", false)]
    [InlineData("01", false)]
    [InlineData("1.", false)]
    [InlineData(".5", false)]
    [InlineData("1e", false)]
    [InlineData("0", true)]
    [InlineData("-1.5e+3", true)]
    [InlineData("12", true)]
    [InlineData("0.25E-2", true)]
    public async Task LIN0007_takes_a_number_exactly_when_the_runtime_JSON_reader_does(string number, bool valid)
    {
        var json = $$"""{ "storage_options": { "region": {{number}} } }""";

        var run = await AnalyzerHarness.RunAsync(AnalyzedProject.Json(json));

        Assert.Equal(valid, run.All("LIN0007").Count == 0);
        Assert.Equal(valid, RuntimeReads(json));
    }

    [Theory]
    [InlineData("local_storage")]
    [InlineData("host")]
    public async Task A_machine_setting_in_lineage_json_is_refused_with_the_runtime_reason(string key)
    {
        var run = await AnalyzerHarness.RunAsync(AnalyzedProject.Json($$"""{ "{{key}}": "x" }"""));

        // The analyzer called it an unknown setting; the runtime says why it does not belong in a project file.
        Assert.Contains("describes a machine, not a project", Message(run.One("LIN0007")));
    }

    [Fact]
    public async Task A_storage_option_that_is_an_object_is_refused_as_the_runtime_refuses_it()
    {
        var run = await AnalyzerHarness.RunAsync(AnalyzedProject.Json("""{ "storage_options": { "region": { "name": "eu" } } }"""));

        Assert.Contains("storage option 'region' must be a string, number or boolean", Message(run.One("LIN0007")));
    }

    private static bool RuntimeReads(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, RuntimeJson);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // How the runtime's ConfigFile reads a config file.
    private static readonly JsonDocumentOptions RuntimeJson = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
}
