using Lineage.Testing;

namespace Lineage.Cli.Tests;

/// <summary><c>prune</c>, <c>trash ls</c>, <c>trash empty</c> and <c>du</c>.</summary>
public sealed class RetentionCommandTests
{
    private static byte[] Bytes(int seed, int length)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    [Fact]
    public async Task Prune_dry_run_lists_exactly_what_would_go_and_the_bytes_freed_counting_a_shared_value_once()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("data", Bytes(1, 1000));
            store.Save("data", Bytes(1, 1000));
            store.Save("data", Bytes(2, 200));
            store.Save("data", Bytes(3, 300));
            store.Aliases.Set("data", "golden", 3);
        }

        var dry = await home.RunAsync("prune", "data", "--keep-last", "1", "--dry-run");
        var json = await home.RunAsync("prune", "--all", "--keep-last", "1", "--dry-run", "--json");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        var lines = dry.Output.Trim().Split('\n');
        Assert.StartsWith("would trash data@1  1000 B  (shared value)", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("would trash data@2  1000 B  (shared value)", lines[1], StringComparison.Ordinal);
        Assert.Equal("kept data@3: aliased (golden)", lines[2]);
        Assert.Equal("Dry run: would move 2 version(s) to the trash; emptying the trash would then free 1000 B (1000 bytes).", lines[3]);
        Assert.Equal(4, lines.Length);
        Assert.Equal(1000, json.Json().GetProperty("bytes_freed").GetInt64());
        Assert.Equal(2, json.Json().GetProperty("removed").GetArrayLength());
        using var after = home.Open();
        Assert.Equal(4, after.Versions("data").Count);
    }

    [Fact]
    public async Task Prune_moves_to_the_trash_then_trash_ls_and_trash_empty_delete_them_and_du_shows_the_space()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("data", Bytes(1, 1000));
            store.Save("data", Bytes(1, 1000));
            store.Save("data", Bytes(2, 200));
        }

        var du = await home.RunAsync("du", "--json");
        var pruned = await home.RunAsync("prune", "data", "--keep-last", "1");
        var trash = await home.RunAsync("trash", "ls");
        var recent = await home.RunAsync("trash", "empty", "--older-than", "7d");
        var emptied = await home.RunAsync("trash", "empty");

        Assert.True(du.ExitCode == 0, du.ToString());
        var root = du.Json().GetProperty("roots")[0];
        Assert.Equal((1200L, 2200L, 1000L), (root.GetProperty("stored_bytes").GetInt64(), root.GetProperty("logical_bytes").GetInt64(), root.GetProperty("saved_bytes").GetInt64()));
        Assert.True(pruned.ExitCode == 0, pruned.ToString());
        Assert.Contains("moved 2 version(s) to the trash", pruned.Output, StringComparison.Ordinal);
        Assert.Contains("data@1", trash.Output, StringComparison.Ordinal);
        Assert.Contains("data@2", trash.Output, StringComparison.Ordinal);
        Assert.Contains("Deleted 0 version(s)", recent.Output, StringComparison.Ordinal);
        Assert.Contains("Deleted 2 version(s) permanently, freeing 1000 B (1000 bytes).", emptied.Output, StringComparison.Ordinal);
        Assert.Equal("The trash is empty.", (await home.RunAsync("trash", "ls")).Output.Trim());
        Assert.Single(Directory.GetFiles(Path.Combine(home.Root, ".lineage")), f => !f.EndsWith("storage.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Prune_without_everything_removes_all_versions_says_so_in_the_dry_run()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("scratch", 1);
        }

        await Task.Delay(1100, TestContext.Current.CancellationToken);
        var dry = await home.RunAsync("prune", "scratch", "--older-than", "1s", "--dry-run");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("This removes every live version of scratch.", dry.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--keep-last 0", "--keep-last must be 1 or more")]
    [InlineData("--keep-last -3", "--keep-last must be 1 or more")]
    [InlineData("--older-than 30x", "--older-than '30x' is not a time")]
    [InlineData("", "prune needs --keep-last N, --older-than AGE, or both")]
    public async Task Prune_refuses_bad_input_with_a_clear_error(string arguments, string expected)
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
        }

        var result = await home.RunAsync(["prune", "model", .. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_of_an_unknown_name_or_without_a_name_is_refused()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
        }

        var unknown = await home.RunAsync("prune", "nope", "--keep-last", "1");
        var neither = await home.RunAsync("prune", "--keep-last", "1");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("No artifact named 'nope'", unknown.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, neither.ExitCode);
        Assert.Contains("prune needs an artifact NAME or --all", neither.Error, StringComparison.Ordinal);
    }
}
