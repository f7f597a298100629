namespace Lineage.Cli.Tests.Ui;

/// <summary><c>lineage ui</c>'s command line: what it refuses before it serves anything.</summary>
public sealed class UiCommandTests
{
    [Theory]
    [InlineData("--host", "example.com", "--host takes an IP address")]
    [InlineData("--port", "70000", "--port takes a TCP port from 0 to 65535")]
    [InlineData("--token", "short", "--token takes at least 8 printable ASCII characters")]
    public async Task Malformed_options_are_usage_errors(string option, string value, string message)
    {
        using var home = new CliHome();

        // Port 0 where the port is not what is tested: a free one, should the check ever let the server start.
        var result = await home.RunAsync(option == "--port" ? ["ui", option, value] : ["ui", option, value, "--port", "0"]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("Serving", result.Output);
    }

    [Fact]
    public async Task Help_lists_ui_with_its_options()
    {
        using var home = new CliHome();

        var root = await home.RunAsync("--help");
        var ui = await home.RunAsync("ui", "--help");

        Assert.Matches(@"(?m)^\s+ui\s", root.Output);
        Assert.Equal(0, ui.ExitCode);
        foreach (var option in new[] { "--port", "--host", "--token", "--open" })
        {
            Assert.Contains(option, ui.Output);
        }
    }
}
