using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Diagnostics;

/// <summary>Every diagnostic Lineage reports. The ids are part of the public contract.</summary>
public static class Descriptors
{
    public const string ConfigurationCategory = "Lineage.Configuration";
    public const string DeclarationCategory = "Lineage.Declarations";
    /// <summary>
    /// Where each diagnostic's help link points, plus its lowercase id: absolute, since an IDE opens the link from anywhere.
    /// The Lineage package's PackageProjectUrl is this repository, and the package carries the same page as docs/diagnostics.md.
    /// </summary>
    public const string HelpLinkBase = "https://github.com/lineage-dotnet/lineage/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor InvalidDatabaseUrl = Error("LIN0001", "Invalid database_url", "{0}", ConfigurationCategory);
    public static readonly DiagnosticDescriptor InvalidStorageDir = Error("LIN0002", "Invalid artifact_storage_dir", "{0}", ConfigurationCategory);
    public static readonly DiagnosticDescriptor HalfConfigured = Warning("LIN0003", "database_url and artifact_storage_dir move hand in hand",
        "The project sets {0} but not {1}: they must change together, or another database's root (or another root's database) gets used", ConfigurationCategory);
    public static readonly DiagnosticDescriptor CredentialLiteral = Warning("LIN0004", "Credential in source or project configuration", "{0}", ConfigurationCategory);
    public static readonly DiagnosticDescriptor UnknownStorageOption = Warning("LIN0005", "Unknown storage option", "{0}", ConfigurationCategory);
    public static readonly DiagnosticDescriptor NonLocalSqlite = Error("LIN0006", "SQLite database on a non-local location", "{0}", ConfigurationCategory);
    public static readonly DiagnosticDescriptor InvalidConfigFile = Error("LIN0007", "lineage.json is not valid", "lineage.json is not valid: {0}", ConfigurationCategory);

    public static readonly DiagnosticDescriptor InvalidName = Error("LIN0100", "Invalid artifact name", "{0}", DeclarationCategory);
    public static readonly DiagnosticDescriptor DuplicateName = Error("LIN0101", "Duplicate artifact", "{0}", DeclarationCategory);
    public static readonly DiagnosticDescriptor ReturnsNothing = Error("LIN0102", "Artifact method returns nothing",
        "Artifact method '{0}' returns {1}: an artifact method returns the value it produces", DeclarationCategory);
    public static readonly DiagnosticDescriptor UnsupportedSignature = Error("LIN0103", "Unsupported artifact signature", "{0}", DeclarationCategory);
    public static readonly DiagnosticDescriptor NoSerializer = Error("LIN0104", "No serializer for a type", "{0}", DeclarationCategory);
    public static readonly DiagnosticDescriptor NotAccessible = Error("LIN0105", "Artifact not accessible to generated code", "{0}", DeclarationCategory);

    /// <summary>Property naming what a code fix should use: the nearest option key (LIN0005) or the type to mark (LIN0104).</summary>
    public const string FixProperty = "LineageFix";

    private static DiagnosticDescriptor Error(string id, string title, string format, string category) =>
        new(id, title, format, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());

    private static DiagnosticDescriptor Warning(string id, string title, string format, string category) =>
        new(id, title, format, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id.ToLowerInvariant());
}
