#nullable enable
using System.Collections.Generic;
using Lineage.Backends;

namespace Lineage.Values;

/// <summary>
/// One kind of value storage (a local folder, S3, ...), keyed by the URL schemes it answers. This part holds the rules
/// that need nothing but the text of a location, and is compiled into the analyzers too; the runtime's part
/// (<c>src/Lineage/Values/ValueStoreBackend.cs</c>) adds normalising a location against a machine and the factory.
/// </summary>
internal abstract partial class ValueStoreBackend
{
    /// <summary>The URL schemes it answers, lower case; the empty string stands for a plain path without a scheme.</summary>
    public abstract IReadOnlyList<string> Schemes { get; }

    /// <summary>How its locations are written, shortest first, for messages (e.g. "s3://bucket/prefix").</summary>
    public abstract IReadOnlyList<string> Forms { get; }

    /// <summary>The storage type recorded for its roots ("local", "s3").</summary>
    public abstract string StorageType { get; }

    /// <summary>True for a folder on one machine (roots carry a host); false for a location the same from everywhere.</summary>
    public virtual bool IsLocal => false;

    /// <summary>The <c>storage_options</c> keys it understands.</summary>
    public virtual IReadOnlyList<string> OptionKeys => [];

    /// <summary>Those of <see cref="OptionKeys"/> that are credentials: masked when shown, flagged by LIN0004 when written down.</summary>
    public virtual IReadOnlyList<string> SecretKeys => [];

    /// <summary>What to use instead of a credential literal, completing "use ... instead".</summary>
    public virtual string CredentialAdvice => "the environment";

    /// <summary>The environment variable a secret option is better read from, offered by the LIN0004 fix; null when none.</summary>
    public virtual string? EnvironmentVariableFor(string secretKey) => null;

    /// <summary>Advice for a location whose scheme no backend answers but this one can serve (e.g. gs:// through S3); null when none.</summary>
    public virtual string? AdviceFor(string location, string scheme, string settingName) => null;

    /// <summary>Why <paramref name="location"/> (trimmed, answered by this backend) cannot be used; empty when it can.</summary>
    public abstract IEnumerable<StorageProblem> Problems(string location, string settingName);
}
