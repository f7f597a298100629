namespace Lineage.Generators.Tests;

/// <summary>What the generator writes for representative inputs, pinned in checked-in files under Snapshots/.</summary>
public sealed class SnapshotTests
{
    public static TheoryData<string> InputNames => [.. Inputs.All.Select(i => i.Name)];

    [Theory]
    [MemberData(nameof(InputNames))]
    public void Generated_files_match_the_checked_in_snapshots(string input)
    {
        var run = Inputs.Run(Inputs.Named(input)).AssertCompilesCleanly();

        foreach (var (hintName, text) in run.Sources)
        {
            Snapshot.Match(Path.Combine(input, hintName), text);
        }

        if (!Snapshot.Updating)
        {
            Assert.Equal(Snapshot.FilesOf(input), run.Sources.Keys.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void The_types_file_has_a_formatter_for_each_artifact_type_including_nested_ones_and_registers_them_at_start_up()
    {
        var run = Inputs.Run(Inputs.Class);

        Assert.Equal(["Lineage.ArtifactTypes.g.cs", "Lineage.Artifacts.g.cs"], run.Sources.Keys.Order(StringComparer.Ordinal));
        var types = run.Sources["Lineage.ArtifactTypes.g.cs"];
        Assert.Contains("MemoryPackFormatter<global::Survey.Report>", types, StringComparison.Ordinal);
        Assert.Contains("MemoryPackFormatter<global::Survey.Report.Section>", types, StringComparison.Ordinal);
        Assert.Contains("[global::System.Runtime.CompilerServices.ModuleInitializer]", types, StringComparison.Ordinal);
        Assert.Contains("namespace Survey.App;", run.Sources["Lineage.Artifacts.g.cs"], StringComparison.Ordinal);
    }

    [Fact]
    public void Generating_twice_from_the_same_code_writes_the_same_text_with_the_same_code_versions()
    {
        var first = Inputs.Run(Inputs.Methods).Sources;
        var second = Inputs.Run(Inputs.Methods).Sources;

        Assert.Equal(first, second);
        Assert.Matches("CodeVersion = \"[0-9a-f]{64}\"", first["Lineage.Artifacts.g.cs"]);
    }

    [Fact]
    public void A_type_that_is_also_MemoryPackable_is_left_to_MemoryPack()
    {
        var run = GeneratorHarness.Run("Packed", "Packed.App", new SourceFile("Types.cs", """
            using Lineage;
            using MemoryPack;

            namespace Packed;

            [Artifact]
            [MemoryPackable]
            public sealed partial record Native(int Value);

            [Artifact]
            public sealed record Plain(int Value);
            """)).AssertCompilesCleanly();

        var types = run.Sources["Lineage.ArtifactTypes.g.cs"];
        Assert.Matches("class Packed_Plain_[0-9a-f]{8}_LineageFormatter", types);
        Assert.DoesNotContain("Native", types, StringComparison.Ordinal);
    }
}
