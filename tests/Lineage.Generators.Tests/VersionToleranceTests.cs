using System.Reflection;

namespace Lineage.Generators.Tests;

/// <summary>
/// A value saved by one shape of a type loads with a later shape compiled separately (another assembly, another
/// load context, the same type name): appended members take their defaults; any other change fails by name.
/// </summary>
public sealed class VersionToleranceTests
{
    private const string PointV1 = """
        using Lineage;

        namespace Shapes;

        [Artifact]
        public sealed record Point(int X, int Y);

        public static class Probe
        {
            public static void Save(ArtifactStore store) => store.Save("point", new Point(3, 4));
        }
        """;

    private const string GaugeV1 = """
        using Lineage;

        namespace Shapes;

        [Artifact]
        public sealed class Gauge
        {
            public string Label { get; set; } = "";

            public double Value { get; set; }
        }

        public static class Probe
        {
            public static void Save(ArtifactStore store) => store.Save("gauge", new Gauge { Label = "pressure", Value = 1.5 });
        }
        """;

    [Fact]
    public void A_record_saved_before_a_member_was_appended_loads_with_the_new_member_at_its_default()
    {
        using var store = new TempStore();
        SaveWith(store, PointV1);

        using var v2 = Shape("""
            using Lineage;

            namespace Shapes;

            [Artifact]
            public sealed record Point(int X, int Y, int Z);
            """);
        var point = Load(store, v2, "Shapes.Point", "point");

        Assert.Equal("ShapesV2", point.GetType().Assembly.GetName().Name);
        Assert.Equal((3, 4, 0), (Get<int>(point, "X"), Get<int>(point, "Y"), Get<int>(point, "Z")));
    }

    [Fact]
    public void A_class_saved_before_a_settable_property_with_an_initializer_was_appended_loads_with_the_initializer_value()
    {
        using var store = new TempStore();
        SaveWith(store, GaugeV1);

        using var v2 = Shape("""
            using Lineage;

            namespace Shapes;

            [Artifact]
            public sealed class Gauge
            {
                public string Label { get; set; } = "";

                public double Value { get; set; }

                public int Precision { get; set; } = 3;

                public string? Unit { get; set; }
            }
            """);
        var gauge = Load(store, v2, "Shapes.Gauge", "gauge");

        Assert.Equal("pressure", Get<string>(gauge, "Label"));
        Assert.Equal(1.5, Get<double>(gauge, "Value"));
        Assert.Equal(3, Get<int>(gauge, "Precision"));
        Assert.Null(Get<string?>(gauge, "Unit"));
    }

    [Fact]
    public void A_class_saved_before_an_init_only_property_with_an_initializer_was_appended_loads_with_the_initializer_value()
    {
        using var store = new TempStore();
        SaveWith(store, GaugeV1);

        using var v2 = Shape("""
            using Lineage;

            namespace Shapes;

            [Artifact]
            public sealed class Gauge
            {
                public string Label { get; set; } = "";

                public double Value { get; set; }

                public string Unit { get; init; } = "bar";
            }
            """);
        var gauge = Load(store, v2, "Shapes.Gauge", "gauge");

        Assert.Equal("pressure", Get<string>(gauge, "Label"));
        // The old value has no Unit: it should keep its initializer, as an appended settable property does, not become null.
        Assert.Equal("bar", Get<string?>(gauge, "Unit"));
    }

    public static TheoryData<string, string> IncompatibleShapes => new()
    {
        { "public sealed record Point(int X);", "'Y'" },
        { "public sealed record Point(int X, string Y);", "'Y'" },
        { "public sealed record Point(int Y, int X);", "'X'" },
        { "public sealed record Point(int X, long Y, int Z);", "'Y'" },
    };

