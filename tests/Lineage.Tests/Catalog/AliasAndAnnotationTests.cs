using Lineage.Tests.Servers;

namespace Lineage.Tests.Catalog;

/// <summary>Aliases with history and as-of resolution, and annotations, on every backend.</summary>
public sealed class AliasAndAnnotationTests(PostgresServer postgres, S3Server s3)
{
    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task An_alias_resolves_everywhere_moves_with_history_and_answers_as_of_a_moment(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("model", 1);
        store.Save("model", 2);
        store.Save("model", 3);

        var set = store.Aliases.Set("model", "production", 1);
        Assert.Equal(("model", "production", 1, store.Options.User), (set.Name, set.Alias, set.Version, set.SetBy));
        var firstMove = DateTimeOffset.UtcNow;
        await Task.Delay(20, TestContext.Current.CancellationToken);
        Assert.Equal(1, store.Load<int>("model@production"));
        Assert.Equal(["production"], store.Get("model@1").Aliases);

        store.Aliases.Set("model", "production", 2);
        store.Aliases.Set("model", "candidate", 3);
        Assert.Equal(2, store.Get("model@production").Version);
        Assert.Empty(store.Get("model@1").Aliases);
        Assert.Equal(["candidate", "production"], store.Aliases.List("model").Select(a => a.Alias));
        Assert.Equal(["candidate"], store.List().Single().Aliases);

        Assert.Equal(1, store.Get("model@production", firstMove).Version);
        Assert.Equal(2, store.Get("model@production", DateTimeOffset.UtcNow).Version);
        Assert.Throws<ArtifactNotFoundException>(() => store.Get("model@production", firstMove.AddMinutes(-10)));

        store.Aliases.Remove("model", "candidate");
        var unknown = Assert.Throws<ArtifactNotFoundException>(() => store.Get("model@candidate"));
        Assert.Equal("candidate", unknown.Alias);
        var history = store.Aliases.History("model", "production");
        Assert.Equal([((int?)null, (int?)1), (1, 2)], history.Select(h => (h.FromVersion, h.ToVersion)));
        Assert.Equal([((int?)null, (int?)3), (3, null)], store.Aliases.History("model", "candidate").Select(h => (h.FromVersion, h.ToVersion)));
        Assert.Throws<ArtifactNotFoundException>(() => store.Aliases.Remove("model", "candidate"));

        foreach (var bad in new[] { "12", "latest", "a b", "" })
        {
            Assert.Throws<ArgumentException>(() => store.Aliases.Set("model", bad, 1));
        }
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Trashing_an_aliased_version_is_refused_naming_the_alias_unless_its_aliases_go_too(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        store.Save("model", 1);
        store.Aliases.Set("model", "production", 1);

        var refused = Assert.Throws<AliasedVersionException>(() => store.Delete("model", 1));
        Assert.Contains("'production'", refused.Message, StringComparison.Ordinal);
        Assert.Throws<AliasedVersionException>(() => store.Delete("model", 1, permanent: true));
        Assert.Equal(ArtifactBranch.Main, store.Get("model@1").Branch);

        store.Delete("model", 1, permanent: false, deleteInPlaceFile: false, removeAliases: true);
        Assert.Equal(ArtifactBranch.Trash, store.ListAllVersions(null).Single().Branch);
        Assert.Empty(store.Aliases.List("model"));
        Assert.Equal((1, (int?)null), (store.Aliases.History("model", "production")[^1].FromVersion, store.Aliases.History("model", "production")[^1].ToVersion));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Two_stores_moving_one_alias_at_once_leave_one_winner_and_a_history_row_each(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var first = environment.Open();
        using var second = environment.Open();
        for (var i = 1; i <= 20; i++)
        {
            first.Save("model", i);
        }

        var moves = Enumerable.Range(1, 20).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).Aliases.SetAsync("model", "production", i), TestContext.Current.CancellationToken));
        await Task.WhenAll(moves);

        var history = first.Aliases.History("model", "production");
        Assert.Equal(20, history.Count);
        Assert.Null(history[0].FromVersion);
        for (var i = 1; i < history.Count; i++)
        {
            Assert.Equal(history[i - 1].ToVersion, history[i].FromVersion);
        }

        Assert.Equal(history[^1].ToVersion, first.Get("model@production").Version);
        Assert.Equal(1L, Convert.ToInt64(await environment.SqlAsync("SELECT COUNT(*) FROM aliases;")));
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Annotations_round_trip_with_their_json_types_and_change_later(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        using var store = environment.Open();
        var saved = store.Save("model", 1, new SaveOptions
        {
            Description = "first try",
            Tags = ["iris", "baseline", "iris"],
            Metadata = { ["accuracy"] = 0.93, ["epochs"] = 10, ["dataset"] = "iris", ["tuned"] = false, ["quote"] = "'; DROP TABLE artifacts; --" },
        });

        var read = store.Get("model");
        Assert.Equal(saved, read);
        Assert.Equal("first try", read.Description);
        Assert.Equal(["baseline", "iris"], read.Tags);
        Assert.Equal(0.93, Assert.IsType<double>(read.Metadata["accuracy"]));
        Assert.Equal(10L, Assert.IsType<long>(read.Metadata["epochs"]));
        Assert.Equal("iris", Assert.IsType<string>(read.Metadata["dataset"]));
        Assert.False(Assert.IsType<bool>(read.Metadata["tuned"]));
        Assert.Equal("'; DROP TABLE artifacts; --", read.Metadata["quote"]);

        var annotated = store.Annotate("model@1", description: "tuned", addTags: ["prod-candidate"], metadata: [new("f1", 0.88), new("tuned", true)], removeTags: ["baseline"], removeMetadata: ["quote"]);
        Assert.Equal(annotated, store.Get("model"));
        Assert.Equal("tuned", annotated.Description);
        Assert.Equal(["iris", "prod-candidate"], annotated.Tags);
        Assert.Equal(["accuracy", "dataset", "epochs", "f1", "tuned"], annotated.Metadata.Keys.Order(StringComparer.Ordinal));
        Assert.True((bool)annotated.Metadata["tuned"]);

        var nested = Assert.Throws<ArgumentException>(() => store.Save("model", 2, new SaveOptions { Metadata = { ["params"] = new Dictionary<string, object>() } }));
        Assert.Contains("nested objects and arrays are refused", nested.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => store.Save("model", 2, new SaveOptions { Metadata = { ["nan"] = double.NaN } }));
        Assert.Throws<ArgumentException>(() => store.Save("model", 2, new SaveOptions { Tags = [new string('t', 101)] }));
        Assert.Throws<ArgumentException>(() => store.Annotate("model", metadata: [new(new string('k', 201), 1)]));
        Assert.Single(store.Versions("model"));
    }
}
