using static Lineage.Generators.Tests.Mutation;

namespace Lineage.Generators.Tests;

/// <summary>
/// Mutation tests of calls the syntax does not name: the compiler calls extension methods for <c>foreach</c>, <c>await</c>,
/// deconstruction and collection initializers, <c>using</c> disposes, library code calls overrides (ToString, GetEnumerator)
/// of values handed to it, and the run-time binder picks <c>dynamic</c> members by name. Each edit changes the value,
/// so it must change <c>CodeVersion</c>; a comment or an edit beside it must not.
/// </summary>
public sealed class ImplicitCallProvenanceTests
{
    private static SourceFile[] Program(string compute, string helpers) =>
    [
        new("Pipeline.cs", Pipeline),
        new("Model.cs", $$"""
            namespace Prov;

            public static class Model
            {
                public static double Compute()
                {
                    {{compute}}
                }
            }
            """),
        new("Helpers.cs", helpers),
    ];

    private static readonly SourceFile[] ExtensionEnumerator = Program(
        "var sum = 0.0;\n        foreach (var x in 3)\n        {\n            sum += x;\n        }\n\n        return sum;",
        """
        using System.Collections.Generic;

        namespace Prov;

        public static class Counting
        {
            public static IEnumerator<double> GetEnumerator(this int count)
            {
                for (var i = 0; i < count; i++)
                {
                    yield return i * 1.5;
                }
            }

            public static int Unrelated() => 1;
        }
        """);

    [Fact]
    public void Editing_an_extension_GetEnumerator_that_foreach_calls_changes_the_code_version_and_the_value() =>
        AssertChanges(ExtensionEnumerator, "Helpers.cs", "i * 1.5", "i * 2.5");

    [Fact]
    public void A_comment_in_an_extension_GetEnumerator_or_an_edit_beside_it_leaves_the_code_version_unchanged()
    {
        AssertUnchanged(ExtensionEnumerator, "Helpers.cs", "i * 1.5;", "i * 1.5; // a step and a half");
        AssertUnchanged(ExtensionEnumerator, "Helpers.cs", "=> 1;", "=> 2;");
    }

    private static readonly SourceFile[] ExtensionDeconstruct = Program(
        "var (half, rest) = 7;\n        return half + (7 is (var h, _) ? h : -1) + rest;",
        """
        namespace Prov;

        public static class Splitting
        {
            public static void Deconstruct(this int n, out double half, out double rest)
            {
                half = n * 0.5;
                rest = 1;
            }
        }
        """);

    [Fact]
    public void Editing_an_extension_Deconstruct_used_by_a_deconstruction_and_a_positional_pattern_changes_the_code_version_and_the_value() =>
        AssertChanges(ExtensionDeconstruct, "Helpers.cs", "n * 0.5", "n * 0.25");

    [Fact]
    public void Editing_an_extension_Deconstruct_used_only_by_a_positional_pattern_changes_the_code_version_and_the_value() =>
        AssertChanges(
            Program("return 8 is (var half, _) ? half : -1;", ExtensionDeconstruct[2].Text),
            "Helpers.cs", "n * 0.5", "n * 0.25");

    private static readonly SourceFile[] ExtensionAwaiter = Program(
        "return Run().GetAwaiter().GetResult();\n    }\n\n    private static async System.Threading.Tasks.Task<double> Run()\n    {\n        return await 4;",
        """
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;

        namespace Prov;

        public static class Awaiting
        {
            public static TaskAwaiter<double> GetAwaiter(this int n) => Task.FromResult(n * 1.5).GetAwaiter();
        }
        """);

    [Fact]
    public void Editing_an_extension_GetAwaiter_that_await_calls_changes_the_code_version_and_the_value() =>
        AssertChanges(ExtensionAwaiter, "Helpers.cs", "n * 1.5", "n * 2.5");

    private static readonly SourceFile[] ExtensionAdd = Program(
        "return new List<double> { \"2\" }.Sum();",
        """
        using System.Collections.Generic;
        using System.Globalization;

        namespace Prov;

        public static class Adding
        {
            public static void Add(this List<double> list, string text) => list.Add(double.Parse(text, CultureInfo.InvariantCulture) * 1.5);
        }
        """);

    [Fact]
    public void Editing_an_extension_Add_that_a_collection_initializer_calls_changes_the_code_version_and_the_value() =>
        AssertChanges(
            [ExtensionAdd[0], ExtensionAdd[1] with { Text = "using System.Collections.Generic;\nusing System.Linq;\n\n" + ExtensionAdd[1].Text }, ExtensionAdd[2]],
            "Helpers.cs", "* 1.5", "* 2.5");

