using System.Runtime.CompilerServices;

namespace Lineage.Generators.Tests;

/// <summary>
/// Compares generated text with a file checked in under <c>Snapshots/</c>. With <c>LINEAGE_UPDATE_SNAPSHOTS=1</c> in
/// the environment it writes the file instead, so an intended change to the output is one command and a reviewed diff.
/// </summary>
public static class Snapshot
{
    public static bool Updating => Environment.GetEnvironmentVariable("LINEAGE_UPDATE_SNAPSHOTS") == "1";

    /// <summary>The snapshot folder in the source tree (where updates are written), else the copy next to the tests.</summary>
    public static string Folder([CallerFilePath] string caller = "")
    {
        var source = Path.Combine(Path.GetDirectoryName(caller) ?? string.Empty, "Snapshots");
        return Directory.Exists(source) || Updating ? source : Path.Combine(AppContext.BaseDirectory, "Snapshots");
    }

    /// <summary>Fails when <paramref name="actual"/> differs from the snapshot <paramref name="relativePath"/>, naming the first differing line.</summary>
    public static void Match(string relativePath, string actual)
    {
        var path = Path.Combine(Folder(), relativePath);
        actual = actual.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (Updating)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"No snapshot {path}. Run the tests with LINEAGE_UPDATE_SNAPSHOTS=1 to write it, then review and commit it.");
        var expected = File.ReadAllText(path).Replace("\r\n", "\n", StringComparison.Ordinal);
        if (expected == actual)
        {
            return;
        }

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        Assert.Fail($"""
            Generated {relativePath} differs from the snapshot at line {line + 1}:
              expected: {(line < expectedLines.Length ? expectedLines[line] : "<end of file>")}
              actual:   {(line < actualLines.Length ? actualLines[line] : "<end of file>")}
            If the change is intended, run the tests with LINEAGE_UPDATE_SNAPSHOTS=1 and review the diff of {path}.
            """);
    }

    /// <summary>The snapshot files of one input, so a file the generator stopped producing is noticed.</summary>
    public static IReadOnlyList<string> FilesOf(string input)
    {
        var folder = Path.Combine(Folder(), input);
        return Directory.Exists(folder) ? [.. Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal)!] : [];
    }
}
