using System.Text.RegularExpressions;
using Lineage.Testing;

namespace Lineage.Cli.Tests;

/// <summary>
/// The README's "Use it in your own project" path, replayed as a newcomer would: its own commands (pack the library from the
/// clone, <c>dotnet new console</c>, <c>dotnet add package</c>), its own Program.cs, built with warnings as errors, run twice,
/// then the CLI tour's commands on the store it wrote. When the README changes, this test runs what it now says.
/// </summary>
public sealed partial class NewcomerPathTests
{
    private const string Section = "## Use it in your own project";

    [Fact]
    public async Task The_readme_path_from_a_clone_to_a_pipeline_and_the_cli_works_in_a_fresh_console_project()
    {
        using var home = new CliHome();
        var repository = LocalServers.RepositoryRoot();
        var readme = await File.ReadAllTextAsync(Path.Combine(repository, "README.md"), TestContext.Current.CancellationToken);
        var section = SectionOf(readme);
        var commands = CodeBlocks(section, "bash").SelectMany(b => b.Split('\n')).Select(l => l.Trim()).Where(l => l.StartsWith("dotnet ", StringComparison.Ordinal)).ToList();
        var program = Assert.Single(CodeBlocks(section, "csharp"));
        var pack = Assert.Single(commands, c => c.StartsWith("dotnet pack ", StringComparison.Ordinal));
        var create = Assert.Single(commands, c => c.StartsWith("dotnet new console", StringComparison.Ordinal));
        var add = Assert.Single(commands, c => c.StartsWith("dotnet add package Lineage", StringComparison.Ordinal));

        // As written, except: the feed is a temp folder (a test writes nothing into the clone), and a unique version keeps a
        // package cached by an earlier run (~/.nuget/packages/lineage) from being restored instead of this build.
        var feed = home.Sub("feed");
        var version = "0.1.0-newcomer." + Guid.NewGuid().ToString("N")[..12];
        await RunAsync(Words(pack.Replace("./artifacts/feed", feed, StringComparison.Ordinal)).Append($"-p:Version={version}"), repository);
        await RunAsync(Words(create), home.Path);
        var project = Path.Combine(home.Path, Words(create).SkipWhile(w => w != "-o").Skip(1).First());
        await RunAsync(Words(add.Replace("/path/to/lineage/artifacts/feed", feed, StringComparison.Ordinal)).Append("--version").Append(version), project);

        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), program, TestContext.Current.CancellationToken);
        var build = await RunAsync(["dotnet", "build", "--nologo", "-p:TreatWarningsAsErrors=true"], project);
        Assert.Contains("0 Warning(s)", build, StringComparison.Ordinal);

        var environment = new Dictionary<string, string> { ["LINEAGE_HOME"] = home.Path };
        var first = await RunAsync(["dotnet", "run", "--no-build"], project, environment);
        var second = await RunAsync(["dotnet", "run", "--no-build"], project, environment);
        Assert.Contains("computed", first, StringComparison.Ordinal);
        Assert.Contains("reused", second, StringComparison.Ordinal);

        // The tour's commands, on the store the program wrote.
        var listing = await home.RunAsync("ls");
        Assert.True(listing.ExitCode == 0, listing.ToString());
        Assert.Matches(@"(?m)^sales-summary\s+1\s", listing.Output);
        var code = await home.RunAsync("code", "sales-summary");
        Assert.True(code.ExitCode == 0, code.ToString());
        Assert.Contains("[Artifact(\"sales-summary\")]", code.Output, StringComparison.Ordinal);
        var json = await home.RunAsync("get", "sales-summary", "--format", "json", "-o", "-", "--assembly", Path.Combine(project, "bin", "Debug", "net10.0", Path.GetFileName(project) + ".dll"));
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Contains("\"total\"", json.Output, StringComparison.OrdinalIgnoreCase);
    }

    private static string SectionOf(string readme)
    {
        var start = readme.IndexOf(Section, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{Section}' section.");
        var end = readme.IndexOf("\n## ", start + Section.Length, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    private static IEnumerable<string> CodeBlocks(string markdown, string language) =>
        Fence().Matches(markdown).Where(m => m.Groups["language"].Value == language).Select(m => m.Groups["body"].Value);

    // Words of a command line; the README's commands quote nothing.
    private static IEnumerable<string> Words(string command) => command.Split(' ', StringSplitOptions.RemoveEmptyEntries).TakeWhile(w => w != "#");

    private static async Task<string> RunAsync(IEnumerable<string> command, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var words = command.ToList();
        var variables = new Dictionary<string, string?> { ["LINEAGE_HOME"] = null, ["LINEAGE_DATABASE_URL"] = null, ["LINEAGE_ARTIFACT_STORAGE_DIR"] = null };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        var (exitCode, output) = await LocalServers.RunAsync(words[0], words.Skip(1), TimeSpan.FromMinutes(5), workingDirectory, variables);
        Assert.True(exitCode == 0, $"{string.Join(' ', words)} (in {workingDirectory}) exited {exitCode}:\n{output}");
        return output;
    }

    [GeneratedRegex(@"```(?<language>[a-z]+)\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fence();
}
