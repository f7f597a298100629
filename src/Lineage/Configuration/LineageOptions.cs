using System.Collections;
using Microsoft.Extensions.Logging;

namespace Lineage;

/// <summary>
/// Where Lineage keeps metadata and values. Every property is optional: what is left unset comes from
/// the environment (<c>LINEAGE_HOME</c>, <c>LINEAGE_DATABASE_URL</c>, <c>LINEAGE_ARTIFACT_STORAGE_DIR</c>),
/// then the user config file <c>{Home}/config.json</c>, then the defaults.
/// </summary>
/// <remarks>
/// Options are fixed once a store has been opened with them: changing them afterwards throws
/// <see cref="InvalidOperationException"/>. To use another location, open a new store.
/// </remarks>
public sealed class LineageOptions
{
    private readonly StorageOptionsDictionary _storageOptions;
    private string? _home;
    private string? _databaseUrl;
    private string? _artifactStorageDir;
    private string? _localStorage;
    private string? _host;
    private string? _user;
    private string? _projectConfigFile;
    private ILoggerFactory? _loggerFactory;

    /// <summary>Creates empty options: everything resolves from the environment, config file and defaults.</summary>
    public LineageOptions() => _storageOptions = new StorageOptionsDictionary(this);

    /// <summary>Lineage's home folder. Default <c>~/.lineage</c>; environment <c>LINEAGE_HOME</c>.</summary>
    public string? Home { get => _home; set => _home = Settable(value); }

    /// <summary>Metadata database URL. Default <c>sqlite:///{Home}/db.sqlite</c>; environment <c>LINEAGE_DATABASE_URL</c>.</summary>
    public string? DatabaseUrl { get => _databaseUrl; set => _databaseUrl = Settable(value); }

    /// <summary>Root that artifact values are written to. Default <c>{Home}/artifacts</c>; environment <c>LINEAGE_ARTIFACT_STORAGE_DIR</c>.</summary>
    public string? ArtifactStorageDir { get => _artifactStorageDir; set => _artifactStorageDir = Settable(value); }

    /// <summary>
    /// A local root that new artifacts are written to instead of <see cref="ArtifactStorageDir"/> (LaminDB's
    /// keep-artifacts-local mode); <see cref="StorageRegistry.UploadAsync(string, int, CancellationToken)"/> moves them later. Unset by default;
    /// environment <c>LINEAGE_LOCAL_STORAGE</c>; config key <c>local_storage</c>.
    /// </summary>
    public string? LocalStorage { get => _localStorage; set => _localStorage = Settable(value); }

    /// <summary>
    /// The identifier of this machine for local storage roots: the same path on two hosts is two locations.
    /// Default: the machine name; environment <c>LINEAGE_HOST</c>; config key <c>host</c>.
    /// </summary>
    public string? Host { get => _host; set => _host = Settable(value); }

    /// <summary>The user recorded as creator and checked for space membership. Default: the OS user; environment <c>LINEAGE_USER</c>.</summary>
    public string? User { get => _user; set => _user = Settable(value); }

    /// <summary>
    /// A project's <c>lineage.json</c> to use as the project configuration level, instead of the configuration compiled into the
    /// entry assembly. For tools that run outside the project (the <c>lineage</c> CLI reads <c>./lineage.json</c>). The file must exist.
    /// </summary>
    public string? ProjectConfigFile { get => _projectConfigFile; set => _projectConfigFile = Settable(value); }

    /// <summary>
    /// Storage settings (<c>profile</c>, <c>region</c>, <c>endpoint_url</c>, <c>force_path_style</c>, <c>key</c>,
    /// <c>secret</c>, <c>session_token</c>). Set in code or config files only, never from environment variables.
    /// Assigning a dictionary copies its entries.
    /// </summary>
    public IDictionary<string, string> StorageOptions
    {
        get => _storageOptions;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            ThrowIfFrozen();
            _storageOptions.ReplaceWith(value);
        }
    }

    /// <summary>
    /// Where the store logs, under the categories <see cref="LineageTelemetry.ArtifactsCategory"/>, <see cref="LineageTelemetry.StorageCategory"/>
    /// and <see cref="LineageTelemetry.MetadataCategory"/>. Null (the default): nowhere. <c>services.AddLineage(...)</c> sets the host's
    /// factory unless one is set here. Logs name artifacts, versions, sizes and masked locations; never a value or a credential.
    /// </summary>
    public ILoggerFactory? LoggerFactory
    {
        get => _loggerFactory;
        set
        {
            ThrowIfFrozen();
            _loggerFactory = value;
        }
    }

    /// <summary>True once a store has been opened with these options; they can no longer change.</summary>
    public bool IsFrozen { get; private set; }

    internal void Freeze() => IsFrozen = true;

    private string? Settable(string? value)
    {
        ThrowIfFrozen();
        return value;
    }

    private void ThrowIfFrozen()
    {
        if (IsFrozen)
        {
            throw new InvalidOperationException(
                "These LineageOptions belong to an open ArtifactStore and can no longer change: switching storage " +
                "under an open store would split its metadata from its values. Open a new store with new LineageOptions instead.");
        }
    }

    /// <summary>A dictionary that refuses changes once its options are frozen.</summary>
    private sealed class StorageOptionsDictionary(LineageOptions owner) : IDictionary<string, string>
    {
        private readonly Dictionary<string, string> _items = new(StringComparer.Ordinal);

        public string this[string key]
        {
            get => _items[key];
            set { owner.ThrowIfFrozen(); _items[key] = value; }
        }

        public ICollection<string> Keys => _items.Keys;
        public ICollection<string> Values => _items.Values;
        public int Count => _items.Count;
        public bool IsReadOnly => owner.IsFrozen;

        public void Add(string key, string value) { owner.ThrowIfFrozen(); _items.Add(key, value); }
        public void Add(KeyValuePair<string, string> item) => Add(item.Key, item.Value);
        public void Clear() { owner.ThrowIfFrozen(); _items.Clear(); }
        public bool Contains(KeyValuePair<string, string> item) => ((ICollection<KeyValuePair<string, string>>)_items).Contains(item);
        public bool ContainsKey(string key) => _items.ContainsKey(key);
        public void CopyTo(KeyValuePair<string, string>[] array, int arrayIndex) => ((ICollection<KeyValuePair<string, string>>)_items).CopyTo(array, arrayIndex);
        public bool Remove(string key) { owner.ThrowIfFrozen(); return _items.Remove(key); }
        public bool Remove(KeyValuePair<string, string> item) { owner.ThrowIfFrozen(); return ((ICollection<KeyValuePair<string, string>>)_items).Remove(item); }
        public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) => _items.TryGetValue(key, out value);
        public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        internal void ReplaceWith(IEnumerable<KeyValuePair<string, string>> entries)
        {
            var copy = entries.ToList();
            _items.Clear();
            foreach (var (key, value) in copy)
            {
                _items[key] = value;
            }
        }
    }
}
