using Microsoft.CodeAnalysis;
using static Lineage.Generators.Tests.Diagnostics.DiagnosticAssert;

namespace Lineage.Generators.Tests.Diagnostics;

/// <summary>LIN0001–LIN0007: the storage a project states in lineage.json, [assembly: ArtifactStorage] or MSBuild, at the exact token.</summary>
public sealed class StorageConfigurationDiagnosticTests
{
    /// <summary>
    /// A lineage.json with the database URL's token at line 2, column 19 and the storage dir's at line 3, column 27.
    /// Values are JSON-escaped by the caller (a Windows path is written <c>C:\\data</c>).
    /// </summary>
    internal static string Config(string databaseUrl, string storageDir) => $$"""
        {
          "database_url": "{{databaseUrl}}",
          "artifact_storage_dir": "{{storageDir}}"
        }
        """;

    private static Task<AnalyzerRun> JsonAsync(string json) => AnalyzerHarness.RunAsync(AnalyzedProject.Json(json));

    // ---- LIN0001 ----

    [Fact]
    public async Task LIN0001_unsupported_database_scheme_in_lineage_json_is_an_error_at_the_value_token()
    {
        var run = await JsonAsync(Config("mysql://db.internal/lineage", "values"));

        var diagnostic = run.One("LIN0001");
        At(run, diagnostic, DiagnosticSeverity.Error, "lineage.json(2,19)-(2,48)", "\"mysql://db.internal/lineage\"");
        Assert.Contains("unsupported scheme 'mysql'", Message(diagnostic));
    }

