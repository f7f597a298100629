using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Lineage.Testing;
using Lineage.Tests.Servers;
using Lineage.Values.S3;

namespace Lineage.Tests.Backends;

public sealed class S3StorageTests(S3Server s3)
{
    private async Task<LineageOptions> OptionsAsync(TestHome home, string root, Action<IDictionary<string, string>>? adjust = null)
    {
        var options = home.Options(artifactStorageDir: root);
        foreach (var (key, value) in await s3.StorageOptionsAsync())
        {
            options.StorageOptions[key] = value;
        }

        adjust?.Invoke(options.StorageOptions);
        return options;
    }

    [Fact]
    public async Task Missing_bucket_is_an_error_naming_bucket_and_prefix_never_the_secret()
    {
        using var home = new TestHome();
        var options = await OptionsAsync(home, "s3://lineage-no-such-bucket/team/models");

        var error = await Assert.ThrowsAsync<StorageAccessException>(() => ArtifactStore.OpenAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains("lineage-no-such-bucket", error.Message, StringComparison.Ordinal);
        Assert.Contains("s3://lineage-no-such-bucket/team/models", error.Message, StringComparison.Ordinal);
        Assert.Equal("s3://lineage-no-such-bucket/team/models", error.Root);
        Assert.DoesNotContain(s3.SecretKey, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_endpoint_is_an_error_naming_the_endpoint_and_root()
    {
        using var home = new TestHome();
        var closed = $"http://127.0.0.1:{LocalServers.FreePort()}";
        var options = await OptionsAsync(home, "s3://some-bucket/prefix", o => o["endpoint_url"] = closed);

        var error = await Assert.ThrowsAsync<StorageAccessException>(() => ArtifactStore.OpenAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains(closed, error.Message, StringComparison.Ordinal);
        Assert.Contains("s3://some-bucket/prefix", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(s3.SecretKey, error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://ab", "3 to 63")]
    [InlineData("s3://My-Bucket/x", "lowercase")]
    [InlineData("s3://my_bucket/x", "lowercase")]
    [InlineData("s3://-bucket/x", "starts and ends")]
    [InlineData("s3://my..bucket", "adjacent periods")]
    [InlineData("s3://192.168.1.10/x", "IP address")]
    public async Task Invalid_bucket_names_are_refused_before_any_request(string root, string reason)
    {
        using var home = new TestHome();
        var options = await OptionsAsync(home, root);

        var error = await Assert.ThrowsAsync<LineageConfigurationException>(() => ArtifactStore.OpenAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prefix_keeps_values_under_it_and_the_marker_at_its_root()
    {
        using var home = new TestHome();
        var bucket = await s3.CreateBucketAsync();
        await using var store = await ArtifactStore.OpenAsync(await OptionsAsync(home, $"s3://{bucket}/team/models/"), TestContext.Current.CancellationToken);

        var record = await store.SaveAsync("weights", new[] { 1.5f, 2.5f }, TestContext.Current.CancellationToken);

        using var client = await s3.ClientAsync();
        var keys = (await client.ListObjectsV2Async(new() { BucketName = bucket }, TestContext.Current.CancellationToken)).S3Objects.Select(o => o.Key).Order().ToArray();
        Assert.Equal(new[] { $"team/models/{record.Key}", "team/models/.lineage/storage.json" }.Order(), keys);
        Assert.Equal($"s3://{bucket}/team/models", record.StorageRoot);
    }

    [Fact]
    public async Task Key_without_secret_is_a_configuration_error()
    {
        using var home = new TestHome();
        var options = await OptionsAsync(home, "s3://some-bucket", o => o.Remove("secret"));

        var error = await Assert.ThrowsAsync<LineageConfigurationException>(() => ArtifactStore.OpenAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains("'key' and 'secret'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_aws_profile_is_a_configuration_error_naming_it()
    {
        using var home = new TestHome();
        var options = await OptionsAsync(home, "s3://some-bucket", o =>
        {
            o.Remove("key");
            o.Remove("secret");
            o["profile"] = "lineage-profile-that-does-not-exist";
        });

        var error = await Assert.ThrowsAsync<LineageConfigurationException>(() => ArtifactStore.OpenAsync(options, TestContext.Current.CancellationToken));

        Assert.Contains("lineage-profile-that-does-not-exist", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AccessDenied", HttpStatusCode.Forbidden, "denied")]
    [InlineData("InvalidAccessKeyId", HttpStatusCode.Forbidden, "denied")]
    [InlineData("PermanentRedirect", HttpStatusCode.MovedPermanently, "region")]
    [InlineData("AuthorizationHeaderMalformed", HttpStatusCode.BadRequest, "region")]
    [InlineData("NoSuchBucket", HttpStatusCode.NotFound, "does not exist")]
    public void Service_errors_become_storage_errors_a_user_can_act_on(string code, HttpStatusCode status, string expected)
    {
        // moto accepts any credentials and region, so these responses are built here as S3 would send them.
        var root = S3Root.Parse("s3://team-bucket/models");
        var service = new AmazonS3Exception("service said no", ErrorType.Sender, code, "request-1", status);

        var error = Assert.IsType<StorageAccessException>(S3Errors.Translate(service, root, "save", "https://s3.eu-west-1.amazonaws.com"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("team-bucket", error.Message, StringComparison.Ordinal);
        Assert.Same(service, error.InnerException);
    }
}
