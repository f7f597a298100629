using static Lineage.Generators.Tests.Mutation;

namespace Lineage.Generators.Tests;

/// <summary>
/// Mutation tests of the slice: an edit that changes the artifact's value must change <c>CodeVersion</c> (else
/// <c>GetOrCompute</c> serves a stale value), and a comment or an unrelated edit must not. Each case compiles both
/// versions and runs the artifact method, so the value change is checked too, not only the hash.
/// </summary>
public sealed class ProvenanceTests
{
    private const string Accessor = Mutation.Accessor;

    private const string Pipeline = Mutation.Pipeline;

    // Partial methods: the call binds to the body-less definition; the implementation lives in another file.
    private static readonly SourceFile[] PartialMethod =
    [
        new("Pipeline.cs", Pipeline),
        new("Model.cs", """
            namespace Prov;

            public static partial class Model
            {
                public static double Compute() => Weight();

                private static partial double Weight();
            }
            """),
        new("ModelWeight.cs", """
            namespace Prov;

            public static partial class Model
            {
                private static partial double Weight() => 2.5;

                public static int Unrelated() => 1;
            }
            """),
    ];

    [Fact]
    public void Editing_a_partial_method_implementation_in_another_file_changes_the_code_version_and_the_value() =>
        AssertChanges(PartialMethod, "ModelWeight.cs", "=> 2.5;", "=> 3.5;");

    [Fact]
    public void A_comment_in_a_partial_method_implementation_or_an_edit_beside_it_leaves_the_code_version_unchanged()
    {
        AssertUnchanged(PartialMethod, "ModelWeight.cs", "=> 2.5;", "=> /* the weight */ 2.5;");
        AssertUnchanged(PartialMethod, "ModelWeight.cs", "=> 1;", "=> 2;");
    }

    // Static state: the static constructor that assigns a reached field, and a module initializer in another file.
    private static readonly SourceFile[] StaticState =
    [
        new("Pipeline.cs", Pipeline),
        new("Model.cs", """
            namespace Prov;

            public static class Model
            {
                public static readonly double Factor;

                public static readonly double Offset = Start();

                public static double Bias;

                static Model()
                {
                    Factor = 2.0;
                }

                public static double Compute() => Factor + Bias;

                private static double Start() => 0.5;

                public static int Unrelated() => 1;
            }
            """),
        new("Startup.cs", """
            using System.Runtime.CompilerServices;

            namespace Prov;

            internal static class Startup
            {
                [ModuleInitializer]
                internal static void Configure() => Model.Bias = 10.0;
            }
            """),
    ];

    [Fact]
    public void Editing_the_static_constructor_that_assigns_a_reached_field_changes_the_code_version_and_the_value() =>
        AssertChanges(StaticState, "Model.cs", "Factor = 2.0;", "Factor = 3.0;");

    [Fact]
    public void Editing_a_module_initializer_that_sets_reached_static_state_changes_the_code_version_and_the_value() =>
        AssertChanges(StaticState, "Startup.cs", "Model.Bias = 10.0;", "Model.Bias = 20.0;");

    [Fact]
    public void Editing_a_module_initializer_changes_the_code_version_when_the_field_it_sets_came_in_as_a_static_initializer() =>
        // Reaching Compute brings Offset's initializer before Compute's body reaches Offset itself.
        AssertChanges(
            [
                new("Pipeline.cs", Pipeline),
                new("Model.cs", "namespace Prov;\n\npublic static class Model\n{\n    public static double Offset = 1.0;\n\n    public static double Compute() => Offset;\n}\n"),
                new("Startup.cs", "namespace Prov;\n\ninternal static class Startup\n{\n    [System.Runtime.CompilerServices.ModuleInitializer]\n    internal static void Configure() => Model.Offset = 2.0;\n}\n"),
            ],
            "Startup.cs", "= 2.0;", "= 3.0;");

