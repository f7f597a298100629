namespace Lineage.Tests.Store;

public sealed class SqliteSchemaTests
{
    [Fact]
    public void The_database_uses_the_WAL_journal()
    {
        using var home = new TestHome();
        using (home.Open())
        {
        }

        using var connection = StoreFiles.OpenDatabase(StoreFiles.DatabasePath(home));

        Assert.Equal("wal", StoreFiles.Scalar(connection, "PRAGMA journal_mode;"));
    }

    [Fact]
    public void Migration_1_is_recorded_once_and_reopening_does_not_apply_it_again()
    {
        using var home = new TestHome();
        using (home.Open())
        {
        }

        using (home.Open())
        {
        }

        using var connection = StoreFiles.OpenDatabase(StoreFiles.DatabasePath(home));
        Assert.Equal(1L, StoreFiles.Scalar(connection, "SELECT COUNT(*) FROM schema_migrations;"));
        Assert.Equal(1L, StoreFiles.Scalar(connection, "SELECT version FROM schema_migrations;"));
        Assert.Equal("initial", StoreFiles.Scalar(connection, "SELECT name FROM schema_migrations;"));
    }

    [Fact]
    public void Reopening_keeps_the_saved_artifacts_and_the_single_space()
    {
        using var home = new TestHome();
        using (var store = home.Open())
        {
            store.Save("kept", 1);
        }

        using (var store = home.Open())
        {
            Assert.Equal(1, store.Load<int>("kept"));
        }

        using var connection = StoreFiles.OpenDatabase(StoreFiles.DatabasePath(home));
        Assert.Equal(1L, StoreFiles.Scalar(connection, "SELECT COUNT(*) FROM spaces;"));
        Assert.Equal(1L, StoreFiles.Scalar(connection, "SELECT COUNT(*) FROM storages;"));
        Assert.Equal(1L, StoreFiles.Scalar(connection, "SELECT COUNT(*) FROM instance;"));
    }

    [Theory]
    [InlineData("instance")]
    [InlineData("storages")]
    [InlineData("code_records")]
    [InlineData("runs")]
    [InlineData("spaces")]
    [InlineData("artifact_names")]
    [InlineData("artifacts")]
    [InlineData("schema_migrations")]
    public void The_schema_has_table(string table)
    {
        using var home = new TestHome();
        using (home.Open())
        {
        }

        using var connection = StoreFiles.OpenDatabase(StoreFiles.DatabasePath(home));

        Assert.Equal(1L, StoreFiles.Scalar(connection, $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}';"));
    }

    [Fact]
    public void The_root_is_registered_as_a_local_storage_owned_by_this_instance()
    {
        using var home = new TestHome();
        string instance;
        string root;
        using (var store = home.Open())
        {
            instance = store.InstanceUid;
            root = store.Options.ArtifactStorageDir;
        }

        using var connection = StoreFiles.OpenDatabase(StoreFiles.DatabasePath(home));

        Assert.Equal(root, StoreFiles.Scalar(connection, "SELECT root FROM storages;"));
        Assert.Equal("local", StoreFiles.Scalar(connection, "SELECT type FROM storages;"));
        Assert.Equal(instance, StoreFiles.Scalar(connection, "SELECT instance_uid FROM storages;"));
        Assert.Equal(instance, StoreFiles.Scalar(connection, "SELECT uid FROM instance;"));
    }
}