    [Fact]
    public void Editing_an_extension_Select_that_a_query_expression_calls_changes_the_code_version_and_the_value() =>
        AssertChanges(
            Program(
                "return from x in 5 select x * 2.0;",
                """
                using System;

                namespace Prov;

                public static class Querying
                {
                    public static double Select(this int n, Func<int, double> selector) => selector(n) + 0.5;
                }
                """),
            "Helpers.cs", "+ 0.5", "+ 1.5");

    // The slice sees only interfaces and a base class; the host creates the implementations, as a DI container would.
    private static SourceFile[] Hosted(string compute, string implementations, string registrations) =>
    [
        new("Pipeline.cs", Pipeline),
        new("Model.cs", $$"""
            using System;
            using System.Collections.Generic;
            using System.Linq;

            namespace Prov;

            public abstract class Shape
            {
                public abstract double Area { get; }
            }

            public static class Registry
            {
                public static IDisposable? Session { get; set; }

                public static IEnumerable<double>? Numbers { get; set; }

                public static Shape? Shape { get; set; }

                public static double Closed { get; set; }
            }

            public static class Model
            {
                public static double Compute()
                {
                    {{compute}}
                }
            }
            """),
        new("Implementations.cs", $$"""
            using System;
            using System.Collections;
            using System.Collections.Generic;

            namespace Prov;

            {{implementations}}
            """),
        new("Host.cs", $$"""
            namespace Prov;

            public static class Host
            {
                public static void Start()
                {
                    {{registrations}}
                }
            }
            """),
    ];

    private static readonly SourceFile[] Disposal = Hosted(
        "using (Registry.Session!)\n        {\n        }\n\n        return Registry.Closed;",
        """
        internal sealed class Session : IDisposable
        {
            public void Dispose() => Registry.Closed += 2.5;
        }
        """,
        "Registry.Session = new Session();");

    [Fact]
    public void Editing_the_Dispose_a_using_statement_runs_on_an_instance_created_outside_the_slice_changes_the_code_version_and_the_value() =>
        AssertChanges(Disposal, "Implementations.cs", "+= 2.5", "+= 3.5");

    private const string Square = """
        internal class Square : Shape
        {
            public override double Area => 4.0;

            public override string ToString() => "square";
        }

        internal sealed class Label
        {
            public override string ToString() => "label";
        }
        """;

    [Fact]
    public void Editing_the_ToString_override_an_interpolation_calls_on_a_value_created_outside_the_slice_changes_the_code_version_and_the_value() =>
        AssertChanges(Hosted("return $\"{Registry.Shape}\".Length;", Square, "Registry.Shape = new Square();"), "Implementations.cs", "\"square\"", "\"big square\"");

    [Fact]
    public void Editing_the_ToString_override_a_string_concatenation_calls_changes_the_code_version_and_the_value() =>
        AssertChanges(Hosted("return (\"shape: \" + Registry.Shape).Length;", Square, "Registry.Shape = new Square();"), "Implementations.cs", "\"square\"", "\"big square\"");

    [Fact]
    public void Editing_the_GetEnumerator_a_library_method_calls_on_a_value_created_outside_the_slice_changes_the_code_version_and_the_value() =>
        AssertChanges(
            Hosted(
                "return Registry.Numbers!.Sum();",
                """
                internal sealed class Evens : IEnumerable<double>
                {
                    public IEnumerator<double> GetEnumerator()
                    {
                        yield return 2;
                        yield return 4;
                    }

                    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
                }
                """,
                "Registry.Numbers = new Evens();"),
            "Implementations.cs", "yield return 4;", "yield return 6;");

    private static readonly SourceFile[] ExplicitToString = Hosted("return Registry.Shape!.ToString()!.Length;", Square, "Registry.Shape = new Square();");

    [Fact]
    public void Editing_the_override_an_explicit_ToString_call_dispatches_to_changes_the_code_version_and_the_value() =>
        AssertChanges(ExplicitToString, "Implementations.cs", "\"square\"", "\"big square\"");

    [Fact]
    public void Editing_a_ToString_override_in_a_type_unrelated_to_the_receiver_leaves_the_code_version_unchanged() =>
        // Shape.ToString() can run Square's override, never Label's: Label does not derive from Shape.
        AssertUnchanged(ExplicitToString, "Implementations.cs", "\"label\"", "\"tag\"");

    [Fact]
    public void Editing_a_member_a_dynamic_access_binds_to_at_run_time_changes_the_code_version_and_the_value() =>
        AssertChanges(
            Hosted("dynamic shape = Registry.Shape!;\n        return (double)shape.Area;", Square, "Registry.Shape = new Square();"),
            "Implementations.cs", "=> 4.0;", "=> 9.0;");
}