    [Theory]
    [MemberData(nameof(IncompatibleShapes))]
    public void Loading_with_a_shape_that_removed_retyped_or_reordered_a_member_fails_naming_the_member(string declaration, string member)
    {
        using var store = new TempStore();
        SaveWith(store, PointV1);

        using var v2 = Shape($$"""
            using Lineage;

            namespace Shapes;

            [Artifact]
            {{declaration}}
            """);

        var error = Assert.Throws<ArtifactSerializationException>(() => Load(store, v2, "Shapes.Point", "point"));
        Assert.Contains(member, error.Message, StringComparison.Ordinal);
        Assert.Contains("Shapes.Point", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_saved_by_a_newer_shape_does_not_load_with_an_older_one()
    {
        using var store = new TempStore();
        using (var v2 = GeneratorHarness.Run("ShapesV2", null, new SourceFile("Point.cs", """
            using Lineage;

            namespace Shapes;

            [Artifact]
            public sealed record Point(int X, int Y, int Z);

            public static class Probe
            {
                public static void Save(ArtifactStore store) => store.Save("point", new Point(3, 4, 5));
            }
            """)).Load())
        {
            v2.Invoke("Shapes.Probe", "Save", store.Store);
        }

        using var v1 = GeneratorHarness.Run("ShapesV1", null, new SourceFile("Point.cs", PointV1)).Load();

        var error = Assert.Throws<ArtifactSerializationException>(() => Load(store, v1, "Shapes.Point", "point"));
        Assert.Contains("'Z'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_finds_the_formatter_of_a_type_whose_assembly_has_not_run_any_code_yet()
    {
        using var store = new TempStore();
        SaveWith(store, PointV1);

        // A library that only declares the type: nothing in it has run when the app asks the store for a Point.
        using var library = GeneratorHarness.Run("ShapesV2", null, new SourceFile("Point.cs", """
            using Lineage;

            namespace Shapes;

            [Artifact]
            public sealed record Point(int X, int Y);
            """)).Load(runModuleInitializer: false);

        var point = Load(store, library, "Shapes.Point", "point");

        Assert.Equal((3, 4), (Get<int>(point, "X"), Get<int>(point, "Y")));
    }

    [Fact]
    public void An_incompatible_shape_fails_by_name_even_when_its_assembly_has_not_run_any_code_yet()
    {
        using var store = new TempStore();
        SaveWith(store, PointV1);

        // X and Y swapped: without the schema check the saved 3 and 4 would silently land in each other's places.
        using var library = GeneratorHarness.Run("ShapesV2", null, new SourceFile("Point.cs", """
            using Lineage;

            namespace Shapes;

            [Artifact]
            public sealed record Point(int Y, int X);
            """)).Load(runModuleInitializer: false);

        object? loaded = null;
        var error = Record.Exception(() => loaded = Load(store, library, "Shapes.Point", "point"));

        Assert.True(error is not null, $"The swapped shape loaded silently as {loaded}.");
        Assert.Contains("'X'", Assert.IsType<ArtifactSerializationException>(error).Message, StringComparison.Ordinal);
    }

    private static void SaveWith(TempStore store, string source)
    {
        using var v1 = GeneratorHarness.Run("ShapesV1", null, new SourceFile("Shape.cs", source)).Load();
        v1.Invoke("Shapes.Probe", "Save", store.Store);
    }

    private static LoadedAssembly Shape(string source) =>
        GeneratorHarness.Run("ShapesV2", null, new SourceFile("Shape.cs", source)).Load();

    /// <summary><c>store.Load&lt;T&gt;(name)</c> with T a type that exists only in the loaded assembly.</summary>
    private static object Load(TempStore store, LoadedAssembly assembly, string typeName, string name)
    {
        var load = typeof(ArtifactStore).GetMethods()
            .Single(m => m.Name == nameof(ArtifactStore.Load) && m.IsGenericMethodDefinition)
            .MakeGenericMethod(assembly.Type(typeName));
        try
        {
            return load.Invoke(store.Store, [name, null])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    private static T Get<T>(object value, string member) =>
        (T)value.GetType().GetProperty(member)!.GetValue(value)!;
}
