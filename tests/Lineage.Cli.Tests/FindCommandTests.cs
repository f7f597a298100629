using System.Text.Json;

namespace Lineage.Cli.Tests;

/// <summary><c>lineage find</c>: filters, sorting, limits, times, and what a malformed filter prints.</summary>
public sealed class FindCommandTests
{
    private static void SaveModels(ArtifactStore store)
    {
        store.Save("iris-model", 1, new SaveOptions { Tags = ["iris"], Metadata = { ["accuracy"] = 0.87, ["dataset"] = "iris" } });
        store.Save("iris-model", 2, new SaveOptions { Tags = ["iris"], Metadata = { ["accuracy"] = 0.93, ["dataset"] = "iris" } });
        store.Save("iris-model", 3, new SaveOptions { Tags = ["iris", "experimental"], Metadata = { ["accuracy"] = "n/a", ["dataset"] = "iris" } });
        store.Save("iris-model", 4, new SaveOptions { Tags = ["iris"], Metadata = { ["accuracy"] = 0.9, ["dataset"] = "other" } });
        store.Save("notes", "plain");
    }

    [Fact]
    public async Task Find_filters_on_metadata_and_sorts_by_a_key_with_its_column()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            SaveModels(store);
        }

        var result = await home.RunAsync("find", "--where", "accuracy > 0.88 and dataset = 'iris' or accuracy = 0.87", "--all-versions", "--sort", "-accuracy");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+VERSION\s+accuracy\s+SIZE\s+TYPE\s+CODE\s+CREATED\s+BY\s+TAGS$", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^iris-model\s+2\s+0\.93\s", lines[1]);
        Assert.Matches(@"^iris-model\s+1\s+0\.87\s", lines[2]);
    }

    [Fact]
    public async Task Sorting_puts_numbers_then_strings_then_missing_keys_last_and_limit_cuts()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            SaveModels(store);
        }

        var all = await home.RunAsync("find", "--all-versions", "--sort", "accuracy");
        var limited = await home.RunAsync("find", "--all-versions", "--sort=-accuracy", "--limit", "2", "--json");

        Assert.True(all.ExitCode == 0, all.ToString());
        var rows = all.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];
        Assert.Equal(["0.87", "0.9", "0.93", "'n/a'", "-"], rows.Select(r => r.Split("  ", StringSplitOptions.RemoveEmptyEntries)[2].Trim()));
        Assert.Matches(@"^notes\s+1\s+-\s", rows[^1]);
        Assert.Equal([2, 4], limited.Json().EnumerateArray().Select(r => r.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task Find_by_name_glob_tag_alias_and_creator_looks_at_the_latest_of_each_name_by_default()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            SaveModels(store);
            store.Aliases.Set("iris-model", "production", 2);
        }

        var latest = await home.RunAsync("find", "--name", "iris-*", "--json");
        var tagged = await home.RunAsync("find", "--tag", "iris", "--tag", "experimental", "--all-versions", "--json");
        var aliased = await home.RunAsync("find", "--alias", "production", "--all-versions", "--json");
        var nobody = await home.RunAsync("find", "--created-by", "somebody-else");
        var aliasedLatestOnly = await home.RunAsync("find", "--alias", "production", "--json");

        Assert.True(latest.ExitCode == 0, latest.ToString());
        var only = Assert.Single(latest.Json().EnumerateArray().ToList());
        Assert.Equal(4, only.GetProperty("version").GetInt32());
        Assert.Equal(3, Assert.Single(tagged.Json().EnumerateArray().ToList()).GetProperty("version").GetInt32());
        var production = Assert.Single(aliased.Json().EnumerateArray().ToList());
        Assert.Equal(2, production.GetProperty("version").GetInt32());
        Assert.Equal(["production"], production.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));
        // An alias names one version: it is found even though it is not the latest of its name.
        Assert.Equal(2, Assert.Single(aliasedLatestOnly.Json().EnumerateArray().ToList()).GetProperty("version").GetInt32());
        Assert.True(nobody.ExitCode == 0, nobody.ToString());
        Assert.Equal("No versions match among the latest version of each name; --all-versions looks at every live version.", nobody.Output.Trim());
    }

    [Fact]
    public async Task Find_json_keeps_metadata_types()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("m", 1, new SaveOptions { Metadata = { ["n"] = 42, ["x"] = 0.5, ["s"] = "42", ["b"] = true } });
        }

        var result = await home.RunAsync("find", "--where", "n = 42 and s = '42' and b = true and x < 1", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var metadata = Assert.Single(result.Json().EnumerateArray().ToList()).GetProperty("metadata");
        Assert.Equal(JsonValueKind.Number, metadata.GetProperty("n").ValueKind);
        Assert.Equal(42, metadata.GetProperty("n").GetInt64());
        Assert.Equal(0.5, metadata.GetProperty("x").GetDouble());
        Assert.Equal(JsonValueKind.String, metadata.GetProperty("s").ValueKind);
        Assert.Equal(JsonValueKind.True, metadata.GetProperty("b").ValueKind);
    }

    [Theory]
    [InlineData("accuracy > and x", 11)]
    [InlineData("accuracy >", 10)]
    [InlineData("(a = 1", 6)]
    [InlineData("a = 1 && b = 2", 6)]
    [InlineData("a = 'open", 4)]
    [InlineData("a = 1 and b < true", 12)]
    public async Task A_malformed_filter_prints_the_filter_with_a_caret_under_the_error(string filter, int position)
    {
        using var home = new CliHome();

        var result = await home.RunAsync("find", "--where", filter);

        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Error.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        Assert.StartsWith($"lineage: Syntax error at position {position}:", lines[0], StringComparison.Ordinal);
        Assert.Equal("  " + filter, lines[1]);
        Assert.Equal(new string(' ', 2 + position) + "^", lines[2]);
    }

    [Fact]
    public async Task The_caret_stays_under_the_error_after_escaped_control_characters_and_on_later_lines()
    {
        using var home = new CliHome();

        var escaped = await home.RunAsync("find", "--where", "\"k\u001b\" = 1 and");
        var multiline = await home.RunAsync("find", "--where", "a = 1 and\n\tb = = 2");

        Assert.Equal(2, escaped.ExitCode);
        var lines = escaped.Error.Split('\n');
        Assert.Equal(@"  ""k\u001B"" = 1 and", lines[1].TrimEnd('\r'));
        // Position 12 is the end of the text; ESC printed as \u001B is six characters wide.
        Assert.Equal(new string(' ', 2 + 12 + 5) + "^", lines[2].TrimEnd('\r'));
        Assert.Equal(2, multiline.ExitCode);
        var more = multiline.Error.Split('\n');
        Assert.Contains("(line 2, column 6)", more[0], StringComparison.Ordinal);
        Assert.Equal("  \tb = = 2", more[1].TrimEnd('\r'));
        Assert.Equal("  \t    ^", more[2].TrimEnd('\r'));
    }

    [Fact]
    public async Task SQL_in_a_filter_is_data()
    {
        using var home = new CliHome();
        const string Hostile = "x'); DROP TABLE artifacts; --";
        using (var store = home.Open())
        {
            store.Save("m", 1, new SaveOptions { Metadata = { ["note"] = Hostile, [Hostile] = 1 } });
            store.Save("m", 2, new SaveOptions { Metadata = { ["note"] = "plain" } });
        }

        var byValue = await home.RunAsync("find", "--all-versions", "--where", "note = 'x''); DROP TABLE artifacts; --'", "--json");
        var byKey = await home.RunAsync("find", "--all-versions", "--where", "\"x'); DROP TABLE artifacts; --\" = 1", "--json");
        var sorted = await home.RunAsync("find", "--all-versions", "--sort", Hostile, "--json");
        var injected = await home.RunAsync("find", "--all-versions", "--where", "note = 'plain' or 1 = 1");

        Assert.True(byValue.ExitCode == 0, byValue.ToString());
        Assert.Equal(1, Assert.Single(byValue.Json().EnumerateArray().ToList()).GetProperty("version").GetInt32());
        Assert.Equal(1, Assert.Single(byKey.Json().EnumerateArray().ToList()).GetProperty("version").GetInt32());
        Assert.True(sorted.ExitCode == 0, sorted.ToString());
        Assert.Equal([1, 2], sorted.Json().EnumerateArray().Select(r => r.GetProperty("version").GetInt32()));
        // "1 = 1" is no condition here: a key cannot start with a digit, so the filter is malformed, never SQL.
        Assert.Equal(2, injected.ExitCode);
        using var reopened = home.Open();
        Assert.Equal(2, reopened.Versions("m").Count);
    }

    [Fact]
    public async Task Since_and_until_take_iso_times_and_spans_ago()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("m", 1);
        }

        var recent = await home.RunAsync("find", "--since", "1h", "--json");
        var future = await home.RunAsync("find", "--since", "2999-01-01", "--json");
        var past = await home.RunAsync("find", "--until", "2000-01-01T00:00:00+02:00", "--json");
        var upToNow = await home.RunAsync("find", "--until", DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), "--json");
        var bad = await home.RunAsync("find", "--since", "yesterday");

        Assert.True(recent.ExitCode == 0, recent.ToString());
        Assert.Single(recent.Json().EnumerateArray());
        Assert.Empty(future.Json().EnumerateArray());
        Assert.Empty(past.Json().EnumerateArray());
        Assert.Single(upToNow.Json().EnumerateArray());
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--since 'yesterday' is not a time", bad.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--limit", "0")]
    [InlineData("--limit", "100001")]
    [InlineData("--name", "bad name*")]
    [InlineData("--alias", "12")]
    [InlineData("--sort", "-")]
    public async Task Invalid_query_parts_are_usage_errors(string option, string value)
    {
        using var home = new CliHome();

        var result = await home.RunAsync("find", option, value);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.DoesNotContain("   at ", result.Error);
        Assert.DoesNotContain("(Parameter", result.Error, StringComparison.Ordinal);
    }
}
