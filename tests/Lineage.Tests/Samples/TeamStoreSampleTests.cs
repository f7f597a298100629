using Lineage.Tests.Backends;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Samples;

/// <summary>Runs the team sample as a team would: a shared PostgreSQL database and S3 bucket, settings from the environment.</summary>
public sealed class TeamStoreSampleTests(PostgresServer postgres, S3Server s3)
{
    [Fact]
    public async Task Two_members_share_artifacts_on_PostgreSQL_and_S3_with_the_endpoint_and_credentials_from_the_environment()
    {
        await using var environment = await BackendEnvironment.CreateAsync(new Backend(MetadataBackend.Postgres, ValueBackend.S3), postgres, s3);
        var settings = new Dictionary<string, string>
        {
            ["LINEAGE_HOME"] = environment.Home.Path,
            ["LINEAGE_DATABASE_URL"] = environment.DatabaseUrl,
            ["LINEAGE_ARTIFACT_STORAGE_DIR"] = environment.Root,
            ["TEAM_S3_ENDPOINT"] = await s3.EndpointAsync(),
            ["TEAM_S3_REGION"] = "us-east-1",
            // No key or secret in storage_options: the AWS default chain finds these.
            ["AWS_ACCESS_KEY_ID"] = s3.AccessKey,
            ["AWS_SECRET_ACCESS_KEY"] = s3.SecretKey,
        };

        var first = await ProgramRunner.RunAsync("TeamStore", [], settings);
        var second = await ProgramRunner.RunAsync("TeamStore", [], settings);

        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        Assert.Contains("Team store: metadata postgresql://lineage:***@127.0.0.1:", first.Output);
        Assert.Contains($"values   {environment.Root}", first.Output);
        Assert.Contains($"storage options endpoint_url={await s3.EndpointAsync()}, force_path_style=true, region=us-east-1 (from TEAM_S3_ENDPOINT)", first.Output);
        Assert.Contains("alice saved  team/measurements v1: 8 flowers", first.Output);
        Assert.Contains("bob   loaded team/measurements v1: 8 flowers, SHA-256 verified; saved by alice on ", first.Output);
        Assert.Contains("bob   saved  team/petal-model v1: width = ", first.Output);
        Assert.Contains("alice loaded team/petal-model v1 and saved team/review v1", first.Output);
        Assert.Matches(@"(?m)^  team/review v1\s+by \S+ on \S+ at \d{4}-\d\d-\d\d .*s3://", first.Output);
        Assert.Contains("carol, with her own SQLite database_url, tries to save to the team's root and is refused:", first.Output);
        Assert.Contains("database_url and artifact_storage_dir must change hand in hand", first.Output);
        Assert.DoesNotContain(PostgresServer.Password, first.Output + first.Error);
        Assert.True(second.ExitCode == 0, second.Output + second.Error);
        Assert.Contains("bob   loaded team/measurements v2", second.Output);
        Assert.Contains("alice loaded team/petal-model v2 and saved team/review v2", second.Output);

        // What the members saved is in the team's database and bucket, and anyone on them can read it.
        Assert.Equal(6L, await environment.ArtifactRowCountAsync());
        await using var colleague = environment.Open();
        // One object per distinct value (versions with equal bytes share one) and the root's marker.
        var values = colleague.Find(new ArtifactQuery { AllVersions = true }).Select(r => r.Key).Distinct(StringComparer.Ordinal).Count();
        Assert.Equal(values + 1, (await environment.LineageEntriesAsync()).Count);
        var review = await colleague.LoadAsync<Dictionary<string, string>>("team/review", 2, TestContext.Current.CancellationToken);
        Assert.Equal("alice", review["reviewer"]);
        Assert.Equal("team/petal-model v2", review["model"]);
        Assert.Equal("team/measurements v2", review["data"]);
        Assert.Equal(2, (await colleague.LoadAsync<Dictionary<string, double>>("team/petal-model", cancellationToken: TestContext.Current.CancellationToken)).Count);
    }

    [Fact]
    public async Task Without_TEAM_S3_variables_the_storage_options_come_from_the_user_config_file()
    {
        await using var environment = await BackendEnvironment.CreateAsync(new Backend(MetadataBackend.Postgres, ValueBackend.S3), postgres, s3);
        var options = environment.Options();
        options.DatabaseUrl = null;
        options.ArtifactStorageDir = null;
        ProgramRunner.WriteUserConfig(options);
        var settings = new Dictionary<string, string>
        {
            ["LINEAGE_HOME"] = environment.Home.Path,
            ["LINEAGE_DATABASE_URL"] = environment.DatabaseUrl,
            ["LINEAGE_ARTIFACT_STORAGE_DIR"] = environment.Root,
        };

        var (exitCode, output, error) = await ProgramRunner.RunAsync("TeamStore", [], settings);

        Assert.True(exitCode == 0, output + error);
        Assert.Contains("(from the user config file)", output);
        Assert.Contains("key=***", output);
        Assert.DoesNotContain(s3.SecretKey, output + error);
        Assert.Contains("alice loaded team/petal-model v1 and saved team/review v1", output);
        Assert.Equal(3L, await environment.ArtifactRowCountAsync());
    }

    [Theory]
    [InlineData(null, null, "LINEAGE_DATABASE_URL and LINEAGE_ARTIFACT_STORAGE_DIR are not set")]
    [InlineData("postgresql://lineage@127.0.0.1:1/lineage", null, "LINEAGE_ARTIFACT_STORAGE_DIR is not set")]
    [InlineData(null, "s3://team-bucket/lineage", "LINEAGE_DATABASE_URL is not set")]
    public async Task Without_the_shared_database_and_root_in_the_environment_it_fails_naming_what_is_missing(string? databaseUrl, string? root, string expected)
    {
        using var home = new TestHome();
        var settings = new Dictionary<string, string> { ["LINEAGE_HOME"] = home.Path };
        if (databaseUrl is not null)
        {
            settings["LINEAGE_DATABASE_URL"] = databaseUrl;
        }

        if (root is not null)
        {
            settings["LINEAGE_ARTIFACT_STORAGE_DIR"] = root;
        }

        var (exitCode, output, error) = await ProgramRunner.RunAsync("TeamStore", [], settings);

        Assert.Equal(1, exitCode);
        Assert.Equal(string.Empty, output);
        Assert.Contains(expected, error);
        Assert.Contains("export LINEAGE_DATABASE_URL=", error);
        Assert.Contains("TEAM_S3_ENDPOINT", error);
        Assert.DoesNotContain("   at ", error);
        Assert.Empty(Directory.GetFileSystemEntries(home.Path));
    }
}
