#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using Lineage.Metadata;
using Lineage.Metadata.Postgres;
using Lineage.Metadata.Sqlite;
using Lineage.Values;
using Lineage.Values.Azure;
using Lineage.Values.Local;
using Lineage.Values.S3;

namespace Lineage.Backends;

/// <summary>
/// Every backend Lineage knows, keyed by URL scheme, and the rules that span them: which backend a location belongs to,
/// what an unknown scheme or an empty setting says, which storage options exist and which are secrets. The runtime and
/// the analyzers both ask this catalog, so a run-time error and its LIN diagnostic say the same thing.
/// </summary>
internal static class BackendCatalog
{
    private static readonly object Gate = new();

    // A new backend is its folder and one line here.
    private static ValueStoreBackend[] valueStores = [new LocalBackend(), new S3Backend(), new AzureBackend()];
    private static MetadataBackend[] databases = [new SqliteBackend(), new PostgresBackend()];

    public static IReadOnlyList<ValueStoreBackend> ValueStores => valueStores;

    public static IReadOnlyList<MetadataBackend> Databases => databases;

    /// <summary>Every known <c>storage_options</c> key, in the backends' order.</summary>
    public static IReadOnlyList<string> OptionKeys => valueStores.SelectMany(b => b.OptionKeys).Distinct().ToArray();

    /// <summary>Adds a value storage backend; its schemes must be new.</summary>
    public static void Register(ValueStoreBackend backend)
    {
        lock (Gate)
        {
            valueStores = WithNew(valueStores, backend, b => b.Schemes, "a value storage backend");
        }
    }

    /// <summary>Adds a metadata database backend; its schemes must be new.</summary>
    public static void Register(MetadataBackend backend)
    {
        lock (Gate)
        {
            databases = WithNew(databases, backend, b => b.Schemes, "a metadata backend");
        }
    }

    /// <summary>The backend a storage location (trimmed) is written for, or null when no backend answers its scheme.</summary>
    public static ValueStoreBackend? ValueStoreFor(string location)
    {
        var scheme = UrlText.SchemeOf(location)?.ToLowerInvariant() ?? string.Empty;
        return valueStores.FirstOrDefault(b => b.Schemes.Contains(scheme));
    }

    /// <summary>The backend a database URL (trimmed) is written for, or null when none answers it.</summary>
    public static MetadataBackend? DatabaseFor(string url)
    {
        var scheme = UrlText.SchemeOf(url);
        return databases.FirstOrDefault(b => b.Answers(url, scheme));
    }

    /// <summary>
    /// Why the storage location <paramref name="value"/> cannot be used, naming it <paramref name="settingName"/>
    /// (the setting, or e.g. "migration target"); empty when it can.
    /// </summary>
    public static IEnumerable<StorageProblem> StorageLocationProblems(string value, string settingName)
    {
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            return [Problem(StorageProblemCode.InvalidStorageLocation, $"{settingName} is empty: use {string.Join(" or ", valueStores.Select(b => b.Forms[0]))}")];
        }

        if (ValueStoreFor(trimmed) is { } backend)
        {
            return backend.Problems(trimmed, settingName);
        }

        var scheme = UrlText.SchemeOf(trimmed)!;
        var advice = valueStores.Select(b => b.AdviceFor(trimmed, scheme.ToLowerInvariant(), settingName)).FirstOrDefault(a => a is not null);
        return [Problem(StorageProblemCode.InvalidStorageLocation, advice
            ?? $"{settingName} '{UrlText.Mask(trimmed)}' uses the unsupported scheme '{scheme}': supported are {UrlText.JoinWithAnd(valueStores.SelectMany(b => b.Forms).ToArray())}")];
    }

    /// <summary>Why the database URL <paramref name="url"/> cannot be used, and whether it holds a password; empty when it is fine.</summary>
    public static IEnumerable<StorageProblem> DatabaseUrlProblems(string url)
    {
        var trimmed = url.Trim();
        var examples = string.Join(" or ", databases.Select(b => b.Example));
        if (trimmed.Length == 0)
        {
            return [Problem(StorageProblemCode.InvalidDatabaseUrl, $"database_url is empty: use {examples}")];
        }

        IEnumerable<StorageProblem> problems;
        if (DatabaseFor(trimmed) is { } backend)
        {
            problems = backend.Problems(trimmed);
        }
        else
        {
            var scheme = UrlText.SchemeOf(trimmed);
            problems = [Problem(StorageProblemCode.InvalidDatabaseUrl, scheme is null
                ? $"database_url '{UrlText.Mask(trimmed)}' is not a URL: use {examples}"
                : $"database_url '{UrlText.Mask(trimmed)}' uses the unsupported scheme '{scheme}': supported are {string.Join(", ", databases.SelectMany(b => b.Schemes).Select(s => s + "://"))}")];
        }

        return UrlText.HasPassword(trimmed)
            ? problems.Concat([Problem(StorageProblemCode.CredentialInText, $"database_url holds a password in plain text ('{UrlText.Mask(trimmed)}'): it ends up in source control and in the compiled program; set LINEAGE_DATABASE_URL in the environment instead")])
            : problems;
    }

    /// <summary>The backend that declares <paramref name="key"/> a secret, or null when no backend does.</summary>
    public static ValueStoreBackend? OwnerOfSecret(string key) => valueStores.FirstOrDefault(b => b.SecretKeys.Contains(key));

    public static bool IsSecretOption(string key) => OwnerOfSecret(key) is not null;

    /// <summary>The nearest known option for an unknown key, or null when the key is known.</summary>
    public static string? NearestOption(string key)
    {
        var known = OptionKeys;
        return known.Contains(key) ? null : known.OrderBy(k => Rules.LineageRules.EditDistance(k, key)).First();
    }

    /// <summary>What an unknown option says; <paramref name="origin"/> (e.g. "'lineage.json'") where it was set, when known.</summary>
    public static string UnknownOptionMessage(string key, string nearest, string? origin) =>
        $"Unknown storage option '{key}'{(origin is null ? string.Empty : " in " + origin)}; did you mean '{nearest}'? Known options: {string.Join(", ", OptionKeys)}";

    private static T[] WithNew<T>(T[] known, T backend, Func<T, IReadOnlyList<string>> schemesOf, string kind)
    {
        if (schemesOf(backend).FirstOrDefault(scheme => known.Any(k => schemesOf(k).Contains(scheme))) is { } taken)
        {
            throw new InvalidOperationException($"The scheme '{taken}' already has {kind}.");
        }

        return [.. known, backend];
    }

    private static StorageProblem Problem(StorageProblemCode code, string message) => new(code, message);
}
