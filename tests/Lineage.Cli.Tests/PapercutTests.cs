namespace Lineage.Cli.Tests;

/// <summary>Small things a newcomer tripped over in the tool: its name in the usage, the order of errors, wide type names.</summary>
public sealed class PapercutTests
{
    [Fact]
    public async Task Help_names_the_tool_lineage_as_users_type_it()
    {
        using var home = new CliHome();

        var help = await home.RunAsync("--help");

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("lineage [command] [options]", help.Output);
        Assert.DoesNotContain("Lineage.Cli", help.Output);
    }

    [Fact]
    public async Task Get_of_a_missing_version_says_so_before_asking_for_an_output_file()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("blob", new byte[] { 1, 2, 3 });
        }

        var missing = await home.RunAsync("get", "blob@99");
        var noOutput = await home.RunAsync("get", "blob");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("has no version 99", missing.Error);
        Assert.DoesNotContain("-o", missing.Error);
        Assert.Equal(2, noOutput.ExitCode);
        Assert.Contains("get needs -o FILE: where to write blob@1", noOutput.Error);
    }

    [Fact]
    public async Task Ls_abbreviates_framework_type_names_and_show_keeps_them_whole()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("metrics", new Dictionary<string, double> { ["accuracy"] = 0.9 });
            store.Save("pairs", new List<KeyValuePair<int, string[]>> { new(1, ["a"]) });
        }

        var list = await home.RunAsync("ls");
        var show = await home.RunAsync("show", "metrics");

        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.Matches(@"(?m)^metrics\s+1\s+\d+ B\s+Dictionary<string, double>\s", list.Output);
        Assert.Matches(@"(?m)^pairs\s+1\s+\d+ B\s+List<KeyValuePair<int, string\[\]>>\s", list.Output);
        Assert.DoesNotContain("System.", list.Output);
        Assert.Contains("System.Collections.Generic.Dictionary<System.String, System.Double>", show.Output);
    }

    [Fact]
    public async Task A_missing_argument_is_named_with_the_commands_usage()
    {
        using var home = new CliHome();

        var result = await home.RunAsync("storage", "migrate", home.Sub("from"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("missing TO: The location to move them to", result.Error);
        Assert.DoesNotContain("missing FROM", result.Error);
        Assert.Contains("Usage: lineage storage migrate FROM TO [options]", result.Error);
    }
}
