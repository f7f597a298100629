using System.Text.Json;

namespace Lineage.Cli.Tests;

/// <summary><c>lineage alias set|rm|ls|history</c>, and <c>rm</c> of a version an alias points at.</summary>
public sealed class AliasCommandTests
{
    [Fact]
    public async Task Alias_set_creates_then_moves_and_history_shows_created_moved_removed()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
            store.Save("model", 2);
        }

        var created = await home.RunAsync("alias", "set", "model", "production", "1");
        var moved = await home.RunAsync("alias", "set", "model", "production", "2");
        var again = await home.RunAsync("alias", "set", "model", "production", "2", "--json");
        var removed = await home.RunAsync("alias", "rm", "model", "production");
        var history = await home.RunAsync("alias", "history", "model", "production");
        var json = await home.RunAsync("alias", "history", "model", "production", "--json");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Contains("model@production now points at version 1 (created).", created.Output, StringComparison.Ordinal);
        Assert.Contains("model@production now points at version 2 (was 1).", moved.Output, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.False(again.Json().GetProperty("changed").GetBoolean());
        Assert.Equal(2, again.Json().GetProperty("previous_version").GetInt32());
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.Contains("Removed model@production (it pointed at version 2).", removed.Output, StringComparison.Ordinal);
        var lines = history.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^WHEN\s+BY\s+CHANGE\s+FROM\s+TO$", lines[0]);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\s+\S+\s+created\s+-\s+1$", lines[1]);
        Assert.Matches(@"\s+moved\s+1\s+2$", lines[2]);
        Assert.Matches(@"\s+removed\s+2\s+-$", lines[3]);
        var moves = json.Json().EnumerateArray().ToList();
        Assert.Equal(["created", "moved", "removed"], moves.Select(m => m.GetProperty("change").GetString()));
        Assert.Equal(JsonValueKind.Null, moves[0].GetProperty("from_version").ValueKind);
        Assert.Equal(1, moves[0].GetProperty("to_version").GetInt32());
        Assert.Equal(2, moves[2].GetProperty("from_version").GetInt32());
        Assert.Equal(JsonValueKind.Null, moves[2].GetProperty("to_version").ValueKind);
        Assert.False(string.IsNullOrEmpty(moves[1].GetProperty("moved_by").GetString()));
        Assert.True(moves[1].GetProperty("moved_at").GetDateTimeOffset() >= moves[0].GetProperty("moved_at").GetDateTimeOffset());
        using var reopened = home.Open();
        Assert.Empty(reopened.Aliases.List("model"));
    }

    [Fact]
    public async Task Alias_set_takes_latest_or_another_alias_as_the_version()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
            store.Save("model", 2);
            store.Save("model", 3);
            store.Aliases.Set("model", "candidate", 2);
        }

        var latest = await home.RunAsync("alias", "set", "model", "newest", "latest");
        var promoted = await home.RunAsync("alias", "set", "model", "production", "candidate", "--json");

        Assert.True(latest.ExitCode == 0, latest.ToString());
        Assert.True(promoted.ExitCode == 0, promoted.ToString());
        Assert.Equal(2, promoted.Json().GetProperty("version").GetInt32());
        Assert.Equal("production", promoted.Json().GetProperty("alias").GetString());
        Assert.Equal(JsonValueKind.Null, promoted.Json().GetProperty("previous_version").ValueKind);
        using var reopened = home.Open();
        Assert.Equal(3, reopened.Get("model@newest").Version);
        Assert.Equal(2, reopened.Get("model@production").Version);
    }

    [Fact]
    public async Task Alias_ls_lists_each_alias_with_its_version_in_text_and_json()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
            store.Save("model", 2);
            store.Save("other", 1);
            store.Aliases.Set("model", "production", 1);
            store.Aliases.Set("model", "candidate", 2);
        }

        var text = await home.RunAsync("alias", "ls", "model");
        var json = await home.RunAsync("alias", "ls", "model", "--json");
        var none = await home.RunAsync("alias", "ls", "other");
        var unknown = await home.RunAsync("alias", "ls", "missing");

        Assert.True(text.ExitCode == 0, text.ToString());
        var lines = text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^ALIAS\s+VERSION\s+SET\s+BY$", lines[0]);
        Assert.Matches(@"^candidate\s+2\s+\d{4}-", lines[1]);
        Assert.Matches(@"^production\s+1\s+\d{4}-", lines[2]);
        var items = json.Json().EnumerateArray().ToList();
        Assert.Equal(["candidate", "production"], items.Select(i => i.GetProperty("alias").GetString()));
        Assert.Equal([2, 1], items.Select(i => i.GetProperty("version").GetInt32()));
        Assert.All(items, i => Assert.Equal("model", i.GetProperty("name").GetString()));
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Contains("other has no aliases", none.Output, StringComparison.Ordinal);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("'missing'", unknown.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set", "model", "12", "1")]
    [InlineData("set", "model", "latest", "1")]
    [InlineData("set", "model", "bad alias", "1")]
    [InlineData("rm", "model", "123")]
    [InlineData("history", "model", "latest")]
    public async Task An_invalid_alias_is_a_usage_error_saying_what_an_alias_is(params string[] args)
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
        }

        var result = await home.RunAsync(["alias", .. args]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("is not a valid alias", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task Alias_commands_take_the_name_alone()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
        }

        var result = await home.RunAsync("alias", "set", "model@1", "production", "1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("alias commands take the artifact name alone ('model')", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_aliases_versions_and_names_are_not_found()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
        }

        var remove = await home.RunAsync("alias", "rm", "model", "production");
        var history = await home.RunAsync("alias", "history", "model", "production");
        var version = await home.RunAsync("alias", "set", "model", "production", "7");
        var other = await home.RunAsync("alias", "set", "model", "production", "candidate");

        Assert.True(remove.ExitCode == 1, remove.ToString());
        Assert.Contains("has no alias 'production'", remove.Error, StringComparison.Ordinal);
        Assert.Equal(1, history.ExitCode);
        Assert.Contains("'model' has no alias 'production' and never had one", history.Error, StringComparison.Ordinal);
        Assert.Equal(1, version.ExitCode);
        Assert.Contains("no version 7", version.Error, StringComparison.Ordinal);
        Assert.Equal(1, other.ExitCode);
        Assert.Contains("has no alias 'candidate'", other.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", remove.Error + history.Error + version.Error + other.Error);
    }

    [Fact]
    public async Task Alias_set_on_a_trashed_version_fails_saying_to_restore_it()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
            store.Save("model", 2);
            store.Delete("model", 1);
        }

        var result = await home.RunAsync("alias", "set", "model", "production", "1");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("in the trash; restore it", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model@2")]
    [InlineData("model@production")]
    public async Task Rm_of_an_aliased_version_is_refused_naming_the_alias_and_the_ways_out(string reference)
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
            store.Save("model", 2);
            store.Aliases.Set("model", "production", 2);
        }

        var result = await home.RunAsync("rm", reference);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("alias 'production' of model points at model@2, so it was not moved to the trash", result.Error, StringComparison.Ordinal);
        Assert.Contains("'lineage alias rm model production'", result.Error, StringComparison.Ordinal);
        Assert.Contains("--remove-aliases", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("removeAliases: true", result.Error, StringComparison.Ordinal);
        using var reopened = home.Open();
        Assert.Equal(ArtifactBranch.Main, reopened.Get("model@2").Branch);
        Assert.Equal(2, reopened.Get("model@production").Version);
    }

    [Fact]
    public async Task Rm_with_remove_aliases_trashes_the_version_and_records_the_removal()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
            store.Save("model", 2);
            store.Save("model", 3);
            store.Aliases.Set("model", "production", 2);
            store.Aliases.Set("model", "candidate", 2);
            store.Aliases.Set("model", "previous", 1);
            store.Aliases.Set("model", "next", 3);
        }

        var text = await home.RunAsync("rm", "model@2", "--remove-aliases");
        var json = await home.RunAsync("rm", "model@previous", "--remove-aliases", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("Moved model@2 to the trash", text.Output, StringComparison.Ordinal);
        Assert.Contains("Removed aliases 'candidate' and 'production' (see 'lineage alias history model candidate').", text.Output, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(1, json.Json().GetProperty("version").GetInt32());
        Assert.Equal("trash", json.Json().GetProperty("branch").GetString());
        Assert.Equal(["previous"], json.Json().GetProperty("removed_aliases").EnumerateArray().Select(a => a.GetString()));
        using var reopened = home.Open();
        Assert.Equal([1, 2], reopened.Trash().Select(r => r.Version).Order());
        Assert.Equal(["next"], reopened.Aliases.List("model").Select(a => a.Alias));
        Assert.Null(reopened.Aliases.History("model", "production")[^1].ToVersion);
    }
}
