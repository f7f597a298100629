using global::Azure;
using global::Azure.Identity;

namespace Lineage.Values.Azure;

/// <summary>Turns Azure failures into errors a user can act on, naming the container and prefix and never a secret.</summary>
internal static class AzureErrors
{
    /// <summary>True for the failures <see cref="Translate"/> knows how to explain.</summary>
    public static bool IsAzureFailure(Exception error) =>
        error is RequestFailedException or AuthenticationFailedException or HttpRequestException or AggregateException { InnerException: RequestFailedException or HttpRequestException };

    public static Exception Translate(Exception error, AzureRoot root, string operation, string endpoint)
    {
        var where = root.ToString();
        // The SDK reports retries that all failed as an AggregateException of the attempts.
        var cause = error is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[^1] : error;
        switch (cause)
        {
            case RequestFailedException { ErrorCode: "ContainerNotFound" }:
                return new StorageAccessException(where, $"Cannot {operation}: the container '{root.Container}' of {where} does not exist at {endpoint}. Create it or correct artifact_storage_dir.", error);
            case RequestFailedException { ErrorCode: "AuthenticationFailed" or "InvalidAuthenticationInfo" or "NoAuthenticationInformation" } failed:
                return new StorageAccessException(where,
                    $"Cannot {operation}: {endpoint} refused the credentials for {where} ({failed.ErrorCode}). Check storage_options 'account_key', 'sas_token' or " +
                    "'connection_string' (a key or SAS for this account, not expired), or the identity the Azure default credential chain signs in as.", error);
            case RequestFailedException { Status: 401 or 403 } denied:
                return new StorageAccessException(where,
                    $"Cannot {operation}: access to {where} was denied ({denied.ErrorCode ?? denied.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}). " +
                    "Check that storage_options 'account_key', 'sas_token' or 'connection_string' belong to this account and allow this (a SAS needs read, write, " +
                    "delete and list), or give the identity the Azure default credential chain signs in as a data role such as 'Storage Blob Data Contributor'.", error);
            case AuthenticationFailedException:
                return new StorageAccessException(where,
                    $"Cannot {operation}: no Azure credential for {where}. Give storage_options 'account_key', 'sas_token' or 'connection_string', or sign in for the " +
                    $"Azure default credential chain (environment variables, managed identity, 'az login'). {FirstLine(cause.Message)}", error);
            case RequestFailedException { Status: 0 } or HttpRequestException:
                return new StorageAccessException(where,
                    $"Cannot {operation}: the Azure endpoint {endpoint} for {where} cannot be reached: {FirstLine((cause.InnerException ?? cause).Message)}", error);
            default:
                return error;
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