    [Fact]
    public void Editing_a_static_field_initializer_of_a_reached_type_changes_the_code_version() =>
        // Offset is not read by Compute, but its initializer runs in the same static constructor and could set what is.
        AssertVersionChanges(StaticState, "Model.cs", "=> 0.5;", "=> 0.75;");

    [Fact]
    public void A_comment_in_a_static_constructor_or_module_initializer_or_an_unreached_method_leaves_the_code_version_unchanged()
    {
        AssertUnchanged(StaticState, "Model.cs", "Factor = 2.0;", "Factor = 2.0; // the default");
        AssertUnchanged(StaticState, "Startup.cs", "Model.Bias = 10.0;", "/* configured */ Model.Bias = 10.0;");
        AssertUnchanged(StaticState, "Model.cs", "=> 1;", "=> 2;");
    }

    // Enum members without explicit values: Gold's number depends on every member before it.
    private static readonly SourceFile[] EnumMember =
    [
        new("Pipeline.cs", Pipeline),
        new("Model.cs", """
            namespace Prov;

            public static class Model
            {
                public static double Compute() => (int)Tier.Gold * 1.5;
            }
            """),
        new("Tier.cs", """
            namespace Prov;

            public enum Tier
            {
                Bronze,
                Silver,
                Gold,
            }
            """),
    ];

    [Fact]
    public void Inserting_an_enum_member_before_a_reached_one_changes_the_code_version_and_the_value() =>
        AssertChanges(EnumMember, "Tier.cs", "Bronze,", "Bronze,\n    Copper,");

    [Fact]
    public void Giving_an_earlier_enum_member_an_explicit_value_changes_the_code_version_and_the_value() =>
        AssertChanges(EnumMember, "Tier.cs", "Bronze,", "Bronze = 5,");

    [Fact]
    public void A_comment_between_enum_members_leaves_the_code_version_unchanged() =>
        AssertUnchanged(EnumMember, "Tier.cs", "Bronze,", "Bronze, // the entry tier");

    // Using aliases to a type outside the compilation: the alias directive is the only place the type is written.
    private static readonly SourceFile[] LocalAlias =
    [
        new("Pipeline.cs", Pipeline),
        new("Model.cs", """
            using Real = float;

            namespace Prov;

            public static class Model
            {
                public static double Compute() => Third(1);

                private static Real Third(Real x) => x / 3;
            }
            """),
    ];

    private static readonly SourceFile[] GlobalAlias =
    [
        new("Pipeline.cs", Pipeline),
        new("Model.cs", """
            namespace Prov;

            public static class Model
            {
                public static double Compute() => Third(1);

                private static Real Third(Real x) => x / 3;
            }
            """),
        new("GlobalUsings.cs", """
            global using Real = float;
            global using Count = int;
            """),
    ];

    [Fact]
    public void Changing_the_type_a_using_alias_names_changes_the_code_version_and_the_value() =>
        AssertChanges(LocalAlias, "Model.cs", "using Real = float;", "using Real = double;");

    [Fact]
    public void Changing_the_type_a_global_using_alias_in_another_file_names_changes_the_code_version_and_the_value() =>
        AssertChanges(GlobalAlias, "GlobalUsings.cs", "global using Real = float;", "global using Real = double;");

    [Fact]
    public void A_comment_on_a_using_alias_or_an_edit_to_an_unused_alias_leaves_the_code_version_unchanged()
    {
        AssertUnchanged(GlobalAlias, "GlobalUsings.cs", "global using Real = float;", "global using Real = float; // single precision");
        AssertUnchanged(GlobalAlias, "GlobalUsings.cs", "global using Count = int;", "global using Count = long;");
    }

