using System.CommandLine;

namespace Lineage.Cli;

/// <summary>Options every command accepts: where the store is, and how to print.</summary>
public sealed class GlobalOptions
{
    /// <summary>Lineage home (explicit level: beats LINEAGE_HOME).</summary>
    public Option<string?> Home { get; } = new("--home") { Description = "Lineage home folder (default: LINEAGE_HOME, else ~/.lineage)", Recursive = true };

    /// <summary>Metadata database URL (explicit level).</summary>
    public Option<string?> Database { get; } = new("--database") { Description = "Metadata database URL (sqlite:///..., postgresql://...)", Recursive = true };

    /// <summary>Storage root (explicit level).</summary>
    public Option<string?> Storage { get; } = new("--storage") { Description = "Storage root for values (a folder, s3://bucket/prefix, az://container/prefix)", Recursive = true };

    /// <summary>A project's lineage.json (project configuration level); default ./lineage.json when it exists.</summary>
    public Option<string?> Project { get; } = new("--project") { Description = "A project's lineage.json, or its folder (default: ./lineage.json when there is one)", Recursive = true };

    /// <summary>Machine-readable output.</summary>
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON (snake_case properties) instead of text", Recursive = true };

    /// <summary>Stack traces on errors.</summary>
    public Option<bool> Verbose { get; } = new("--verbose") { Description = "Show details (stack traces) on errors", Recursive = true };

    internal void AddTo(Command root)
    {
        root.Add(Home);
        root.Add(Database);
        root.Add(Storage);
        root.Add(Project);
        root.Add(Json);
        root.Add(Verbose);
    }

    /// <summary>The options given on the command line; what is left unset resolves from the environment, config file and defaults.</summary>
    public LineageOptions StoreOptions(ParseResult parsed)
    {
        var options = new LineageOptions
        {
            Home = parsed.GetValue(Home),
            DatabaseUrl = parsed.GetValue(Database),
            ArtifactStorageDir = parsed.GetValue(Storage),
            ProjectConfigFile = ProjectFile(parsed.GetValue(Project)),
        };
        return options;
    }

    /// <summary>
    /// The project configuration the tool reads: the tool runs outside the user's program, so the configuration compiled into
    /// it is out of reach; the project's lineage.json (given, or in the current folder) stands in for it.
    /// </summary>
    private static string? ProjectFile(string? given)
    {
        if (given is null)
        {
            return File.Exists("lineage.json") ? Path.GetFullPath("lineage.json") : null;
        }

        return Directory.Exists(given) ? Path.Combine(Path.GetFullPath(given), "lineage.json") : Path.GetFullPath(given);
    }

    /// <summary>Opens the store the command line points at.</summary>
    public Task<ArtifactStore> OpenStoreAsync(ParseResult parsed, CancellationToken cancellationToken) =>
        ArtifactStore.OpenAsync(StoreOptions(parsed), cancellationToken);

    /// <summary>
    /// Opens the store for a command that only reads metadata (<c>ls</c>, <c>versions</c>, <c>find</c>, <c>show</c>): the storage
    /// roots are not registered (nor their markers read) unless something needs them, which keeps the tool's start short.
    /// </summary>
    internal Task<ArtifactStore> OpenStoreForReadingAsync(ParseResult parsed, CancellationToken cancellationToken) =>
        ArtifactStore.OpenForReadingAsync(StoreOptions(parsed), cancellationToken);
}
