using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace Lineage.Values.S3;

/// <summary>Turns S3 failures into errors a user can act on, naming the bucket and prefix and never a secret.</summary>
internal static class S3Errors
{
    public static Exception Translate(Exception error, S3Root root, string operation, string? endpoint)
    {
        var where = root.ToString();
        switch (error)
        {
            case AmazonS3Exception { ErrorCode: "NoSuchBucket" }:
                return new StorageAccessException(where, $"Cannot {operation}: the bucket '{root.Bucket}' of {where} does not exist. Create it or correct artifact_storage_dir.", error);
            case AmazonS3Exception { ErrorCode: "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" or "ExpiredToken" or "InvalidToken" } s3:
                return new StorageAccessException(where,
                    $"Cannot {operation}: access to {where} was denied ({s3.ErrorCode}). Check the credentials Lineage uses: storage_options 'profile' or 'key'/'secret', or the AWS default chain (AWS_PROFILE, ~/.aws/credentials).", error);
            case AmazonS3Exception { ErrorCode: "PermanentRedirect" or "AuthorizationHeaderMalformed" or "IllegalLocationConstraintException" } or AmazonS3Exception { StatusCode: HttpStatusCode.MovedPermanently }:
                return new StorageAccessException(where,
                    $"Cannot {operation}: the bucket '{root.Bucket}' is in another region than the one configured. Set storage_options 'region' to the bucket's region.", error);
            case AmazonS3Exception { StatusCode: HttpStatusCode.Forbidden } s3:
                return new StorageAccessException(where, $"Cannot {operation}: access to {where} was denied ({s3.ErrorCode ?? "403"}).", error);
            case AmazonServiceException { InnerException: HttpRequestException or IOException } or HttpRequestException or AmazonClientException { InnerException: HttpRequestException or IOException }:
                return new StorageAccessException(where,
                    $"Cannot {operation}: the S3 endpoint {endpoint ?? "(AWS default)"} for {where} cannot be reached: {(error.InnerException ?? error).Message}", error);
            default:
                return error;
        }
    }
}
