using System.Collections.Generic;
using Lineage.Backends;
using Lineage.Configuration;
using Lineage.Generators.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Configuration;

/// <summary>
/// The compile-time face of the storage rules: the backend catalog (<c>src/Shared/Backends</c>, compiled into the runtime
/// too) finds the problems, this turns each into its LIN diagnostic with the catalog's text.
/// </summary>
internal static class StorageRules
{
    public static IEnumerable<StorageProblem> DatabaseUrl(string url) => BackendCatalog.DatabaseUrlProblems(url);

    public static IEnumerable<StorageProblem> ArtifactStorageDir(string value) => BackendCatalog.StorageLocationProblems(value, ConfigKeys.ArtifactStorageDir);

    /// <summary>The diagnostic a problem is reported as.</summary>
    public static DiagnosticDescriptor DescriptorFor(StorageProblem problem) => problem.Code switch
    {
        StorageProblemCode.InvalidDatabaseUrl => Descriptors.InvalidDatabaseUrl,
        StorageProblemCode.InvalidStorageLocation => Descriptors.InvalidStorageDir,
        StorageProblemCode.CredentialInText => Descriptors.CredentialLiteral,
        StorageProblemCode.NonLocalSqlite => Descriptors.NonLocalSqlite,
        _ => throw new System.ArgumentOutOfRangeException(nameof(problem), problem.Code, null),
    };

    /// <summary>The LIN0005 text for an unknown key, or null when the key is known (then <paramref name="nearest"/> is null too).</summary>
    public static string? UnknownOption(string key, out string? nearest)
    {
        nearest = BackendCatalog.NearestOption(key);
        return nearest is null ? null : BackendCatalog.UnknownOptionMessage(key, nearest, origin: null);
    }

    /// <summary>The backend that declares <paramref name="key"/> a secret, or null.</summary>
    public static Values.ValueStoreBackend? SecretOwner(string key) => BackendCatalog.OwnerOfSecret(key);

    public static bool HasPassword(string url) => UrlText.HasPassword(url);

    public static string Mask(string url) => UrlText.Mask(url);
}
