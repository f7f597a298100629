using System.Reflection;
using Lineage.Configuration;
using Lineage.Metadata;

namespace Lineage;

/// <summary>Runs: start one (<see cref="Start"/>), list them, look one up. Reached through <see cref="ArtifactStore.Runs"/>.</summary>
public sealed class RunRegistry
{
    private readonly IMetadataStore _metadata;
    private readonly ResolvedOptions _options;
    private readonly StoreLifetime _lifetime;

    internal RunRegistry(IMetadataStore metadata, ResolvedOptions options, StoreLifetime lifetime)
    {
        _metadata = metadata;
        _options = options;
        _lifetime = lifetime;
    }

    /// <summary>
    /// Starts a run named <paramref name="name"/> with string <paramref name="parameters"/>, recorded at once as running, and
    /// makes it ambient in the calling scope until it is disposed. Synchronous on purpose: an ambient value set inside an
    /// async method does not reach its caller.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty, or a parameter name is empty.</exception>
    /// <exception cref="MetadataDatabaseException">The run could not be recorded.</exception>
    public ArtifactRun Start(string name, IReadOnlyDictionary<string, string>? parameters = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var copied = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(key, nameof(parameters));
            copied[key] = value ?? string.Empty;
        }

        _lifetime.ThrowIfClosed();
        var record = _metadata.InsertRunAsync(NewRun(name.Trim(), copied, isImplicit: false), CancellationToken.None).GetAwaiter().GetResult();
        return new ArtifactRun(this, record) { InstanceUid = _metadata.InstanceUid };
    }

    /// <summary>The most recent runs, newest first; at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<RunRecord> List(int limit = 100) => ListAsync(limit).GetAwaiter().GetResult();

    /// <inheritdoc cref="List"/>
    public Task<IReadOnlyList<RunRecord>> ListAsync(int limit = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        _lifetime.ThrowIfClosed();
        return _metadata.ListRunsAsync(limit, cancellationToken);
    }

    /// <summary>The run with <paramref name="uid"/>.</summary>
    /// <exception cref="RunNotFoundException">No run has that uid.</exception>
    public RunRecord Get(string uid) => GetAsync(uid).GetAwaiter().GetResult();

    /// <inheritdoc cref="Get"/>
    public async Task<RunRecord> GetAsync(string uid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uid);
        _lifetime.ThrowIfClosed();
        return await _metadata.FindRunAsync(uid.Trim(), cancellationToken).ConfigureAwait(false)
            ?? throw new RunNotFoundException(uid, $"No run '{uid}' in {_options.MaskedDatabaseUrl}.");
    }

    /// <summary>The versions the run loaded (its inputs; recorded when it finished) and the versions it saved (its outputs).</summary>
    /// <exception cref="RunNotFoundException">No run has that uid.</exception>
    public (IReadOnlyList<LineageInput> Inputs, IReadOnlyList<ArtifactRecord> Outputs) InputsAndOutputs(string uid) =>
        InputsAndOutputsAsync(uid).GetAwaiter().GetResult();

    /// <inheritdoc cref="InputsAndOutputs"/>
    public async Task<(IReadOnlyList<LineageInput> Inputs, IReadOnlyList<ArtifactRecord> Outputs)> InputsAndOutputsAsync(string uid, CancellationToken cancellationToken = default)
    {
        var run = await GetAsync(uid, cancellationToken).ConfigureAwait(false);
        return await _metadata.RunInputsAndOutputsAsync(run.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records an explicit run as finished, with the versions it loaded; refused once the store is closed.</summary>
    internal async Task FinishAsync(ArtifactRun run, string? error, IReadOnlyList<string> inputUids)
    {
        if (_lifetime.IsClosed)
        {
            throw new ObjectDisposedException(nameof(ArtifactStore), $"Run '{run.Name}' ({run.Uid}) could not be finished: its store was disposed first. Dispose the run before the store.");
        }

        await _metadata.FinishRunAsync(run.Id, error is null ? RunStatus.Succeeded : RunStatus.Failed, DateTimeOffset.UtcNow, error, inputUids, CancellationToken.None).ConfigureAwait(false);
    }

    internal NewRun NewRun(string name, IReadOnlyDictionary<string, string> parameters, bool isImplicit) => new(
        Uid.New(), name, DateTimeOffset.UtcNow, _options.User, _options.Host, isImplicit,
        RunEnvironment.EntryAssembly, RunEnvironment.EntryAssemblyVersion, RunEnvironment.SourceRevision, RunEnvironment.CommandLine, parameters);

    /// <summary>What a run records about its process, read once.</summary>
    internal static class RunEnvironment
    {
        private static readonly Assembly? Entry = Assembly.GetEntryAssembly();

        public static string? EntryAssembly { get; } = Entry?.GetName().Name;

        public static string? EntryAssemblyVersion { get; } =
            Entry?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } informational
                ? informational.Split('+')[0]
                : Entry?.GetName().Version?.ToString();

        /// <summary>The commit SourceLink (or the build) stamped on the entry assembly: after '+' in its informational version, or its SourceRevisionId metadata.</summary>
        public static string? SourceRevision { get; } =
            Entry?.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(m => m.Key is "SourceRevisionId" or "RepositoryCommit")?.Value
            ?? (Entry?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion is { } v && v.IndexOf('+', StringComparison.Ordinal) is var plus and >= 0
                ? v[(plus + 1)..]
                : null);

        /// <summary>The command line, each argument holding a URL or a password parameter masked.</summary>
        public static string CommandLine { get; } = Mask(Environment.GetCommandLineArgs());

        internal static string Mask(IEnumerable<string> arguments) => string.Join(' ', arguments.Select(argument =>
        {
            var masked = argument.Contains("://", StringComparison.Ordinal) || argument.Contains('=', StringComparison.Ordinal) ? MaskEmbedded(argument) : argument;
            return masked.Length == 0 || masked.Any(char.IsWhiteSpace) || masked.Contains('"', StringComparison.Ordinal) ? $"\"{masked.Replace("\"", "\\\"", StringComparison.Ordinal)}\"" : masked;
        }));

        // "--database-url=postgresql://u:p@h/db" masks the URL after the '='; a bare URL or connection string masks whole.
        private static string MaskEmbedded(string argument)
        {
            var scheme = argument.IndexOf("://", StringComparison.Ordinal);
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            return equals >= 0 && scheme > equals && argument[..equals].All(c => char.IsLetterOrDigit(c) || c is '-' or '_')
                ? argument[..(equals + 1)] + Backends.UrlText.Mask(argument[(equals + 1)..])
                : Backends.UrlText.Mask(argument);
        }
    }
}
