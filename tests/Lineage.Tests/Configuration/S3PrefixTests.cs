using Amazon.S3.Model;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Configuration;

/// <summary>
/// S3 keys are not paths: a '.', '..' or empty segment in a prefix would become part of every key rather than move
/// up or stay put, so such prefixes are refused with the same words LIN0002 uses at compile time.
/// </summary>
public sealed class S3PrefixTests(S3Server s3)
{
    [Theory]
    [InlineData("s3://team-bucket/team/../other", "'..'")]
    [InlineData("s3://team-bucket/team/..", "'..'")]
    [InlineData("s3://team-bucket/./models", "'.'")]
    [InlineData("s3://team-bucket/team/./models", "'.'")]
    [InlineData("s3://team-bucket/team//models", "empty")]
    [InlineData("s3://team-bucket//team", "empty")]
    public void A_prefix_with_dot_dotdot_or_empty_segments_is_refused_naming_the_root(string root, string segment)
    {
        using var sandbox = new ConfigSandbox();

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve(new LineageOptions { ArtifactStorageDir = root }));

        Assert.Contains($"artifact_storage_dir '{root}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(segment, error.Message, StringComparison.Ordinal);
        Assert.Contains("S3 keys are not paths", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://team-bucket/team/models/", "s3://team-bucket/team/models")]
    [InlineData("s3://team-bucket/v1.2/..hidden/x.", "s3://team-bucket/v1.2/..hidden/x.")]
    [InlineData("s3://team-bucket", "s3://team-bucket")]
    [InlineData("s3://team-bucket/", "s3://team-bucket")]
    public void Dots_inside_a_segment_and_trailing_slashes_are_accepted(string root, string normalized)
    {
        using var sandbox = new ConfigSandbox();

        var resolved = sandbox.Resolve(new LineageOptions { ArtifactStorageDir = root });

        Assert.Equal(normalized, resolved.ArtifactStorageDir);
    }

    [Fact]
    public async Task Storages_Add_refuses_a_dotdot_prefix_before_writing_anything_to_the_bucket()
    {
        var ct = TestContext.Current.CancellationToken;
        using var home = new TestHome();
        var bucket = await s3.CreateBucketAsync();
        var options = home.Options(artifactStorageDir: $"s3://{bucket}/main");
        foreach (var (key, value) in await s3.StorageOptionsAsync())
        {
            options.StorageOptions[key] = value;
        }

        await using var store = await ArtifactStore.OpenAsync(options, ct);
        var root = $"s3://{bucket}/team/../other";

        var error = await Assert.ThrowsAsync<LineageConfigurationException>(() => store.Storages.AddAsync(root, cancellationToken: ct));

        Assert.Contains($"storage root '{root}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'..'", error.Message, StringComparison.Ordinal);
        using var client = await s3.ClientAsync();
        var keys = (await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, ct)).S3Objects?.Select(o => o.Key) ?? [];
        Assert.Equal(["main/.lineage/storage.json"], keys);
    }
}