    [Fact]
    public async Task LIN0001_in_the_assembly_attribute_points_at_the_argument()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            [assembly: ArtifactStorage(DatabaseUrl = "sqlite::memory:", ArtifactStorageDir = "values")]
            """);

        At(run, run.One("LIN0001"), DiagnosticSeverity.Error, "Program.cs(3,42)-(3,59)", "\"sqlite::memory:\"");
    }

    [Fact]
    public async Task LIN0001_from_the_LineageDatabaseUrl_msbuild_property_has_no_source_location()
    {
        var run = await AnalyzerHarness.RunAsync(AnalyzedProject.Code("namespace Consumer;") with
        {
            BuildProperties = new Dictionary<string, string> { ["LineageDatabaseUrl"] = "oracle://db/x", ["LineageArtifactStorageDir"] = "values" },
        });

        var diagnostic = run.One("LIN0001");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(Location.None, diagnostic.Location);
        Assert.Contains("'oracle'", Message(diagnostic));
    }

    [Theory]
    [InlineData("postgres://lineage@db.internal:5432/lineage")]
    [InlineData("postgresql://lineage@db.internal:5432/lineage")]
    [InlineData("postgresql://db.internal/lineage")]
    [InlineData("sqlite:///relative/lineage.sqlite")]
    [InlineData("sqlite:////absolute/lineage.sqlite")]
    [InlineData("sqlite:///~/lineage/db.sqlite")]
    [InlineData("sqlite:///C:/data/lineage.sqlite")]
    public async Task Valid_database_urls_without_passwords_report_nothing(string databaseUrl)
    {
        var run = await JsonAsync(Config(databaseUrl, "values"));

        run.AssertClean();
    }

    // ---- LIN0002 ----

    [Fact]
    public async Task LIN0002_gs_url_is_an_error_that_says_to_use_the_S3_compatible_endpoint()
    {
        var run = await JsonAsync(Config("sqlite:///lineage.sqlite", "gs://team-bucket/artifacts"));

        var diagnostic = run.One("LIN0002");
        At(run, diagnostic, DiagnosticSeverity.Error, "lineage.json(3,27)-(3,55)", "\"gs://team-bucket/artifacts\"");
        Assert.Contains("S3-compatible endpoint", Message(diagnostic));
        Assert.Contains("endpoint_url=https://storage.googleapis.com", Message(diagnostic));
    }

    [Theory]
    [InlineData("s3://ab/prefix", "3 to 63 characters")]
    [InlineData("s3://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/prefix", "3 to 63 characters")]
    [InlineData("s3://Team-Bucket/prefix", "no uppercase")]
    [InlineData("s3://team_bucket/prefix", "no '_'")]
    [InlineData("s3://192.168.5.4/prefix", "not an IP address")]
    [InlineData("s3://-team/prefix", "starts and ends with a letter or digit")]
    [InlineData("s3://team..bucket/prefix", "no two adjacent periods")]
    public async Task LIN0002_invalid_S3_bucket_names_are_errors_that_name_the_rule(string storageDir, string rule)
    {
        var run = await JsonAsync(Config("sqlite:///lineage.sqlite", storageDir));

        var diagnostic = run.One("LIN0002");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("\"" + storageDir + "\"", run.TextAt(diagnostic.Location));
        Assert.Contains(rule, Message(diagnostic));
    }

    [Theory]
    [InlineData("s3://team-bucket/team/../other", "'..'")]
    [InlineData("s3://team-bucket/./models", "'.'")]
    [InlineData("s3://team-bucket/team//models", "empty")]
    public async Task LIN0002_S3_prefixes_with_dot_dotdot_or_empty_segments_are_errors_worded_as_the_runtime_refuses_them(string storageDir, string segment)
    {
        var run = await JsonAsync(Config("sqlite:///lineage.sqlite", storageDir));

        var diagnostic = run.One("LIN0002");
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal("\"" + storageDir + "\"", run.TextAt(diagnostic.Location));
        Assert.Contains(segment, Message(diagnostic));
        // One rule compiled into both: what the compiler says is what opening the store says.
        // Resolving options opens and creates nothing, so a home that does not exist keeps the real ~/.lineage out of it.
        var home = Path.Combine(Path.GetTempPath(), "lineage-generator-tests", Guid.NewGuid().ToString("N"));
        var runtime = Assert.Throws<Lineage.LineageConfigurationException>(() => Lineage.ArtifactStore.ResolveOptions(
            new Lineage.LineageOptions { Home = home, DatabaseUrl = "sqlite:///" + Path.Combine(home, "lineage.sqlite"), ArtifactStorageDir = storageDir }));
        Assert.Equal(runtime.Message, Message(diagnostic) + ".");
    }

    [Fact]
    public async Task LIN0002_unsupported_scheme_in_the_assembly_attribute_points_at_the_argument()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            [assembly: ArtifactStorage(DatabaseUrl = "sqlite:///lineage.sqlite", ArtifactStorageDir = "ftp://files/values")]
            """);

        var diagnostic = run.One("LIN0002");
        At(run, diagnostic, DiagnosticSeverity.Error, "Program.cs(3,91)-(3,111)", "\"ftp://files/values\"");
        Assert.Contains("unsupported scheme 'ftp'", Message(diagnostic));
    }

    [Theory]
    [InlineData("s3://valid-bucket/prefix")]
    [InlineData("s3://valid.bucket.name")]
    [InlineData("~/artifacts")]
    [InlineData("~")]
    [InlineData(@"C:\\data\\artifacts")]
    [InlineData("C:/data/artifacts")]
    [InlineData(@"\\\\server\\share\\artifacts")]
    [InlineData("file:///srv/artifacts")]
    [InlineData("relative/artifacts")]
    [InlineData("/srv/artifacts")]
    public async Task Valid_storage_dirs_including_home_and_Windows_paths_report_nothing(string jsonEscapedStorageDir)
    {
        var run = await JsonAsync(Config("sqlite:///lineage.sqlite", jsonEscapedStorageDir));

        run.AssertClean();
    }

    /// <summary>
    /// BUG: "2024" and "123" are valid S3 bucket names (3–63 lowercase letters/digits), but
    /// <c>IPAddress.TryParse</c> accepts them as legacy IPv4 forms (0.0.7.232, 0.0.0.123), so LIN0002 fires.
    /// </summary>
    [Theory]
    [InlineData("s3://2024/reports")]
    [InlineData("s3://123/prefix")]
    public async Task All_digit_bucket_names_are_valid_and_not_taken_for_IP_addresses(string storageDir)
    {
        var run = await JsonAsync(Config("sqlite:///lineage.sqlite", storageDir));

        run.AssertClean();
    }

    // ---- LIN0003 ----

    [Fact]
    public async Task LIN0003_only_database_url_in_lineage_json_is_a_warning_at_that_value()
    {
        var run = await JsonAsync("""
            {
              "database_url": "postgresql://lineage@db.internal/lineage"
            }
            """);

        var diagnostic = run.One("LIN0003");
        At(run, diagnostic, DiagnosticSeverity.Warning, "lineage.json(2,19)-(2,61)", "\"postgresql://lineage@db.internal/lineage\"");
        Assert.Contains("sets database_url but not artifact_storage_dir", Message(diagnostic));
    }

    [Fact]
    public async Task LIN0003_only_ArtifactStorageDir_in_the_attribute_is_a_warning_at_the_argument()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            [assembly: ArtifactStorage(ArtifactStorageDir = "s3://team-bucket/artifacts")]
            """);

        var diagnostic = run.One("LIN0003");
        At(run, diagnostic, DiagnosticSeverity.Warning, "Program.cs(3,49)-(3,77)", "\"s3://team-bucket/artifacts\"");
        Assert.Contains("sets artifact_storage_dir but not database_url", Message(diagnostic));
    }

    [Fact]
    public async Task LIN0003_only_the_LineageDatabaseUrl_msbuild_property_is_a_warning()
    {
        var run = await AnalyzerHarness.RunAsync(AnalyzedProject.Code("namespace Consumer;") with
        {
            BuildProperties = new Dictionary<string, string> { ["LineageDatabaseUrl"] = "sqlite:///lineage.sqlite" },
        });

        var diagnostic = run.One("LIN0003");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        Assert.Equal(Location.None, diagnostic.Location);
    }

    [Fact]
    public async Task LIN0003_is_not_reported_when_the_two_settings_come_from_different_project_sources()
    {
        var fromJsonAndAttribute = await AnalyzerHarness.RunAsync(AnalyzedProject.Code("""
            using Lineage;

            [assembly: ArtifactStorage(ArtifactStorageDir = "s3://team-bucket/artifacts")]
            """) with { LineageJson = """{ "database_url": "postgresql://lineage@db.internal/lineage" }""" });
        var fromJsonAndMsBuild = await AnalyzerHarness.RunAsync(AnalyzedProject.Json("""{ "artifact_storage_dir": "values" }""") with
        {
            BuildProperties = new Dictionary<string, string> { ["LineageDatabaseUrl"] = "sqlite:///lineage.sqlite", ["LineageArtifactStorageDir"] = "" },
        });

        fromJsonAndAttribute.AssertClean();
        fromJsonAndMsBuild.AssertClean();
    }

    // ---- LIN0004 ----

    [Fact]
    public async Task LIN0004_password_in_lineage_json_database_url_is_a_warning_at_the_value_and_the_message_masks_it()
    {
        var run = await JsonAsync(Config("postgresql://lineage:hunter2@db.internal/lineage", "values"));

        var diagnostic = run.One("LIN0004");
        At(run, diagnostic, DiagnosticSeverity.Warning, "lineage.json(2,19)-(2,69)", "\"postgresql://lineage:hunter2@db.internal/lineage\"");
        Assert.DoesNotContain("hunter2", Message(diagnostic));
        Assert.Contains("LINEAGE_DATABASE_URL", Message(diagnostic));
        run.AssertNo("LIN0001");
    }

    /// <summary>BUG: the analyzer's mask only hides user:password@, so a password=… query parameter is printed into the build log.</summary>
    [Fact]
    public async Task LIN0004_message_masks_a_password_query_parameter()
    {
        var run = await JsonAsync(Config("postgresql://lineage@db.internal/lineage?password=hunter2", "values"));

        var diagnostic = run.One("LIN0004");
        Assert.DoesNotContain("hunter2", Message(diagnostic));
    }

    [Fact]
    public async Task LIN0004_secret_storage_option_in_lineage_json_is_a_warning_at_its_value()
    {
        var run = await JsonAsync("""
            {
              "database_url": "sqlite:///lineage.sqlite",
              "artifact_storage_dir": "s3://team-bucket/artifacts",
              "storage_options": { "secret": "wJalrXUtnFEMI" }
            }
            """);

        var diagnostic = run.One("LIN0004");
        At(run, diagnostic, DiagnosticSeverity.Warning, "lineage.json(4,34)-(4,49)", "\"wJalrXUtnFEMI\"");
        Assert.Contains("'profile'", Message(diagnostic));
    }

    [Fact]
    public async Task LIN0004_key_in_the_attribute_storage_options_is_a_warning_at_that_element()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            [assembly: ArtifactStorage(DatabaseUrl = "sqlite:///lineage.sqlite", ArtifactStorageDir = "s3://team-bucket/a",
                StorageOptions = new[] { "region=eu-west-1", "key=AKIAEXAMPLE" })]
            """);

        At(run, run.One("LIN0004"), DiagnosticSeverity.Warning, "Program.cs(4,50)-(4,67)", "\"key=AKIAEXAMPLE\"");
    }

    [Fact]
    public async Task LIN0004_password_literal_assigned_to_LineageOptions_DatabaseUrl_is_a_warning_at_the_literal_with_the_environment_fix()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Setup
            {
                public static LineageOptions Options() => new()
                {
                    DatabaseUrl = "postgres://lineage:hunter2@db.internal/lineage",
                };
            }
            """);

        var diagnostic = run.One("LIN0004");
        At(run, diagnostic, DiagnosticSeverity.Warning, "Program.cs(9,23)-(9,71)", "\"postgres://lineage:hunter2@db.internal/lineage\"");
        Assert.Equal("LINEAGE_DATABASE_URL", diagnostic.Properties[Lineage.Generators.Diagnostics.Descriptors.FixProperty]);
        Assert.DoesNotContain("hunter2", Message(diagnostic));
    }

    [Fact]
    public async Task LIN0004_secret_literal_assigned_to_a_StorageOptions_entry_is_a_warning_with_the_AWS_variable_to_read()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Setup
            {
                public static void Configure(LineageOptions options)
                {
                    options.StorageOptions["secret"] = "wJalrXUtnFEMI";
                }
            }
            """);

        var diagnostic = run.One("LIN0004");
        At(run, diagnostic, DiagnosticSeverity.Warning, "Program.cs(9,44)-(9,59)", "\"wJalrXUtnFEMI\"");
        Assert.Equal("AWS_SECRET_ACCESS_KEY", diagnostic.Properties[Lineage.Generators.Diagnostics.Descriptors.FixProperty]);
    }

    /// <summary>
    /// BUG: in <c>StorageOptions = { ["session_token"] = "…" }</c> the implicit receiver's parent is the indexer reference and
    /// its grandparent the assignment, not the <c>IObjectOrCollectionInitializerOperation</c> that <c>IsStorageOptions</c> expects.
    /// </summary>
    [Fact]
    public async Task LIN0004_secret_literal_in_the_StorageOptions_collection_initializer_is_a_warning()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Setup
            {
                public static LineageOptions Options() => new()
                {
                    StorageOptions = { ["session_token"] = "FwoGZXIvYXdzEXAMPLE" },
                };
            }
            """);

        var diagnostic = run.One("LIN0004");
        At(run, diagnostic, DiagnosticSeverity.Warning, "Program.cs(9,48)-(9,69)", "\"FwoGZXIvYXdzEXAMPLE\"");
        Assert.Equal("AWS_SESSION_TOKEN", diagnostic.Properties[Lineage.Generators.Diagnostics.Descriptors.FixProperty]);
    }

    /// <summary>
    /// BUG: <c>LineageOptions.StorageOptions</c> is settable ("assigning a dictionary copies its entries"), but a secret in
    /// the assigned dictionary's initializer is not seen: <c>IsStorageOptions</c> only follows an implicit receiver
    /// whose initializer belongs to the <c>StorageOptions</c> member itself.
    /// </summary>
    [Fact]
    public async Task LIN0004_secret_in_a_dictionary_assigned_to_StorageOptions_is_a_warning()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Setup
            {
                public static LineageOptions Options() => new()
                {
                    StorageOptions = new Dictionary<string, string> { ["secret"] = "wJalrXUtnFEMI" },
                };
            }
            """);

        Assert.Equal("\"wJalrXUtnFEMI\"", run.TextAt(run.One("LIN0004").Location));
    }

    [Fact]
    public async Task No_LIN0004_for_credentials_read_from_the_environment_or_for_non_secret_options()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public static class Setup
            {
                public static LineageOptions Options()
                {
                    var options = new LineageOptions
                    {
                        DatabaseUrl = Environment.GetEnvironmentVariable("LINEAGE_DATABASE_URL"),
                        StorageOptions = { ["profile"] = "research", ["region"] = "eu-west-1" },
                    };
                    options.StorageOptions["secret"] = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "";
                    options.DatabaseUrl = "postgresql://lineage@db.internal/lineage";
                    return options;
                }
            }
            """);

        run.AssertClean();
    }

    // ---- LIN0005 ----

    [Fact]
    public async Task LIN0005_unknown_storage_option_in_lineage_json_is_a_warning_at_the_key_with_the_nearest_known_key()
    {
        var run = await JsonAsync("""
            {
              "database_url": "sqlite:///lineage.sqlite",
              "artifact_storage_dir": "s3://team-bucket/artifacts",
              "storage_options": { "endpoint": "http://127.0.0.1:9000" }
            }
            """);

        var diagnostic = run.One("LIN0005");
        At(run, diagnostic, DiagnosticSeverity.Warning, "lineage.json(4,24)-(4,34)", "\"endpoint\"");
        Assert.Equal("endpoint_url", diagnostic.Properties[Lineage.Generators.Diagnostics.Descriptors.FixProperty]);
        Assert.Contains("did you mean 'endpoint_url'", Message(diagnostic));
    }

    [Fact]
    public async Task LIN0005_unknown_storage_option_in_the_attribute_is_a_warning_at_the_element()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            [assembly: ArtifactStorage(DatabaseUrl = "sqlite:///lineage.sqlite", ArtifactStorageDir = "s3://team-bucket/a",
                StorageOptions = new[] { "profile=research", "regoin=eu-west-1" })]
            """);

        var diagnostic = run.One("LIN0005");
        At(run, diagnostic, DiagnosticSeverity.Warning, "Program.cs(4,50)-(4,68)", "\"regoin=eu-west-1\"");
        Assert.Equal("region", diagnostic.Properties[Lineage.Generators.Diagnostics.Descriptors.FixProperty]);
    }

    [Fact]
    public async Task Known_storage_options_including_profile_report_nothing()
    {
        var run = await JsonAsync("""
            {
              "database_url": "sqlite:///lineage.sqlite",
              "artifact_storage_dir": "s3://team-bucket/artifacts",
              "storage_options": { "profile": "research", "region": "eu-west-1", "endpoint_url": "http://127.0.0.1:9000", "force_path_style": true }
            }
            """);

        run.AssertClean();
    }

    // ---- LIN0006 ----

    [Fact]
    public async Task LIN0006_sqlite_database_inside_an_s3_root_is_an_error_at_the_value()
    {
        var run = await JsonAsync(Config("sqlite:///s3://team-bucket/lineage.sqlite", "s3://team-bucket/artifacts"));

        var diagnostic = run.One("LIN0006");
        At(run, diagnostic, DiagnosticSeverity.Error, "lineage.json(2,19)-(2,62)", "\"sqlite:///s3://team-bucket/lineage.sqlite\"");
        Assert.Contains("PostgreSQL", Message(diagnostic));
        run.AssertNo("LIN0001");
    }

    [Fact]
    public async Task LIN0006_sqlite_database_on_a_network_share_in_the_attribute_is_an_error_at_the_argument()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            [assembly: ArtifactStorage(DatabaseUrl = "sqlite://///fileserver/team/lineage.sqlite", ArtifactStorageDir = "values")]
            """);

        At(run, run.One("LIN0006"), DiagnosticSeverity.Error, "Program.cs(3,42)-(3,86)", "\"sqlite://///fileserver/team/lineage.sqlite\"");
    }

    [Fact]
    public async Task A_local_sqlite_database_beside_an_s3_root_reports_nothing()
    {
        var run = await JsonAsync(Config("sqlite:////var/lib/lineage/db.sqlite", "s3://team-bucket/artifacts"));

        run.AssertClean();
    }

    // ---- LIN0007 ----

    [Fact]
    public async Task LIN0007_invalid_json_is_an_error_at_the_offending_character()
    {
        var run = await JsonAsync("""
            {
              "database_url": "sqlite:///lineage.sqlite"
              "artifact_storage_dir": "values"
            }
            """);

        var diagnostic = run.One("LIN0007");
        At(run, diagnostic, DiagnosticSeverity.Error, "lineage.json(3,3)-(3,4)", "\"");
        Assert.Single(run.Diagnostics);
    }

    [Fact]
    public async Task LIN0007_unknown_setting_and_wrong_value_type_are_errors_at_their_tokens()
    {
        var run = await JsonAsync("""
            {
              "databse_url": "sqlite:///lineage.sqlite",
              "artifact_storage_dir": 42
            }
            """);

        var diagnostics = run.All("LIN0007").OrderBy(d => d.Location.SourceSpan.Start).ToList();
        Assert.Equal(2, diagnostics.Count);
        At(run, diagnostics[0], DiagnosticSeverity.Error, "lineage.json(2,3)-(2,16)", "\"databse_url\"");
        Assert.Contains("unknown setting 'databse_url'", Message(diagnostics[0]));
        At(run, diagnostics[1], DiagnosticSeverity.Error, "lineage.json(3,27)-(3,29)", "42");
    }

    [Fact]
    public async Task Json_with_comments_and_trailing_commas_is_accepted_as_the_runtime_accepts_it()
    {
        var run = await JsonAsync("""
            {
              // the team's shared store
              "database_url": "postgresql://lineage@db.internal/lineage",
              "artifact_storage_dir": "s3://team-bucket/artifacts", /* values */
            }
            """);

        run.AssertClean();
    }
}
