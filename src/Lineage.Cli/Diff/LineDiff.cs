namespace Lineage.Cli.Diff;

/// <summary>What one line of a diff is: in both texts, only in the old one, or only in the new one.</summary>
public enum DiffLineKind
{
    /// <summary>Unchanged: in both texts.</summary>
    Context,

    /// <summary>Only in the old text.</summary>
    Removed,

    /// <summary>Only in the new text.</summary>
    Added,
}

/// <summary>One line of a diff, with its 1-based line number on each side it appears on.</summary>
public sealed record DiffLine(DiffLineKind Kind, string Text, int? OldLine, int? NewLine);

/// <summary>
/// A run of changes with the context around them, as a unified diff prints it: <c>@@ -OldStart,OldLines +NewStart,NewLines @@</c>.
/// A side with no lines in the hunk starts at the line before it (0 at the top), as GNU diff writes it.
/// </summary>
public sealed record DiffHunk(int OldStart, int OldLines, int NewStart, int NewLines, IReadOnlyList<DiffLine> Lines)
{
    /// <summary>The hunk header: <c>@@ -5,7 +5,8 @@</c> (a count of 1 is left out).</summary>
    public string Header => $"@@ -{Range(OldStart, OldLines)} +{Range(NewStart, NewLines)} @@";

    private static string Range(int start, int count) => count == 1
        ? start.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{start},{count}");
}

/// <summary>
/// A line diff: Myers' O((N+M)·D) shortest edit script over lines, after trimming the common head and tail,
/// grouped into unified-diff hunks.
/// </summary>
public static class LineDiff
{
    /// <summary>
    /// Past this many inserted plus removed lines the texts have little in common, and the trace (O(D²) integers)
    /// would grow large: the rest is shown as removed, then added, instead of searching for the shortest script.
    /// </summary>
    private const int MaxEditSteps = 2000;

    /// <summary>The lines of <paramref name="text"/>: split at <c>\n</c> (a <c>\r</c> before it is dropped); a final newline ends the last line instead of starting an empty one.</summary>
    public static IReadOnlyList<string> Lines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.Split('\n').Select(line => line.EndsWith('\r') ? line[..^1] : line).ToList();
        if (lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    /// <summary>Every line of both texts in order: unchanged lines once, removed lines before the lines added in their place.</summary>
    public static IReadOnlyList<DiffLine> Compare(IReadOnlyList<string> before, IReadOnlyList<string> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);

        var head = 0;
        while (head < before.Count && head < after.Count && string.Equals(before[head], after[head], StringComparison.Ordinal))
        {
            head++;
        }

        var tail = 0;
        while (tail < before.Count - head && tail < after.Count - head
            && string.Equals(before[before.Count - 1 - tail], after[after.Count - 1 - tail], StringComparison.Ordinal))
        {
            tail++;
        }

        var result = new List<DiffLine>(before.Count + after.Count - head - tail);
        for (var i = 0; i < head; i++)
        {
            result.Add(new DiffLine(DiffLineKind.Context, before[i], i + 1, i + 1));
        }

        var middle = ShortestEditScript(before, after, head, before.Count - tail, head, after.Count - tail);
        result.AddRange(RemovalsFirst(middle));

        for (var i = tail; i > 0; i--)
        {
            var oldIndex = before.Count - i;
            var newIndex = after.Count - i;
            result.Add(new DiffLine(DiffLineKind.Context, before[oldIndex], oldIndex + 1, newIndex + 1));
        }

        return result;
    }

    /// <summary>The changes of <paramref name="lines"/> with <paramref name="context"/> unchanged lines around each; changes closer than twice that share a hunk.</summary>
    public static IReadOnlyList<DiffHunk> Hunks(IReadOnlyList<DiffLine> lines, int context = 3)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentOutOfRangeException.ThrowIfNegative(context);

        var changed = Enumerable.Range(0, lines.Count).Where(i => lines[i].Kind != DiffLineKind.Context).ToList();
        var hunks = new List<DiffHunk>();
        var next = 0;
        while (next < changed.Count)
        {
            var first = changed[next];
            var last = first;
            while (next + 1 < changed.Count && changed[next + 1] - last <= (2 * context) + 1)
            {
                last = changed[++next];
            }

            next++;
            var start = Math.Max(0, first - context);
            var end = Math.Min(lines.Count - 1, last + context);
            hunks.Add(Hunk(lines, start, end));
        }

