using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using static Lineage.Generators.Tests.Mutation;

namespace Lineage.Generators.Tests;

/// <summary>
/// Mutation tests of what decides the value besides the tokens of the slice: how the project is compiled (overflow
/// checking, language version, preprocessor symbols), what a <c>[Conditional]</c> call and caller information depend on,
/// and the constraints of a generic type whose member the slice reaches. A change that can change the value must
/// change <c>CodeVersion</c>; compilation settings that cannot (optimization, nullable context) must not.
/// </summary>
public sealed class CompilationProvenanceTests
{
    private static SourceFile[] Program(string model, params SourceFile[] more) =>
        [new("Pipeline.cs", Pipeline), new("Model.cs", model), .. more];

    private static Build WithSymbols(params string[] symbols) => new(GeneratorHarness.ParseOptions.WithPreprocessorSymbols(symbols));

    private static readonly SourceFile[] Overflow = Program("""
        using System;

        namespace Prov;

        public static class Model
        {
            public static int Large = int.MaxValue;

            public static double Compute()
            {
                try
                {
                    return Large + 1;
                }
                catch (OverflowException)
                {
                    return -1;
                }
            }
        }
        """);

    [Fact]
    public void Turning_overflow_checking_on_for_the_project_changes_the_code_version_and_the_value() =>
        AssertChanges(Build.Default.Run(Overflow), new Build(Options: options => options.WithOverflowChecks(true)).Run(Overflow));

    [Fact]
    public void Optimization_and_the_nullable_context_leave_the_code_version_unchanged() =>
        // Debug and Release builds, and nullable annotations, compute the same values: they must share stored ones.
        AssertUnchanged(
            Build.Default.Run(Overflow),
            new Build(Options: options => options.WithOptimizationLevel(OptimizationLevel.Release).WithNullableContextOptions(NullableContextOptions.Disable)).Run(Overflow));

    [Fact]
    public void Another_language_version_changes_the_code_version() =>
        // Binding rules differ between language versions (overload resolution, conversions): the same tokens can call other code.
        Assert.NotEqual(
            Build.Default.Run(Overflow).Version,
            new Build(GeneratorHarness.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp11)).Run(Overflow).Version);

    private static readonly SourceFile[] ActiveBranch = Program("""
        namespace Prov;

        public static class Model
        {
            public static double Compute()
            {
        #if PRECISE
                return 3.14159;
        #else
                return 3.0;
        #endif
            }
        }
        """);

    [Fact]
    public void Defining_the_symbol_an_if_directive_tests_changes_the_code_version_and_the_value() =>
        AssertChanges(Build.Default.Run(ActiveBranch), WithSymbols("PRECISE").Run(ActiveBranch));

    [Fact]
    public void Editing_the_inactive_branch_of_an_if_directive_or_defining_an_unrelated_symbol_leaves_the_code_version_unchanged()
    {
        AssertUnchanged(ActiveBranch, "Model.cs", "3.14159", "3.1415926");
        AssertUnchanged(Build.Default.Run(ActiveBranch), WithSymbols("UNRELATED").Run(ActiveBranch));
    }

    private static readonly SourceFile[] ConditionalCall = Program(
        """
        namespace Prov;

        public static class Model
        {
            public static double Total = 1;

            public static double Compute()
            {
                Tracing.Bump();
                return Total;
            }
        }
        """,
        new SourceFile("Tracing.cs", """
            using System.Diagnostics;

            namespace Prov;

            public static class Tracing
            {
                [Conditional("EXTRA")]
                public static void Bump() => Model.Total += 1;
            }
            """));

    [Fact]
    public void Defining_the_symbol_of_a_conditional_method_the_slice_calls_changes_the_code_version_and_the_value()
    {
        AssertChanges(Build.Default.Run(ConditionalCall), WithSymbols("EXTRA").Run(ConditionalCall));
        AssertChanges(ConditionalCall, "Model.cs", "namespace Prov;", "#define EXTRA\nnamespace Prov;");
    }

    [Fact]
    public void Defining_a_symbol_no_conditional_call_of_the_slice_tests_leaves_the_code_version_unchanged() =>
        AssertUnchanged(Build.Default.Run(ConditionalCall), WithSymbols("OTHER").Run(ConditionalCall));

    private static readonly SourceFile[] CallerInformation = Program(
        """
        namespace Prov;

        public static class Model
        {
            public static double Compute()
            {
                return Where.Line() + Where.Text(1 + 2).Length;
            }
        }
        """,
        new SourceFile("Where.cs", """
            using System.Runtime.CompilerServices;

            namespace Prov;

            public static class Where
            {
                public static int Line([CallerLineNumber] int line = 0) => line;

                public static string Text(int value, [CallerArgumentExpression(nameof(value))] string text = "") => text;
            }
            """));

    [Fact]
    public void Moving_a_call_that_takes_its_caller_line_number_changes_the_code_version_and_the_value() =>
        AssertChanges(CallerInformation, "Model.cs", "    {\n        return Where", "    {\n        // the line moves\n        return Where");

    [Fact]
    public void Respacing_an_argument_whose_text_a_caller_argument_expression_takes_changes_the_code_version_and_the_value() =>
        AssertChanges(CallerInformation, "Model.cs", "1 + 2", "1+2");

    [Fact]
    public void A_comment_that_moves_no_call_taking_caller_information_leaves_the_code_version_unchanged() =>
        AssertUnchanged(CallerInformation, "Model.cs", ".Length;", ".Length; // where it is");

    private static readonly SourceFile[] GenericConstraint = Program(
        """
        using System.Collections.Generic;

        namespace Prov;

        public static class Model
        {
            public static double Compute() => Joiner<List<string>>.Join(["a", "b"]).Length;
        }
        """,
        new SourceFile("Joiner.cs", """
            using System.Collections.Generic;

            namespace Prov;

            public static class Joiner<T>
                where T : IEnumerable<string>
            {
                public static string Join(T items) => string.Join(",", items);
            }
            """));

    [Fact]
    public void Changing_the_constraint_of_a_generic_type_whose_member_the_slice_calls_changes_the_code_version_and_the_value() =>
        // Without the constraint, string.Join binds to its params object[] overload and joins the list's type name.
        AssertChanges(GenericConstraint, "Joiner.cs", "where T : IEnumerable<string>", "where T : class");
}
