using Microsoft.Data.Sqlite;

namespace Lineage.Cli.Tests;

/// <summary>
/// A store the user may only read: opening an up-to-date store writes nothing (no migration, no claim, no registration),
/// so <c>lineage ls</c> works on a SQLite file the user may not write, in a folder they may or may not write.
/// File modes are POSIX's, so not on Windows.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ReadOnlyStoreTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Ls_lists_a_database_file_the_user_may_only_read(bool readOnlyFolder)
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("iris-weights", new[] { 1f, 2f });
            store.Save("labels", new[] { "setosa" });
        }

        // The pooled connections close, so the -wal and -shm files go as they do when the last program using the store exits.
        SqliteConnection.ClearAllPools();
        var database = home.Sub("db.sqlite");
        var written = File.GetLastWriteTimeUtc(database);
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var folderMode = File.GetUnixFileMode(home.Path);
        if (readOnlyFolder)
        {
            File.SetUnixFileMode(home.Path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        try
        {
            var listed = await home.RunBoundByPermissionsAsync("ls", "--json");

            Assert.True(listed.ExitCode == 0, listed.ToString());
            Assert.Equal(["iris-weights", "labels"], listed.Json().EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order());
            Assert.Equal(written, File.GetLastWriteTimeUtc(database));
        }
        finally
        {
            File.SetUnixFileMode(home.Path, folderMode);
            File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
    [Fact]
    public async Task Listing_commands_read_the_metadata_without_touching_a_root_the_store_could_not_register()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("iris-weights", new[] { 1f, 2f });
        }

        // A root nested inside the registered one: an open that registers it refuses it, so only a write may need to.
        var nested = home.Sub("artifacts", "inside");

        var listed = await home.RunAsync("ls", "--storage", nested);
        var json = await home.RunAsync("ls", "--json", "--storage", nested);
        var versions = await home.RunAsync("versions", "iris-weights", "--storage", nested);
        var shown = await home.RunAsync("show", "iris-weights", "--storage", nested);
        var registering = await home.RunAsync("storage", "ls", "--storage", nested);

        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains("iris-weights", listed.Output, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal("iris-weights", Assert.Single(json.Json().EnumerateArray().ToList()).GetProperty("name").GetString());
        Assert.True(versions.ExitCode == 0, versions.ToString());
        Assert.True(shown.ExitCode == 0, shown.ToString());
        Assert.Contains(home.Root, shown.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(nested));

        // A command that opens the store as a writer still reports the root as before.
        Assert.Equal(1, registering.ExitCode);
        Assert.Contains("nested inside", registering.Error, StringComparison.Ordinal);
    }
}
