using Lineage.Values.Azure;

namespace Lineage.Tests.Configuration;

/// <summary>An az:// root is answered by the Azure descriptor: normalised, its options masked, its rules refused before any request.</summary>
public sealed class AzureLocationTests
{
    [Theory]
    [InlineData("az://team-models/artifacts/", "az://team-models/artifacts")]
    [InlineData("AZ://team-models", "az://team-models")]
    [InlineData("az://team-models/", "az://team-models")]
    [InlineData("  az://team-models/a/b  ", "az://team-models/a/b")]
    public void An_az_root_is_kept_as_an_Azure_location_written_one_way(string written, string recorded)
    {
        using var sandbox = new ConfigSandbox();

        var resolved = sandbox.Resolve(new LineageOptions { ArtifactStorageDir = written });

        Assert.IsType<AzureBackend>(resolved.Storage.Backend);
        Assert.Equal(recorded, resolved.ArtifactStorageDir);
    }

    [Fact]
    public void Azure_secrets_are_masked_where_options_are_shown_and_the_account_is_not()
    {
        using var sandbox = new ConfigSandbox();
        var options = new LineageOptions { ArtifactStorageDir = "az://team-models/a" };
        options.StorageOptions["account_name"] = "teamstore";
        options.StorageOptions["account_key"] = "c2VjcmV0LWtleQ==";
        options.StorageOptions["sas_token"] = "sv=2024-08-04&sig=c2lnbmF0dXJl";
        options.StorageOptions["connection_string"] = "AccountName=teamstore;AccountKey=c2VjcmV0LWtleQ==";

        var shown = sandbox.Resolve(options).MaskedStorageOptions;

        Assert.Equal("teamstore", shown["account_name"]);
        Assert.All(new[] { "account_key", "sas_token", "connection_string" }, key => Assert.Equal("***", shown[key]));
    }

    [Fact]
    public void A_bad_container_is_refused_before_any_request_with_the_rule()
    {
        using var sandbox = new ConfigSandbox();

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve(new LineageOptions { ArtifactStorageDir = "az://Team_Models/a" }));

        Assert.Equal("artifact_storage_dir 'az://Team_Models/a' names an invalid Azure container 'Team_Models': container names hold only lowercase letters, digits and hyphens.", error.Message);
    }
}
