using Lineage.Backends;
using Lineage.Values;

namespace Lineage.Tests.Backends.Memory;

/// <summary>
/// A made-up backend, <c>mem://name</c>: values in process memory. It exists to show (and test) that a backend is one
/// folder and one registration: <c>BackendCatalog.Register(new MemoryBackend())</c>.
/// </summary>
internal sealed class MemoryBackend : ValueStoreBackend
{
    public override IReadOnlyList<string> Schemes { get; } = ["mem"];

    public override IReadOnlyList<string> Forms { get; } = ["mem://name"];

    public override string StorageType => "mem";

    public override IEnumerable<StorageProblem> Problems(string location, string settingName)
    {
        if (location.Length <= "mem://".Length)
        {
            yield return new(StorageProblemCode.InvalidStorageLocation, $"{settingName} '{location}' names no memory: write mem://name");
        }
    }

    public override string Normalize(string location, string baseDirectory, string userHome, string settingName) => location.TrimEnd('/');

    public override IValueStore Create(string root, IReadOnlyDictionary<string, string> storageOptions) => MemoryValueStore.At(root);
}
