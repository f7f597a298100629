// Lineage on a team: one metadata database (PostgreSQL) and one storage root (S3) shared by everyone, given in the
// environment. Two members, each with a store of their own, save artifacts the other one reads; the metadata says
// who saved what, on which machine and when. A third colleague with a stale database_url finds the root read-only.
using System.Globalization;
using Lineage;
using TeamStore;

var (settings, problem) = TeamSettings.FromEnvironment();
if (settings is null)
{
    Console.Error.WriteLine(problem);
    return 1;
}

try
{
    await using var alice = await ArtifactStore.OpenAsync(settings.MemberOptions("alice"));
    await using var bob = await ArtifactStore.OpenAsync(settings.MemberOptions("bob"));
    var options = alice.Options;
    Console.WriteLine($"Team store: metadata {options.MaskedDatabaseUrl}");
    Console.WriteLine($"            values   {options.ArtifactStorageDir}");
    Console.WriteLine($"            storage options {Describe(options.MaskedStorageOptions, options.StorageOptionsSource)}");
    Console.WriteLine($"alice and bob each open a store on it: instance {alice.InstanceUid} for both, so both may write the root.");
    Console.WriteLine();

    // alice measures some flowers: petal length and width.
    float[][] measurements = [[1.4f, 0.2f], [4.7f, 1.4f], [6.0f, 2.5f], [1.3f, 0.2f], [4.5f, 1.5f], [5.1f, 1.9f], [1.5f, 0.3f], [5.6f, 2.2f]];
    var data = await alice.SaveAsync("team/measurements", measurements);
    Console.WriteLine($"alice saved  {Ref(data)}: {measurements.Length} flowers (petal length, width)");

    // bob finds her latest measurements through the shared metadata and fits a line to them.
    var found = await bob.GetAsync("team/measurements");
    var rows = await bob.LoadAsync<float[][]>(found.Name, found.Version);
    Console.WriteLine($"bob   loaded {Ref(found)}: {rows.Length} flowers, SHA-256 verified; saved by {found.CreatedBy} on {found.Host} at {Time(found.CreatedAt)}");
    var fit = Fit(rows);
    var model = await bob.SaveAsync("team/petal-model", fit);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bob   saved  {Ref(model)}: width = {fit["slope"]:F3} × length {(fit["intercept"] < 0 ? '-' : '+')} {Math.Abs(fit["intercept"]):F3}, fitted on {Ref(found)}"));

    // alice reviews bob's model on her data and records her verdict.
    var line = await alice.LoadAsync<Dictionary<string, double>>(model.Name, model.Version);
    var error = measurements.Average(m => Math.Abs((line["slope"] * m[0]) + line["intercept"] - m[1]));
    var review = await alice.SaveAsync("team/review", new Dictionary<string, string>
    {
        ["reviewer"] = "alice",
        ["model"] = Ref(model),
        ["data"] = Ref(data),
        ["mean_absolute_error"] = error.ToString("F3", CultureInfo.InvariantCulture),
        ["verdict"] = error < 0.25 ? "approved" : "needs work",
    });
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"alice loaded {Ref(model)} and saved {Ref(review)}: mean absolute error {error:F3} on her data"));
    Console.WriteLine();

    // Either member sees the same metadata: what exists, who saved it, where the value lives.
    Console.WriteLine("Who created what (latest of each team/ artifact, as bob's store lists them):");
    foreach (var record in (await bob.ListAsync()).Where(r => r.Name.StartsWith("team/", StringComparison.Ordinal)))
    {
        Console.WriteLine($"  {Ref(record),-22} by {record.CreatedBy} on {record.Host} at {Time(record.CreatedAt)}, {Size(record.Size)} at {record.StorageRoot}/{record.Key}");
    }

    Console.WriteLine("  (created_by is each saver's LINEAGE_USER, or their OS user; host is their machine)");
    Console.WriteLine();

    // carol changed artifact_storage_dir but kept her own SQLite database: she may read nothing of the team's
    // metadata, and the root refuses her writes instead of splitting the team's values from their metadata.
    var carolHome = Path.Combine(Path.GetTempPath(), $"teamstore-carol-{Environment.ProcessId}");
    try
    {
        // Same root and the same access to it as the team, another database.
        var carolOptions = new LineageOptions
        {
            Home = carolHome,
            DatabaseUrl = "sqlite:///" + Path.Combine(carolHome, "db.sqlite"),
            ArtifactStorageDir = options.ArtifactStorageDir,
            StorageOptions = options.StorageOptions.ToDictionary(),
        };
        await using var carol = await ArtifactStore.OpenAsync(carolOptions);
        await carol.SaveAsync("team/measurements", measurements);
        Console.WriteLine("carol saved to the team's root from another database: the writing-instance rule did not hold.");
        return 1;
    }
    catch (ReadOnlyStorageException e)
    {
        Console.WriteLine("carol, with her own SQLite database_url, tries to save to the team's root and is refused:");
        Console.WriteLine($"  {e.Message}");
    }
    finally
    {
        if (Directory.Exists(carolHome))
        {
            Directory.Delete(carolHome, recursive: true);
        }
    }

    return 0;
}
catch (LineageException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

static string Ref(ArtifactRecord record) => $"{record.Name} v{record.Version}";

static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

static string Size(long bytes) => bytes.ToString(CultureInfo.InvariantCulture) + " bytes";

static string Describe(IReadOnlyDictionary<string, string> storageOptions, SettingSource source) => storageOptions.Count == 0
    ? "none (for S3: the AWS SDK's defaults)"
    : string.Join(", ", storageOptions.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Key}={o.Value}")) + source switch
    {
        SettingSource.Explicit => $" (from {TeamSettings.EndpointVariable})",
        SettingSource.UserConfig => " (from the user config file)",
        SettingSource.ProjectConfig => " (from the project config)",
        _ => string.Empty,
    };

// Least squares: petal width as a line in petal length.
static Dictionary<string, double> Fit(float[][] rows)
{
    var meanX = rows.Average(r => (double)r[0]);
    var meanY = rows.Average(r => (double)r[1]);
    var slope = rows.Sum(r => (r[0] - meanX) * (r[1] - meanY)) / rows.Sum(r => (r[0] - meanX) * (r[0] - meanX));
    return new Dictionary<string, double> { ["slope"] = slope, ["intercept"] = meanY - (slope * meanX) };
}
