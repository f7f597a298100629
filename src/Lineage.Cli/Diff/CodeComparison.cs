namespace Lineage.Cli.Diff;

/// <summary>The recorded code of two artifact versions, compared: same code version or not, and the line diff of the source.</summary>
/// <param name="Old">The version compared from.</param>
/// <param name="New">The version compared to.</param>
/// <param name="SameCodeVersion">Both carry the same <see cref="ArtifactRecord.CodeVersion"/>: the same code, up to comments and formatting.</param>
/// <param name="Hunks">What changed in the recorded source text (empty when it is identical line by line).</param>
public sealed record CodeComparison(ArtifactRecord Old, ArtifactRecord New, bool SameCodeVersion, IReadOnlyList<DiffHunk> Hunks)
{
    /// <summary>Lines only in the new version's source.</summary>
    public int Added => Hunks.Sum(h => h.Lines.Count(l => l.Kind == DiffLineKind.Added));

    /// <summary>Lines only in the old version's source.</summary>
    public int Removed => Hunks.Sum(h => h.Lines.Count(l => l.Kind == DiffLineKind.Removed));

    /// <summary>Compares the code recorded with <paramref name="old"/> and <paramref name="new"/>, both of which must have some.</summary>
    public static CodeComparison Between(ArtifactRecord old, ArtifactRecord @new, int context = 3)
    {
        ArgumentNullException.ThrowIfNull(old);
        ArgumentNullException.ThrowIfNull(@new);
        if (old.SourceCode is null || @new.SourceCode is null)
        {
            throw new ArgumentException("Both versions need recorded source code to be compared.", nameof(old));
        }

        var sameCodeVersion = old.CodeVersion is not null && string.Equals(old.CodeVersion, @new.CodeVersion, StringComparison.Ordinal);
        var lines = LineDiff.Compare(LineDiff.Lines(old.SourceCode), LineDiff.Lines(@new.SourceCode));
        return new CodeComparison(old, @new, sameCodeVersion, LineDiff.Hunks(lines, context));
    }
}
