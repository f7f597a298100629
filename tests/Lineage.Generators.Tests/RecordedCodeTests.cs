using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Tests;

/// <summary>
/// <c>SourceCode</c> is the slice as written, doc comments included, whether or not the project generates a
/// documentation file (which decides whether the compiler parses doc comments at all); they never change <c>CodeVersion</c>.
/// </summary>
public sealed class RecordedCodeTests
{
    private const string Accessor = "Calc.App.Artifacts+Total";

    private const string Documented = """
        using Lineage;

        namespace Calc;

        public static class Pipeline
        {
            /// <summary>
            ///   Adds the values, then doubles.
            /// </summary>
            /// <param name="values">The values.</param>
            [Artifact("total")]
            public static int Total(int[] values)
            {
                return Helpers.Twice(values.Length);
            }
        }

        internal static class Helpers
        {
            /** <summary>Doubles.</summary> */
            public static int Twice(int x) => x * 2;
        }
        """;

    private const string RecordedAsWritten = """
        /// <summary>
        ///   Adds the values, then doubles.
        /// </summary>
        /// <param name="values">The values.</param>
        [Artifact("total")]
        public static int Total(int[] values)
        {
            return Helpers.Twice(values.Length);
        }

        /** <summary>Doubles.</summary> */
        public static int Twice(int x) => x * 2;
        """;

    public static readonly TheoryData<DocumentationMode> Modes = [DocumentationMode.None, DocumentationMode.Parse, DocumentationMode.Diagnose];

    private static GeneratorRun Run(DocumentationMode mode, string code) =>
        GeneratorHarness.Run("Calc", "Calc.App", GeneratorHarness.ParseOptions.WithDocumentationMode(mode), new SourceFile("Pipeline.cs", code))
            .AssertCompilesCleanly();

    [Theory]
    [MemberData(nameof(Modes))]
    public void Doc_comments_are_recorded_verbatim_with_their_slashes_and_indentation(DocumentationMode mode)
    {
        var run = Run(mode, Documented);

        Assert.Equal(RecordedAsWritten.ReplaceLineEndings("\n"), run.Constant(Accessor, "SourceCode"));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Editing_a_doc_comment_changes_the_recorded_code_but_not_the_code_version(DocumentationMode mode)
    {
        var before = Run(mode, Documented);
        var after = Run(mode, Documented.Replace("Adds the values, then doubles.", "Sums the values and doubles the count.", StringComparison.Ordinal));

        Assert.Contains("Sums the values and doubles the count.", after.Constant(Accessor, "SourceCode"), StringComparison.Ordinal);
        Assert.Equal(before.Constant(Accessor, "CodeVersion"), after.Constant(Accessor, "CodeVersion"));
    }

    [Fact]
    public void Turning_GenerateDocumentationFile_on_or_off_changes_neither_the_recorded_code_nor_the_code_version()
    {
        var without = Run(DocumentationMode.None, Documented);
        var with = Run(DocumentationMode.Diagnose, Documented);

        Assert.Equal(without.Constant(Accessor, "SourceCode"), with.Constant(Accessor, "SourceCode"));
        Assert.Equal(without.Constant(Accessor, "CodeVersion"), with.Constant(Accessor, "CodeVersion"));
    }
}
