namespace Lineage.Tests.Configuration;

/// <summary>
/// Options are fixed once a store is opened with them (LineaPy: reset the session to change storage);
/// another location means a new store with new options. Folders are created on first use.
/// </summary>
public sealed class OpeningStoreTests
{
    [Fact]
    public void Options_are_editable_until_a_store_opens_with_them()
    {
        using var home = new TestHome();
        var options = home.Options();
        options.StorageOptions["region"] = "eu-west-1";
        options.StorageOptions.Remove("region");
        Assert.False(options.IsFrozen);

        using var store = ArtifactStore.Open(options);

        Assert.True(options.IsFrozen);
        Assert.True(options.StorageOptions.IsReadOnly);
    }

    [Fact]
    public void Setting_a_location_after_opening_throws()
    {
        using var home = new TestHome();
        var options = home.Options();
        using var store = ArtifactStore.Open(options);

        Assert.Throws<InvalidOperationException>(() => options.Home = home.Sub("other-home"));
        Assert.Throws<InvalidOperationException>(() => options.DatabaseUrl = "sqlite:///" + home.Sub("other.sqlite"));
        Assert.Throws<InvalidOperationException>(() => options.ArtifactStorageDir = home.Sub("other-values"));

        Assert.Equal(home.Path, options.Home);
        Assert.Equal(home.Sub("artifacts"), options.ArtifactStorageDir);
    }

    [Fact]
    public void Changing_storage_options_after_opening_throws()
    {
        using var home = new TestHome();
        var options = home.Options();
        options.StorageOptions["profile"] = "team";
        using var store = ArtifactStore.Open(options);

        Assert.Throws<InvalidOperationException>(() => options.StorageOptions = new Dictionary<string, string> { ["region"] = "eu-west-1" });
        Assert.Throws<InvalidOperationException>(() => options.StorageOptions.Add("region", "eu-west-1"));
        Assert.Throws<InvalidOperationException>(() => options.StorageOptions.Add(new KeyValuePair<string, string>("region", "eu-west-1")));
        Assert.Throws<InvalidOperationException>(() => options.StorageOptions["profile"] = "other");
        Assert.Throws<InvalidOperationException>(() => options.StorageOptions.Remove("profile"));
        Assert.Throws<InvalidOperationException>(() => options.StorageOptions.Clear());

        Assert.Equal(new Dictionary<string, string> { ["profile"] = "team" }, options.StorageOptions);
    }

    [Fact]
    public void New_options_pointing_elsewhere_open_an_independent_store()
    {
        using var first = new TestHome();
        using var second = new TestHome();
        using var firstStore = first.Open();
        firstStore.Save("numbers", new[] { 1, 2, 3 });

        using var secondStore = ArtifactStore.Open(second.Options());
        secondStore.Save("letters", "abc");

        Assert.Equal(second.Path, secondStore.Options.Home);
        Assert.Equal(["letters"], secondStore.List().Select(r => r.Name));
        Assert.Equal(["numbers"], firstStore.List().Select(r => r.Name));
        Assert.Equal([1, 2, 3], firstStore.Load<int[]>("numbers"));
        Assert.NotEqual(firstStore.InstanceUid, secondStore.InstanceUid);
    }

    [Fact]
    public void Frozen_options_can_still_open_another_store_on_the_same_location()
    {
        using var home = new TestHome();
        var options = home.Options();
        using (var store = ArtifactStore.Open(options))
        {
            store.Save("numbers", new[] { 4, 5 });
        }

        using var reopened = ArtifactStore.Open(options);

        Assert.Equal([4, 5], reopened.Load<int[]>("numbers"));
    }

    [Fact]
    public void Opening_a_store_on_a_home_that_does_not_exist_creates_the_database_and_the_artifacts_root()
    {
        using var temp = new TestHome();
        var home = temp.Sub("not", "yet", "there");
        var options = new LineageOptions
        {
            Home = home,
            DatabaseUrl = "sqlite:///" + Path.Combine(home, "db.sqlite"),
            ArtifactStorageDir = Path.Combine(home, "artifacts"),
        };
        Assert.False(Directory.Exists(home));

        using var store = ArtifactStore.Open(options);

        Assert.True(File.Exists(Path.Combine(home, "db.sqlite")));
        Assert.True(Directory.Exists(Path.Combine(home, "artifacts")));
        Assert.Equal(Path.Combine(home, "artifacts"), store.Options.ArtifactStorageDir);
        Assert.True(store.IsStorageWritable);
    }

    [Fact]
    public void Opening_a_postgres_store_fails_without_revealing_the_password()
    {
        using var home = new TestHome();
        var options = home.Options(databaseUrl: "postgresql://user:s3cr3t@localhost:5432/db");

        var error = Assert.Throws<LineageConfigurationException>(() => ArtifactStore.Open(options));

        Assert.DoesNotContain("s3cr3t", error.Message, StringComparison.Ordinal);
        Assert.Contains("postgresql://user:***@localhost:5432/db", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// IsFrozen is documented as "true once a store has been opened with these options". When opening fails no
    /// store exists, so the caller should be able to fix the options and try again.
    /// </summary>
    [Theory]
    [InlineData("mysql://user@localhost/db")]
    [InlineData("postgresql://user@localhost:5432/db")]
    public void Options_stay_editable_when_no_store_could_be_opened(string databaseUrl)
    {
        using var home = new TestHome();
        var options = home.Options(databaseUrl: databaseUrl);
        Assert.Throws<LineageConfigurationException>(() => ArtifactStore.Open(options));

        options.DatabaseUrl = "sqlite:///" + home.Sub("db.sqlite");
        using var store = ArtifactStore.Open(options);

        Assert.Equal(home.Sub("db.sqlite"), store.Options.Database.SqlitePath);
    }
}
