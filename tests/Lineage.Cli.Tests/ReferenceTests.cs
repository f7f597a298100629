namespace Lineage.Cli.Tests;

/// <summary>Every command that takes a name takes a reference: <c>NAME</c>, <c>NAME@VERSION</c>, <c>NAME@ALIAS</c>, <c>NAME@latest</c>.</summary>
public sealed class ReferenceTests
{
    [Theory]
    [InlineData("show", "model@0")]
    [InlineData("show", "bad name@1")]
    [InlineData("code", "model@x y")]
    [InlineData("get", "model@", "-o", "out.bin")]
    [InlineData("diff", "model@1", "model@00")]
    [InlineData("rm", "model@-2")]
    [InlineData("archive", "_model@1")]
    [InlineData("restore", "model@1@2")]
    [InlineData("graph", "model@0")]
    public async Task A_malformed_reference_is_a_usage_error_that_gives_the_grammar(params string[] args)
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
        }

        var result = await home.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(ArtifactReference.Grammar, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Theory]
    [InlineData("show")]
    [InlineData("code")]
    [InlineData("diff", "model@1")]
    [InlineData("rm")]
    [InlineData("archive")]
    [InlineData("restore")]
    [InlineData("graph")]
    [InlineData("graph", "--downstream")]
    public async Task An_unknown_alias_is_not_found(params string[] command)
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
        }

        var result = await home.RunAsync([.. command, "model@production"]);
        var get = await home.RunAsync("get", "model@production", "-o", home.Sub("out.bin"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("has no alias 'production'", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.Equal(1, get.ExitCode);
        Assert.Contains("has no alias 'production'", get.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(home.Sub("out.bin")));
        using var reopened = home.Open();
        Assert.Equal(ArtifactBranch.Main, reopened.Get("model@1").Branch);
    }

    [Fact]
    public async Task Name_at_latest_is_the_newest_live_version()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
            store.Save("model", 2);
        }

        var latest = await home.RunAsync("show", "model@latest", "--json");
        var first = await home.RunAsync("show", "model@1", "--json");

        Assert.True(latest.ExitCode == 0, latest.ToString());
        Assert.Equal(2, latest.Json().GetProperty("version").GetInt32());
        Assert.Equal(1, first.Json().GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("rm", "model")]
    [InlineData("rm", "model@latest")]
    [InlineData("archive", "model")]
    [InlineData("restore", "model@latest")]
    public async Task Commands_that_change_one_version_need_a_version_or_an_alias(params string[] args)
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
        }

        var result = await home.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Give a version: model@VERSION or model@ALIAS", result.Error, StringComparison.Ordinal);
        using var reopened = home.Open();
        Assert.Equal(ArtifactBranch.Main, reopened.Get("model@1").Branch);
    }

    [Theory]
    [InlineData("model@1")]
    [InlineData("model@production")]
    public async Task Versions_takes_a_name_not_a_version_or_an_alias(string reference)
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("model", 1);
        }

        var result = await home.RunAsync("versions", reference);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'versions' takes a name without a version or alias", result.Error, StringComparison.Ordinal);
    }
}
