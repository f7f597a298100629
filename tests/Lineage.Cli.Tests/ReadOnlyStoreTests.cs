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
}
