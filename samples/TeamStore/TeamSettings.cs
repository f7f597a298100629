using Lineage;

namespace TeamStore;

/// <summary>
/// Where the team's store is, from the environment: the shared database and storage root from Lineage's own
/// variables, and the S3 endpoint from this program's TEAM_S3_* variables. Lineage never reads storage options
/// from environment variables (they may carry secrets): a program that wants them there maps them itself, as here.
/// </summary>
internal sealed record TeamSettings(string DatabaseUrl, string StorageDir, IReadOnlyDictionary<string, string> StorageOptions)
{
    public const string DatabaseUrlVariable = "LINEAGE_DATABASE_URL";
    public const string StorageDirVariable = "LINEAGE_ARTIFACT_STORAGE_DIR";
    public const string EndpointVariable = "TEAM_S3_ENDPOINT";
    public const string RegionVariable = "TEAM_S3_REGION";

    /// <summary>The settings, or the reason they are incomplete (a message for the user).</summary>
    public static (TeamSettings? Settings, string? Problem) FromEnvironment()
    {
        var databaseUrl = Environment.GetEnvironmentVariable(DatabaseUrlVariable);
        var storageDir = Environment.GetEnvironmentVariable(StorageDirVariable);
        var missing = new[] { (DatabaseUrlVariable, databaseUrl), (StorageDirVariable, storageDir) }
            .Where(v => string.IsNullOrWhiteSpace(v.Item2))
            .Select(v => v.Item1)
            .ToList();
        if (missing.Count > 0)
        {
            return (null,
                $"""
                 TeamStore runs on a team's shared store, and {string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not set.
                 Set both: they move hand in hand, since a storage root is written by one metadata database only.
                   export {DatabaseUrlVariable}='postgresql://USER:PASSWORD@HOST:5432/lineage'
                   export {StorageDirVariable}='s3://BUCKET/lineage'
                 For an S3-compatible server (MinIO, moto, ...) also set {EndpointVariable} (e.g. http://127.0.0.1:9000) and
                 optionally {RegionVariable}; credentials come from the AWS default chain (AWS_ACCESS_KEY_ID and
                 AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws) or from storage_options in the user config file.
                 """);
        }

        var storageOptions = new Dictionary<string, string>();
        if (Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } endpoint)
        {
            storageOptions["endpoint_url"] = endpoint;
            // S3-compatible servers rarely have per-bucket DNS names.
            storageOptions["force_path_style"] = "true";
            if (Environment.GetEnvironmentVariable(RegionVariable) is { Length: > 0 } region)
            {
                storageOptions["region"] = region;
            }
        }

        return (new TeamSettings(databaseUrl!, storageDir!, storageOptions), null);
    }

    /// <summary>
    /// Options for one member's store. Database and root are left to the runtime, which reads them from the same
    /// variables; storage options set here win over the user config file's, so they are set only when given.
    /// </summary>
    public LineageOptions MemberOptions(string user)
    {
        // LINEAGE_USER names each member on a shared machine; here both members run in one process, so it is set in code.
        var options = new LineageOptions { User = user };
        foreach (var (key, value) in StorageOptions)
        {
            options.StorageOptions[key] = value;
        }

        return options;
    }
}
