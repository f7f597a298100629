namespace Lineage.Cli.Tests;

/// <summary><c>gc --delete</c> on a root where someone planted links: nothing outside the root is ever deleted.</summary>
public sealed class GcLinkTests
{
    [Fact]
    public async Task Gc_delete_leaves_files_behind_a_folder_link_planted_in_the_lineage_folder()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("a", 1);
        }

        var outside = home.Sub("outside", "precious.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(outside)!);
        await File.WriteAllTextAsync(outside, "the owner's file", TestContext.Current.CancellationToken);
        Directory.CreateSymbolicLink(Path.Combine(home.Root, ".lineage", "planted"), Path.GetDirectoryName(outside)!);

        var result = await home.RunAsync("gc", "--delete", "--older-than", "0");

        Assert.True(File.Exists(outside), result.ToString());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("precious", result.Output, StringComparison.Ordinal);
        Assert.Contains("No unreferenced files", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gc_refuses_a_root_whose_lineage_folder_is_a_link_naming_it()
    {
        using var home = new CliHome();
        using (var store = home.Open())
        {
            store.Save("a", 1);
        }

        var lineage = Path.Combine(home.Root, ".lineage");
        var outside = home.Sub("outside");
        Directory.Move(lineage, outside);
        await File.WriteAllTextAsync(Path.Combine(outside, "precious.txt"), "the owner's file", TestContext.Current.CancellationToken);
        Directory.CreateSymbolicLink(lineage, outside);

        var result = await home.RunAsync("gc", "--delete", "--older-than", "0");

        Assert.True(File.Exists(Path.Combine(outside, "precious.txt")), result.ToString());
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"'{lineage}', a link to '{outside}'", result.Error, StringComparison.Ordinal);
    }
}
