using Lineage.Cli.Diff;

namespace Lineage.Cli.Tests;

/// <summary>The line diff behind <c>lineage diff</c>: minimal edit scripts, grouped into unified-diff hunks.</summary>
public sealed class LineDiffTests
{
    [Fact]
    public void Identical_texts_have_no_hunks()
    {
        var lines = LineDiff.Compare(["a", "b", "c"], ["a", "b", "c"]);

        Assert.All(lines, l => Assert.Equal(DiffLineKind.Context, l.Kind));
        Assert.Empty(LineDiff.Hunks(lines));
    }

    [Fact]
    public void A_changed_line_is_removed_then_added_with_three_lines_of_context()
    {
        string[] before = ["1", "2", "3", "4", "5", "6", "7", "8", "9"];
        string[] after = ["1", "2", "3", "4", "five", "6", "7", "8", "9"];

        var hunk = Assert.Single(LineDiff.Hunks(LineDiff.Compare(before, after)));

        Assert.Equal("@@ -2,7 +2,7 @@", hunk.Header);
        Assert.Equal(
            [" 2", " 3", " 4", "-5", "+five", " 6", " 7", " 8"],
            hunk.Lines.Select(Render));
        var removed = hunk.Lines.Single(l => l.Kind == DiffLineKind.Removed);
        var added = hunk.Lines.Single(l => l.Kind == DiffLineKind.Added);
        Assert.Equal((5, (int?)null), (removed.OldLine!.Value, removed.NewLine));
        Assert.Equal(((int?)null, 5), (added.OldLine, added.NewLine!.Value));
    }

    [Fact]
    public void Lines_added_at_the_top_start_the_old_side_at_line_zero()
    {
        var hunk = Assert.Single(LineDiff.Hunks(LineDiff.Compare([], ["x", "y"])));

        Assert.Equal("@@ -0,0 +1,2 @@", hunk.Header);
        Assert.Equal(["+x", "+y"], hunk.Lines.Select(Render));
    }

    [Fact]
    public void A_line_removed_at_the_end_counts_one_without_a_comma()
    {
        var hunk = Assert.Single(LineDiff.Hunks(LineDiff.Compare(["a", "b"], ["a"]), context: 0));

        Assert.Equal("@@ -2 +1,0 @@", hunk.Header);
        Assert.Equal(["-b"], hunk.Lines.Select(Render));
    }

    [Fact]
    public void Changes_far_apart_get_separate_hunks_and_close_ones_share_one()
    {
        var before = Enumerable.Range(1, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var after = before.ToArray();
        after[2] = "three";
        after[8] = "nine";     // 5 unchanged lines from the first change: within 2 × 3, same hunk
        after[25] = "twenty-six";

        var hunks = LineDiff.Hunks(LineDiff.Compare(before, after));

        Assert.Equal(["@@ -1,12 +1,12 @@", "@@ -23,7 +23,7 @@"], hunks.Select(h => h.Header));
    }

    [Fact]
    public void Lines_split_at_newlines_and_a_final_newline_does_not_add_an_empty_line()
    {
        Assert.Equal(["a", "b", ""], LineDiff.Lines("a\r\nb\n\n"));
        Assert.Equal(["a", "b"], LineDiff.Lines("a\nb"));
        Assert.Empty(LineDiff.Lines(string.Empty));
    }

    [Fact]
    public void The_script_rebuilds_both_texts_with_as_few_edits_as_a_longest_common_subsequence_allows()
    {
        var random = new Random(20261123);
        for (var round = 0; round < 300; round++)
        {
            var before = RandomLines(random);
            var after = RandomLines(random);

            var script = LineDiff.Compare(before, after);

            Assert.Equal(before, script.Where(l => l.Kind != DiffLineKind.Added).Select(l => l.Text));
            Assert.Equal(after, script.Where(l => l.Kind != DiffLineKind.Removed).Select(l => l.Text));
            Assert.Equal(before.Length + after.Length - (2 * LongestCommonSubsequence(before, after)), script.Count(l => l.Kind != DiffLineKind.Context));
            Assert.All(script.Where(l => l.Kind == DiffLineKind.Context), l => Assert.Equal(before[l.OldLine!.Value - 1], after[l.NewLine!.Value - 1]));
        }
    }

    private static string Render(DiffLine line) => line.Kind switch
    {
        DiffLineKind.Removed => "-",
        DiffLineKind.Added => "+",
        _ => " ",
    } + line.Text;

    private static string[] RandomLines(Random random) =>
        [.. Enumerable.Range(0, random.Next(0, 25)).Select(_ => ((char)('a' + random.Next(0, 4))).ToString())];

    private static int LongestCommonSubsequence(string[] a, string[] b)
    {
        var table = new int[a.Length + 1, b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                table[i, j] = a[i - 1] == b[j - 1] ? table[i - 1, j - 1] + 1 : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }

        return table[a.Length, b.Length];
    }
}
