#nullable enable
using System.Collections.Generic;
using Lineage.Backends;

namespace Lineage.Values.Azure;

/// <summary>Azure Blob Storage (and Azurite): <c>az://container/prefix</c>, with fsspec's adlfs option names.</summary>
internal sealed partial class AzureBackend : ValueStoreBackend
{
    private const string AzScheme = "az://";

    public override IReadOnlyList<string> Schemes { get; } = ["az"];

    public override IReadOnlyList<string> Forms { get; } = ["az://container/prefix"];

    public override string StorageType => "azure";

    public override IReadOnlyList<string> OptionKeys { get; } = ["account_name", "account_url", "account_key", "sas_token", "connection_string"];

    public override IReadOnlyList<string> SecretKeys { get; } = ["account_key", "sas_token", "connection_string"];

    public override string CredentialAdvice => "the Azure default credential chain (az login, a managed identity, AZURE_CLIENT_ID/AZURE_TENANT_ID/...)";

    public override string? EnvironmentVariableFor(string secretKey) => secretKey switch
    {
        "account_key" => "AZURE_STORAGE_ACCOUNT_KEY",
        "sas_token" => "AZURE_STORAGE_SAS_TOKEN",
        "connection_string" => "AZURE_STORAGE_CONNECTION_STRING",
        _ => null,
    };

    /// <summary>The other ways Azure Blob locations are written (adlfs's abfs://, Hadoop's wasb://) point at az://.</summary>
    public override string? AdviceFor(string location, string scheme, string settingName) => scheme is "abfs" or "abfss" or "wasb" or "wasbs" or "adl"
        ? $"{settingName} '{UrlText.Mask(location)}' uses the unsupported scheme '{scheme}': write Azure Blob locations as az://container/prefix, and name the account in storage_options (account_name, account_url or connection_string)"
        : null;

    public override IEnumerable<StorageProblem> Problems(string location, string settingName)
    {
        if (LocationProblem(location, settingName) is { } problem)
        {
            yield return new(StorageProblemCode.InvalidStorageLocation, problem);
        }
    }

    /// <summary>
    /// Why the <c>az://container/prefix</c> location cannot be used, or null: no query (a SAS belongs in <c>sas_token</c>), a
    /// valid container name, and no '.', '..' or empty prefix segments, which blob names would keep as written.
    /// </summary>
    public static string? LocationProblem(string location, string settingName)
    {
        var query = location.IndexOf('?');
        if (query >= 0)
        {
            return $"{settingName} '{location.Substring(0, query)}?***' has a query string: a SAS token goes in storage option sas_token (read from AZURE_STORAGE_SAS_TOKEN), never in the location";
        }

        var rest = location.Substring(AzScheme.Length).TrimEnd('/');
        var slash = rest.IndexOf('/');
        var container = slash < 0 ? rest : rest.Substring(0, slash);
        if (ContainerNameProblem(container) is { } containerProblem)
        {
            return $"{settingName} '{location}' names an invalid Azure container '{container}': {containerProblem}";
        }

        if (slash < 0)
        {
            return null;
        }

        foreach (var segment in rest.Substring(slash + 1).Split('/'))
        {
            if (segment.Length == 0 || segment == "." || segment == "..")
            {
                var what = segment.Length == 0 ? "an empty segment ('//')" : $"a '{segment}' segment";
                return $"{settingName} '{location}' has {what} in its prefix: blob names are not paths, so it would be kept in every name as written, not resolved";
            }
        }

        return null;
    }

    /// <summary>Why <paramref name="name"/> cannot be a container name, or null: 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.</summary>
    public static string? ContainerNameProblem(string name)
    {
        if (name.Length < 3 || name.Length > 63)
        {
            return $"it has {name.Length} characters, container names have 3 to 63";
        }

        foreach (var c in name)
        {
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            {
                return "container names hold only lowercase letters, digits and hyphens";
            }
        }

        if (name[0] == '-' || name[name.Length - 1] == '-')
        {
            return "container names start and end with a letter or digit";
        }

        return name.Contains("--") ? "container names have no two hyphens in a row" : null;
    }
}
