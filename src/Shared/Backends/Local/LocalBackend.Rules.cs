#nullable enable
using System.Collections.Generic;
using Lineage.Backends;

namespace Lineage.Values.Local;

/// <summary>A folder on this machine: a plain path (relative, <c>~</c>-prefixed or absolute) or <c>file:///absolute/path</c>.</summary>
internal sealed partial class LocalBackend : ValueStoreBackend
{
    private const string FileScheme = "file://";

    public override IReadOnlyList<string> Schemes { get; } = [string.Empty, "file"];

    public override IReadOnlyList<string> Forms { get; } = ["a folder path", "file:///path"];

    public override string StorageType => "local";

    public override bool IsLocal => true;

    public override IEnumerable<StorageProblem> Problems(string location, string settingName)
    {
        if (UrlText.SchemeOf(location) is not null && (location.Length <= FileScheme.Length || location[FileScheme.Length] != '/'))
        {
            yield return new(StorageProblemCode.InvalidStorageLocation, $"{settingName} '{location}' is not an absolute file URL: write file:///absolute/path");
        }
    }
}
