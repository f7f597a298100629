using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;

namespace Lineage.Values.S3;

/// <summary>
/// Builds the S3 client from <c>storage_options</c>: <c>profile</c>, <c>key</c>/<c>secret</c>/<c>session_token</c>,
/// <c>region</c>, <c>endpoint_url</c>, <c>force_path_style</c>. Without credentials in the options the AWS default
/// chain applies (AWS_PROFILE, AWS_ACCESS_KEY_ID, ~/.aws, instance roles).
/// </summary>
internal static class S3Client
{
    public static AmazonS3Client Create(IReadOnlyDictionary<string, string> options)
    {
        var config = new AmazonS3Config { MaxErrorRetry = 3 };
        var region = options.GetValueOrDefault("region");
        if (options.GetValueOrDefault("endpoint_url") is { Length: > 0 } endpoint)
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out _))
            {
                throw new LineageConfigurationException($"storage option endpoint_url '{Backends.UrlText.Mask(endpoint)}' is not an absolute URL such as http://127.0.0.1:9000.");
            }

            config.ServiceURL = endpoint;
            config.AuthenticationRegion = region ?? "us-east-1";
        }
        else if (region is { Length: > 0 })
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        if (options.GetValueOrDefault("force_path_style") is { } pathStyle)
        {
            config.ForcePathStyle = pathStyle.Trim().ToLowerInvariant() switch
            {
                "true" or "1" or "yes" => true,
                "false" or "0" or "no" => false,
                _ => throw new LineageConfigurationException($"storage option force_path_style must be true or false, not '{pathStyle}'."),
            };
        }

        var credentials = Credentials(options);
        try
        {
            return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
        }
        catch (AmazonClientException e)
        {
            throw new LineageConfigurationException(
                $"Cannot set up the S3 client: {e.Message} Give the bucket's region as storage option 'region' (or AWS_REGION / a profile's region), or an S3-compatible server as 'endpoint_url'.", e);
        }
    }

    private static AWSCredentials? Credentials(IReadOnlyDictionary<string, string> options)
    {
        var key = options.GetValueOrDefault("key");
        var secret = options.GetValueOrDefault("secret");
        if (key is not null || secret is not null)
        {
            if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(secret))
            {
                throw new LineageConfigurationException("storage_options must give both 'key' and 'secret', or neither (and let the AWS default chain or 'profile' supply credentials).");
            }

            return options.GetValueOrDefault("session_token") is { Length: > 0 } token
                ? new SessionAWSCredentials(key, secret, token)
                : new BasicAWSCredentials(key, secret);
        }

        if (options.GetValueOrDefault("profile") is { Length: > 0 } profile)
        {
            return new CredentialProfileStoreChain().TryGetAWSCredentials(profile, out var fromProfile)
                ? fromProfile
                : throw new LineageConfigurationException($"The AWS profile '{profile}' named in storage_options was not found in the AWS config or credentials files.");
        }

        return null;
    }
}