        return hunks;
    }

    private static DiffHunk Hunk(IReadOnlyList<DiffLine> lines, int start, int end)
    {
        // Lines of each side that come before the hunk: its start when the hunk has none of that side's lines.
        var oldBefore = 0;
        var newBefore = 0;
        for (var i = 0; i < start; i++)
        {
            oldBefore += lines[i].Kind == DiffLineKind.Added ? 0 : 1;
            newBefore += lines[i].Kind == DiffLineKind.Removed ? 0 : 1;
        }

        var body = lines.Skip(start).Take(end - start + 1).ToList();
        var oldLines = body.Count(l => l.Kind != DiffLineKind.Added);
        var newLines = body.Count(l => l.Kind != DiffLineKind.Removed);
        return new DiffHunk(oldLines == 0 ? oldBefore : oldBefore + 1, oldLines, newLines == 0 ? newBefore : newBefore + 1, newLines, body);
    }

    /// <summary>Within each run of changes, the removed lines before the added ones (each keeping its order), as readers expect.</summary>
    private static List<DiffLine> RemovalsFirst(List<DiffLine> script)
    {
        var ordered = new List<DiffLine>(script.Count);
        var run = new List<DiffLine>();
        foreach (var line in script.Append(null))
        {
            if (line is { Kind: not DiffLineKind.Context })
            {
                run.Add(line);
                continue;
            }

            ordered.AddRange(run.Where(l => l.Kind == DiffLineKind.Removed));
            ordered.AddRange(run.Where(l => l.Kind == DiffLineKind.Added));
            run.Clear();
            if (line is not null)
            {
                ordered.Add(line);
            }
        }

        return ordered;
    }

    private static List<DiffLine> Replacement(IReadOnlyList<string> before, IReadOnlyList<string> after, int oldFrom, int oldTo, int newFrom, int newTo)
    {
        var script = new List<DiffLine>((oldTo - oldFrom) + (newTo - newFrom));
        for (var i = oldFrom; i < oldTo; i++)
        {
            script.Add(new DiffLine(DiffLineKind.Removed, before[i], i + 1, null));
        }

        for (var i = newFrom; i < newTo; i++)
        {
            script.Add(new DiffLine(DiffLineKind.Added, after[i], null, i + 1));
        }

        return script;
    }

    /// <summary>Myers' greedy forward search over <c>before[oldFrom..oldTo)</c> and <c>after[newFrom..newTo)</c>, then the path traced back.</summary>
    private static List<DiffLine> ShortestEditScript(IReadOnlyList<string> before, IReadOnlyList<string> after, int oldFrom, int oldTo, int newFrom, int newTo)
    {
        var n = oldTo - oldFrom;
        var m = newTo - newFrom;
        var max = n + m;
        var offset = max + 1;
        var furthest = new int[(2 * max) + 3];
        // trace[d] holds furthest[k] for k in [-d-1, d+1] as it was before step d: all the trace-back needs.
        var trace = new List<int[]>();
        var steps = 0;
        for (var d = 0; d <= max; d++)
        {
            if (d > MaxEditSteps)
            {
                return Replacement(before, after, oldFrom, oldTo, newFrom, newTo);
            }

            trace.Add(furthest.AsSpan(offset - d - 1, (2 * d) + 3).ToArray());
            var reached = false;
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && furthest[offset + k - 1] < furthest[offset + k + 1])
                    ? furthest[offset + k + 1]
                    : furthest[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && string.Equals(before[oldFrom + x], after[newFrom + y], StringComparison.Ordinal))
                {
                    x++;
                    y++;
                }

                furthest[offset + k] = x;
                if (x >= n && y >= m)
                {
                    reached = true;
                    break;
                }
            }

            if (reached)
            {
                steps = d;
                break;
            }
        }

        var script = new List<DiffLine>(n + m);
        int cx = n, cy = m;
        for (var d = steps; d >= 0; d--)
        {
            var snapshot = trace[d];
            int At(int k) => snapshot[k + d + 1];
            var k = cx - cy;
            var previousK = k == -d || (k != d && At(k - 1) < At(k + 1)) ? k + 1 : k - 1;
            var previousX = d == 0 ? 0 : At(previousK);
            var previousY = d == 0 ? 0 : previousX - previousK;
            while (cx > previousX && cy > previousY)
            {
                cx--;
                cy--;
                script.Add(new DiffLine(DiffLineKind.Context, before[oldFrom + cx], oldFrom + cx + 1, newFrom + cy + 1));
            }

            if (d > 0)
            {
                script.Add(cx == previousX
                    ? new DiffLine(DiffLineKind.Added, after[newFrom + previousY], null, newFrom + previousY + 1)
                    : new DiffLine(DiffLineKind.Removed, before[oldFrom + previousX], oldFrom + previousX + 1, null));
            }

            cx = previousX;
            cy = previousY;
        }

        script.Reverse();
        return script;
    }
}
