using Lineage.Tests.Servers;

namespace Lineage.Tests.Catalog;

/// <summary>store.Find: names, tags, aliases, creators, times and metadata filters, sorted and limited, on every backend.</summary>
public sealed class FindTests(PostgresServer postgres, S3Server s3)
{
    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Find_combines_every_part_of_a_query(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        Save(store, "iris-model", ["iris"], ("accuracy", 0.80), ("epochs", 9), ("dataset", "iris"));
        Save(store, "iris-model", ["iris", "tuned"], ("accuracy", 0.95), ("epochs", 10), ("dataset", "iris"));
        Save(store, "iris-model", ["iris"], ("accuracy", 0.91), ("epochs", 100), ("dataset", "iris"));
        Save(store, "wine-model", ["wine"], ("accuracy", 0.99), ("epochs", 10), ("dataset", "wine"));
        Save(store, "iris_data", ["iris"], ("rows", 150), ("epochs", "10"));
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(20, TestContext.Current.CancellationToken);
        Save(store, "iris-report", [], ("accuracy", 0.5));
        store.Aliases.Set("iris-model", "production", 2);

        Assert.Equal(["iris-model@3", "iris-report@1", "iris_data@1", "wine-model@1"], Names(store.Find(new ArtifactQuery())));
        Assert.Equal(["iris-model@3", "iris-report@1"], Names(store.Find(new ArtifactQuery { Name = "iris-*" })));
        Assert.Equal(["iris_data@1"], Names(store.Find(new ArtifactQuery { Name = "iris_dat?" })));
        Assert.Equal(["iris-model@2"], Names(store.Find(new ArtifactQuery { Tags = ["iris", "tuned"], AllVersions = true })));
        Assert.Equal(["iris-model@2"], Names(store.Find(new ArtifactQuery { Alias = "production", AllVersions = true })));
        Assert.Equal(["iris-model@2"], Names(store.Find(new ArtifactQuery { Alias = "production" }))); // not the latest, still found
        Assert.Equal(["iris-report@1"], Names(store.Find(new ArtifactQuery { CreatedAfter = between })));
        Assert.Equal(["iris-model@3", "iris_data@1", "wine-model@1"], Names(store.Find(new ArtifactQuery { CreatedBefore = between })));
        Assert.Equal(4, store.Find(new ArtifactQuery { CreatedBy = store.Options.User }).Count);
        Assert.Empty(store.Find(new ArtifactQuery { CreatedBy = "somebody-else" }));

        // Numbers compare numerically (100 > 10 > 9) and only with numbers: the string "10" is not the number 10.
        Assert.Equal(["iris-model@2", "iris-model@3", "wine-model@1"], Names(store.Find(new ArtifactQuery { Where = "epochs >= 10", AllVersions = true })));
        Assert.Equal(["iris_data@1"], Names(store.Find(new ArtifactQuery { Where = "epochs = '10'", AllVersions = true })));
        var best = store.Find(new ArtifactQuery { Where = "accuracy > 0.9 and dataset = 'iris'", Tags = ["iris"], OrderBy = "-accuracy", Limit = 5, AllVersions = true });
        Assert.Equal(["iris-model@2", "iris-model@3"], Names(best));
        Assert.Equal(["iris-report@1", "iris-model@1", "iris-model@3", "iris-model@2", "wine-model@1", "iris_data@1"],
            Names(store.Find(new ArtifactQuery { OrderBy = "accuracy", AllVersions = true })));
        Assert.Equal(["iris-model@1"], Names(store.Find(new ArtifactQuery { Where = "not (accuracy > 0.85) and dataset != 'wine'", AllVersions = true, Name = "iris-model" })));
        Assert.Equal("iris-report@1", Names(store.Find(new ArtifactQuery { OrderBy = "-created", Limit = 1 }))[0]);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Bad_queries_fail_clearly_and_sql_in_keys_and_values_is_data(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        const string Evil = "x'); DROP TABLE artifacts; --";
        store.Save("m", 1, new SaveOptions { Metadata = { [Evil] = Evil, ["plain"] = 1 } });

        var syntax = Assert.Throws<FilterSyntaxException>(() => store.Find(new ArtifactQuery { Where = "accuracy > and x = 1" }));
        Assert.Equal(11, syntax.Position);
        Assert.Contains("position 11", syntax.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Find(new ArtifactQuery { Limit = 0 }));
        Assert.Throws<ArgumentException>(() => store.Find(new ArtifactQuery { Alias = "123" }));
        Assert.Throws<ArgumentException>(() => store.Find(new ArtifactQuery { Name = "a b" }));

        var escaped = Evil.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        Assert.Equal(["m@1"], Names(store.Find(new ArtifactQuery { Where = $"\"{escaped}\" = '{Evil.Replace("'", "''", StringComparison.Ordinal)}'" })));
        Assert.Empty(store.Find(new ArtifactQuery { Where = $"plain = '{Evil.Replace("'", "''", StringComparison.Ordinal)}'" }));
        Assert.Equal(1L, await environment.ArtifactRowCountAsync());
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Latest_only_skips_a_trashed_latest_version_and_names_with_no_version_left(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("a", 1);
        store.Save("a", 2);
        store.Save("gone", 1);
        store.Delete("a", 2);
        store.Delete("gone", 1, permanent: true);

        Assert.Equal(["a@1"], Names(store.Find(new ArtifactQuery())));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task The_indexed_metadata_follows_saves_annotations_and_deletes(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        Save(store, "m", [], ("accuracy", 0.9), ("dataset", "iris"), ("quantized", true));
        store.Save("m", 2);
        Save(store, "other", [], ("accuracy", 0.7));
        Assert.Equal(4L, await MetadataRowsAsync(environment));
        Assert.Equal(["m@1"], Names(store.Find(new ArtifactQuery { Where = "accuracy > 0.8 and dataset = 'iris' and quantized = true", AllVersions = true })));

        // Annotate rewrites the version's rows: a changed value, a removed key, a new key.
        store.Annotate("m@1", metadata: new Dictionary<string, object> { ["accuracy"] = 0.5, ["epochs"] = 10 }, removeMetadata: ["dataset"]);
        Assert.Empty(store.Find(new ArtifactQuery { Where = "accuracy > 0.8", AllVersions = true }));
        Assert.Empty(store.Find(new ArtifactQuery { Where = "dataset = 'iris'", AllVersions = true }));
        Assert.Equal(["m@1", "other@1"], Names(store.Find(new ArtifactQuery { Where = "accuracy < 0.8", AllVersions = true, OrderBy = "accuracy" })));
        Assert.Equal(["m@1"], Names(store.Find(new ArtifactQuery { Where = "epochs = 10 and quantized != false", AllVersions = true })));

        // A version saved without metadata gains it; changing only its tags leaves its rows as they are.
        store.Annotate("m@2", metadata: new Dictionary<string, object> { ["accuracy"] = 0.95 });
        store.Annotate("m@2", addTags: ["best"]);
        Assert.Equal(["m@2", "other@1", "m@1"], Names(store.Find(new ArtifactQuery { Where = "accuracy >= 0.5", AllVersions = true, OrderBy = "-accuracy" })));
        Assert.Equal(5L, await MetadataRowsAsync(environment));

        // Unsetting every key leaves no row; a trashed version keeps its rows (restored, it is found again), a deleted one loses them.
        store.Annotate("m@2", removeMetadata: ["accuracy"]);
        Assert.Equal(4L, await MetadataRowsAsync(environment));
        store.Delete("other", 1);
        Assert.Empty(store.Find(new ArtifactQuery { Where = "accuracy = 0.7", AllVersions = true }));
        Assert.Equal(4L, await MetadataRowsAsync(environment));
        store.Delete("m", 1, permanent: true);
        Assert.Equal(1L, await MetadataRowsAsync(environment));
        store.Restore("other", 1);
        Assert.Equal(["other@1"], Names(store.Find(new ArtifactQuery { Where = "accuracy = 0.7" })));
    }

    private static async Task<long> MetadataRowsAsync(BackendEnvironment environment) =>
        Convert.ToInt64(await environment.SqlAsync("SELECT COUNT(*) FROM artifact_metadata"), System.Globalization.CultureInfo.InvariantCulture);

    private static void Save(ArtifactStore store, string name, string[] tags, params (string Key, object Value)[] metadata)
    {
        var options = new SaveOptions { Tags = tags };
        foreach (var (key, value) in metadata)
        {
            options.Metadata[key] = value;
        }

        store.Save(name, 0, options);
    }

    private static List<string> Names(IEnumerable<ArtifactRecord> records) => [.. records.Select(r => $"{r.Name}@{r.Version}")];
}