    // Dispatch: the slice calls an interface and an abstract member; the implementations are created by the host
    // (as a DI container would), outside the slice.
    private static readonly SourceFile[] Dispatch =
    [
        new("Pipeline.cs", Pipeline),
        new("Model.cs", """
            namespace Prov;

            public interface IRate
            {
                double Of(double x);
            }

            public abstract class Shape
            {
                public abstract double Area { get; }
            }

            public static class Registry
            {
                public static IRate? Rate { get; set; }

                public static Shape? Shape { get; set; }
            }

            public static class Model
            {
                public static double Compute() => Registry.Rate!.Of(10) + Registry.Shape!.Area;
            }
            """),
        new("Rates.cs", """
            namespace Prov;

            internal sealed class FlatRate : IRate
            {
                public double Of(double x) => x * 0.2;

                public int Unrelated() => 1;
            }

            internal class Square : Shape
            {
                public override double Area => 4.0;
            }
            """),
        new("Host.cs", """
            namespace Prov;

            public static class Host
            {
                public static void Start()
                {
                    Registry.Rate = new FlatRate();
                    Registry.Shape = new Square();
                }
            }
            """),
    ];

    [Fact]
    public void Editing_an_interface_implementation_created_outside_the_slice_changes_the_code_version_and_the_value() =>
        AssertChanges(Dispatch, "Rates.cs", "x * 0.2;", "x * 0.3;");

    [Fact]
    public void Editing_an_override_created_outside_the_slice_changes_the_code_version_and_the_value() =>
        AssertChanges(Dispatch, "Rates.cs", "=> 4.0;", "=> 9.0;");

    [Fact]
    public void A_comment_in_an_implementation_or_an_edit_to_its_other_members_leaves_the_code_version_unchanged()
    {
        AssertUnchanged(Dispatch, "Rates.cs", "x * 0.2;", "x * 0.2; // a fifth");
        AssertUnchanged(Dispatch, "Rates.cs", "=> 1;", "=> 2;");
    }

    [Fact]
    public void A_new_version_of_a_referenced_assembly_the_slice_calls_changes_the_code_version() =>
        Assert.NotEqual(VersionWithLibrary("1.0.0.0", "Rates.Tax.Of(10)"), VersionWithLibrary("2.0.0.0", "Rates.Tax.Of(10)"));

    [Fact]
    public void A_new_version_of_a_referenced_assembly_the_slice_does_not_reach_leaves_the_code_version_unchanged() =>
        Assert.Equal(VersionWithLibrary("1.0.0.0", "10 * 0.2"), VersionWithLibrary("2.0.0.0", "10 * 0.2"));

    [Fact]
    public void A_new_version_of_a_package_whose_attribute_marks_a_reached_method_leaves_the_code_version_unchanged() =>
        Assert.Equal(
            VersionWithLibrary("1.0.0.0", "Marked()", "[Rates.Audited] private static double Marked() => 2;"),
            VersionWithLibrary("2.0.0.0", "Marked()", "[Rates.Audited] private static double Marked() => 2;"));

    /// <summary>The code version of a pipeline computing <paramref name="expression"/>, built against a package at <paramref name="libraryVersion"/>.</summary>
    private static string VersionWithLibrary(string libraryVersion, string expression, string helpers = "")
    {
        var library = GeneratorHarness.Compile("Rates", new SourceFile("Tax.cs", $$"""
            [assembly: System.Reflection.AssemblyVersion("{{libraryVersion}}")]

            namespace Rates;

            public static class Tax
            {
                public static double Of(double x) => x * 0.2;
            }

            public sealed class AuditedAttribute : System.Attribute
            {
            }
            """));
        var compilation = GeneratorHarness.Compile("Prov", new SourceFile("Pipeline.cs", Pipeline), new SourceFile("Model.cs", $$"""
            namespace Prov;

            public static class Model
            {
                public static double Compute() => {{expression}};

                {{helpers}}
            }
            """)).AddReferences(library.ToMetadataReference());
        return GeneratorHarness.Run(GeneratorHarness.CreateDriver("Prov.App"), compilation).AssertCompilesCleanly().Constant(Accessor, "CodeVersion");
    }
}
