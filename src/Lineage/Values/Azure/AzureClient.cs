using global::Azure;
using global::Azure.Core;
using global::Azure.Identity;
using global::Azure.Storage;
using global::Azure.Storage.Blobs;

namespace Lineage.Values.Azure;

/// <summary>
/// Builds the blob service client from <c>storage_options</c>, named as fsspec's adlfs names them: <c>connection_string</c>
/// (Azurite's development connection string, say), <c>account_url</c> (a blob service URL, for private endpoints or an
/// emulator), <c>account_name</c>, <c>account_key</c>, <c>sas_token</c>. An option left out falls back to adlfs's environment
/// variable (<c>AZURE_STORAGE_CONNECTION_STRING</c>, <c>AZURE_STORAGE_ACCOUNT_NAME</c>, <c>AZURE_STORAGE_ACCOUNT_KEY</c>,
/// <c>AZURE_STORAGE_SAS_TOKEN</c>); with no key, SAS or connection string at all, the Azure default credential chain signs in.
/// </summary>
internal static class AzureClient
{
    /// <summary>The client, and the service endpoint as messages may show it (no query string, so no SAS).</summary>
    public static (BlobServiceClient Client, string Endpoint) Create(IReadOnlyDictionary<string, string> options)
    {
        var clientOptions = new BlobClientOptions();
        clientOptions.Retry.MaxRetries = 3;
        clientOptions.Retry.Mode = RetryMode.Exponential;

        if (Option(options, "connection_string", "AZURE_STORAGE_CONNECTION_STRING") is { } connectionString)
        {
            BlobServiceClient client;
            try
            {
                client = new BlobServiceClient(connectionString, clientOptions);
            }
            catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
            {
                // The SDK's message may quote the string, and with it the account key: give neither.
                throw new LineageConfigurationException(
                    "storage option connection_string is not a valid Azure Storage connection string (it is not shown, since it holds a key). " +
                    "Azurite's is 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=...;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;'.");
            }

            return (client, MaskQuery(client.Uri));
        }

        var accountName = Option(options, "account_name", "AZURE_STORAGE_ACCOUNT_NAME");
        var serviceUri = ServiceUri(options.GetValueOrDefault("account_url"), accountName);
        var endpoint = MaskQuery(serviceUri);
        if (Option(options, "account_key", "AZURE_STORAGE_ACCOUNT_KEY") is { } accountKey)
        {
            if (accountName is null)
            {
                throw new LineageConfigurationException("storage option account_key needs account_name too: a shared key signs requests for one named account.");
            }

            try
            {
                return (new BlobServiceClient(serviceUri, new StorageSharedKeyCredential(accountName, accountKey), clientOptions), endpoint);
            }
            catch (FormatException)
            {
                throw new LineageConfigurationException($"storage option account_key for account '{accountName}' is not base64, as Azure account keys are (it is not shown here).");
            }
        }

        if (Option(options, "sas_token", "AZURE_STORAGE_SAS_TOKEN") is { } sas)
        {
            return (new BlobServiceClient(serviceUri, new AzureSasCredential(sas.TrimStart('?')), clientOptions), endpoint);
        }

        // A SAS written into account_url authorizes by itself.
        if (serviceUri.Query.Length > 1)
        {
            return (new BlobServiceClient(serviceUri, clientOptions), endpoint);
        }

        return (new BlobServiceClient(serviceUri, new DefaultAzureCredential(), clientOptions), endpoint);
    }

    private static Uri ServiceUri(string? accountUrl, string? accountName)
    {
        if (accountUrl is { Length: > 0 })
        {
            if (!Uri.TryCreate(accountUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new LineageConfigurationException(
                    $"storage option account_url '{MaskQuery(accountUrl)}' is not an http(s) URL such as https://ACCOUNT.blob.core.windows.net or http://127.0.0.1:10000/devstoreaccount1.");
            }

            return uri;
        }

        if (accountName is null)
        {
            throw new LineageConfigurationException(
                "An az:// root needs its storage account: give storage option account_name (or account_url, or connection_string; " +
                "or set AZURE_STORAGE_ACCOUNT_NAME / AZURE_STORAGE_CONNECTION_STRING).");
        }

        if (Uri.CheckHostName(accountName + ".blob.core.windows.net") != UriHostNameType.Dns)
        {
            throw new LineageConfigurationException($"storage option account_name '{accountName}' is not a storage account name (3-24 lowercase letters and digits).");
        }

        return new Uri($"https://{accountName}.blob.core.windows.net");
    }

    private static string? Option(IReadOnlyDictionary<string, string> options, string name, string variable) =>
        options.GetValueOrDefault(name) is { Length: > 0 } value ? value
        : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;

    private static string MaskQuery(Uri uri) => MaskQuery(uri.ToString());

    private static string MaskQuery(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? url.TrimEnd('/') : url[..query].TrimEnd('/') + "?***";
    }
}
