namespace Lineage.Cli.Tests;

/// <summary>
/// Control characters in arguments and stored data reach the terminal escaped (ESC as <c>\u001B</c>): a name, path or
/// description cannot clear the screen, retitle the window or hide text.
/// </summary>
public sealed class ControlCharacterTests
{
    private const string ClearScreen = "\u001b[2J";
    private const string SetTitle = "\u001b]0;owned\u0007";

    [Fact]
    public async Task Show_of_a_name_holding_an_escape_sequence_prints_it_escaped()
    {
        using var home = new CliHome();

        var result = await home.RunAsync("show", $"a{ClearScreen}b");

        Assert.Equal(2, result.ExitCode);
        AssertNoControlCharacters(result);
        Assert.Contains(@"a\u001B[2Jb", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_argument_holding_an_escape_sequence_is_echoed_escaped()
    {
        using var home = new CliHome();

        var result = await home.RunAsync("ls", $"--{ClearScreen}");

        Assert.Equal(2, result.ExitCode);
        AssertNoControlCharacters(result);
        Assert.Contains(@"\u001B[2J", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stored_description_and_root_with_control_characters_are_listed_escaped_in_text_and_in_JSON()
    {
        using var home = new CliHome();
        using (home.Open())
        {
        }

        var root = home.Sub($"disk{ClearScreen}");
        var added = await home.RunAsync("storage", "add", root, "--description", $"team{SetTitle}\u009b31m disk");
        var text = await home.RunAsync("storage", "ls");
        var json = await home.RunAsync("storage", "ls", "--json");

        Assert.True(added.ExitCode == 0, added.ToString());
        AssertNoControlCharacters(added);
        AssertNoControlCharacters(text);
        AssertNoControlCharacters(json);
        Assert.Contains(@"disk\u001B[2J", added.Output, StringComparison.Ordinal);
        Assert.Contains(@"team\u001B]0;owned\u0007\u009B31m disk", text.Output, StringComparison.Ordinal);
        Assert.Contains(json.Json().EnumerateArray(), r => r.GetProperty("description").GetString() == $"team{SetTitle}\u009b31m disk");
    }

    private static void AssertNoControlCharacters(CliResult result)
    {
        foreach (var (stream, text) in new[] { ("stdout", result.Output), ("stderr", result.Error) })
        {
            var control = text.FirstOrDefault(c => char.IsControl(c) && c is not '\n' and not '\t');
            Assert.True(control == default, $"{stream} holds U+{(int)control:X4}:\n{result}");
        }
    }
}
