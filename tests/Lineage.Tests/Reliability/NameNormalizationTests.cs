using Lineage.Tests.Servers;

namespace Lineage.Tests.Reliability;

/// <summary>A name typed on one keyboard and pasted from another is one artifact: names are compared in Unicode NFC.</summary>
public sealed class NameNormalizationTests(PostgresServer postgres, S3Server s3)
{
    private const string Composed = "caf\u00e9";
    private const string Decomposed = "cafe\u0301";

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_name_saved_composed_and_decomposed_is_one_artifact_with_two_versions(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        store.Save(Composed, "first");
        var second = store.Save(Decomposed, "second");

        Assert.Equal(2, second.Version);
        Assert.Equal(Composed, second.Name);
        Assert.Equal("second", store.Load<string>(Decomposed));
        Assert.Equal("first", store.Load<string>(Decomposed, 1));
        Assert.Equal([1, 2], store.Versions(Decomposed).Select(r => r.Version));
        Assert.Equal(Composed, Assert.Single(store.List()).Name);
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task A_version_saved_composed_is_deleted_and_restored_by_its_decomposed_name(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();
        store.Save(Composed, "value");

        store.Delete(Decomposed, 1);
        Assert.Throws<ArtifactNotFoundException>(() => store.Get(Composed));
        store.Restore(Decomposed, 1);

        Assert.Equal(1, store.Get(Decomposed).Version);
    }

    [Fact]
    public void IsValid_judges_a_name_by_its_NFC_form_and_refuses_broken_UTF16_without_throwing()
    {
        Assert.True(ArtifactName.IsValid(Decomposed));
        Assert.False(ArtifactName.IsValid("a\ud800b"));
        Assert.False(ArtifactName.IsValid("a\u0301"[1..]));
    }

    [Fact]
    public async Task Save_with_a_lone_surrogate_in_the_name_throws_ArgumentException()
    {
        await using var environment = await BackendEnvironment.CreateAsync(Backend.SqliteLocal, postgres, s3);
        await using var store = environment.Open();

        var error = Assert.Throws<ArgumentException>(() => store.Save("a\ud800b", 1));

        Assert.Equal("name", error.ParamName);
    }
}
