#nullable enable
using System.Collections.Generic;
using Lineage.Backends;

namespace Lineage.Values.S3;

/// <summary>Amazon S3 and S3-compatible services (MinIO, moto, R2, GCS's interoperability endpoint): <c>s3://bucket/prefix</c>.</summary>
internal sealed partial class S3Backend : ValueStoreBackend
{
    public override IReadOnlyList<string> Schemes { get; } = ["s3"];

    public override IReadOnlyList<string> Forms { get; } = ["s3://bucket/prefix"];

    public override string StorageType => "s3";

    public override IReadOnlyList<string> OptionKeys { get; } = ["profile", "region", "endpoint_url", "force_path_style", "key", "secret", "session_token"];

    public override IReadOnlyList<string> SecretKeys { get; } = ["key", "secret", "session_token"];

    public override string CredentialAdvice => "an AWS profile (storage option 'profile') or the AWS default credential chain";

    public override string? EnvironmentVariableFor(string secretKey) => secretKey switch
    {
        "key" => "AWS_ACCESS_KEY_ID",
        "secret" => "AWS_SECRET_ACCESS_KEY",
        "session_token" => "AWS_SESSION_TOKEN",
        _ => null,
    };

    public override string? AdviceFor(string location, string scheme, string settingName) => scheme == "gs"
        ? $"{settingName} '{location}' uses the unsupported scheme 'gs': reach Google Cloud Storage through its S3-compatible endpoint instead: s3://bucket/prefix with storage_options endpoint_url=https://storage.googleapis.com and HMAC keys"
        : null;

    public override IEnumerable<StorageProblem> Problems(string location, string settingName)
    {
        if (Rules.LineageRules.S3LocationProblem(location, settingName) is { } problem)
        {
            yield return new(StorageProblemCode.InvalidStorageLocation, problem);
        }
    }
}
