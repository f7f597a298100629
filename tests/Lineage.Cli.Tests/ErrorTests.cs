namespace Lineage.Cli.Tests;

/// <summary>Errors: a message on stderr, exit 1 (2 for usage), a stack trace only with --verbose.</summary>
public sealed class ErrorTests
{
    [Fact]
    public async Task Unknown_name_exits_1_with_the_message_on_stderr_and_no_stack_trace()
    {
        using var home = new CliHome();

        var result = await home.RunAsync("show", "no-such-thing");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.Output);
        Assert.Equal($"error: No artifact named 'no-such-thing' in {home.DatabaseUrl}.", result.Error.Trim());
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace()
    {
        using var home = new CliHome();

        var result = await home.RunAsync("versions", "no-such-thing", "--verbose");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ArtifactNotFoundException: No artifact named 'no-such-thing'", result.Error);
        Assert.Contains("   at ", result.Error);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("show")]
    [InlineData("show", "bad name")]
    [InlineData("show", "model@0")]
    [InlineData("show", "model@-1")]
    [InlineData("ls", "--all", "--trash")]
    public async Task Malformed_command_lines_exit_2(params string[] args)
    {
        using var home = new CliHome();

        var result = await home.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.NotEqual(string.Empty, result.Error.Trim());
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_exits_0()
    {
        using var home = new CliHome();

        var result = await home.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "init", "config", "doctor", "ls", "versions", "show", "code", "diff", "get", "rm", "restore", "verify", "gc" })
        {
            Assert.Matches($@"(?m)^\s+{command}\s", result.Output);
        }
    }
    [Fact]
    public async Task Help_and_version_answer_however_they_are_asked_for_and_a_bad_line_fails_as_it_did()
    {
        // The help and version options are built only when the line may name them, or when it does not parse without them
        // (docs/benchmarks.md, CLI start, fifth pass): every way of asking still answers.
        using var home = new CliHome();

        foreach (var args in new[] { new[] { "ls", "-h" }, ["ls", "-?"], ["ls", "/?"], ["ls", "--help"], ["--verbose", "ls", "-h"] })
        {
            var help = await home.RunAsync(args);
            Assert.True(help.ExitCode == 0, $"{string.Join(' ', args)}: {help}");
            Assert.Contains("lineage ls", help.Output, StringComparison.Ordinal);
        }

        var version = await home.RunAsync("--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.Matches(@"^\d+\.\d+", version.Output.Trim());

        var misspelled = await home.RunAsync("ls", "--hepl");
        Assert.NotEqual(0, misspelled.ExitCode);
        Assert.Contains("--hepl", misspelled.Error, StringComparison.Ordinal);
        Assert.Empty(misspelled.Output.Trim());
    }

    [Fact]
    public async Task A_command_after_global_options_runs_and_a_mistyped_one_is_named_among_every_command()
    {
        // The tool builds only the command the line names (docs/benchmarks.md, CLI start): global options and their values come first.
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("iris-weights", new[] { 1f, 2f });
        }

        var listed = await home.RunAsync("--database", home.DatabaseUrl, "--json", "--storage", home.Root, "ls");
        var help = await home.RunAsync("--verbose", "versions", "--help");
        var mistyped = await home.RunAsync("--json", "lss");

        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Equal("iris-weights", Assert.Single(listed.Json().EnumerateArray().ToList()).GetProperty("name").GetString());
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("lineage versions", help.Output, StringComparison.Ordinal);
        Assert.Equal(2, mistyped.ExitCode);
        Assert.Contains("lss", mistyped.Error, StringComparison.Ordinal);
    }
}
