using Lineage.Cli.Rendering;

namespace Lineage.Cli.Tests;

/// <summary>Type names as the store records them, resolved back to types for <c>get --format json</c>.</summary>
public sealed class RecordedTypeNameTests
{
    [Fact]
    public void Names_the_store_records_for_framework_values_resolve_to_the_saved_types()
    {
        using var home = new CliHome();
        using var store = home.Open();
        var saved = new (object Value, Type Type)[]
        {
            (new[] { 1f }, typeof(float[])),
            (new[] { new[] { 1 } }, typeof(int[][])),
            (new[,] { { 1 } }, typeof(int[,])),
            (new List<int[]> { new[] { 1 } }, typeof(List<int[]>)),
            (new Dictionary<string, List<long>> { ["a"] = [1] }, typeof(Dictionary<string, List<long>>)),
            (new HashSet<Guid> { Guid.Empty }, typeof(HashSet<Guid>)),
            ((1, "one"), typeof(ValueTuple<int, string>)),
            ((int?)5, typeof(int?)),
            (new SortedDictionary<string, DateTimeOffset>(), typeof(SortedDictionary<string, DateTimeOffset>)),
        };

        foreach (var (value, type) in saved)
        {
            var record = SaveAs(store, value, type);
            Assert.Equal(type, RecordedTypeName.Resolve(record.TypeName, []));
        }
    }

    [Fact]
    public void Nested_and_generic_nested_types_resolve_from_the_given_assemblies_only()
    {
        var assemblies = new[] { typeof(RecordedTypeNameTests).Assembly };

        Assert.Equal(typeof(Outer<int>.Inner), RecordedTypeName.Resolve("Lineage.Cli.Tests.Outer<System.Int32>.Inner", assemblies));
        Assert.Equal(typeof(Outer<int>.Inner[]), RecordedTypeName.Resolve("Lineage.Cli.Tests.Outer<System.Int32>.Inner[]", assemblies));
        Assert.Equal(typeof(Outer<string>.Generic<double>), RecordedTypeName.Resolve("Lineage.Cli.Tests.Outer<System.String>.Generic<System.Double>", assemblies));
        Assert.Equal(typeof(List<Plain.Nested>), RecordedTypeName.Resolve("System.Collections.Generic.List<Lineage.Cli.Tests.Plain.Nested>", assemblies));
        Assert.Null(RecordedTypeName.Resolve("Lineage.Cli.Tests.Plain.Nested", []));
    }

    [Fact]
    public void An_unknown_type_is_null_and_a_malformed_name_is_a_format_error()
    {
        Assert.Null(RecordedTypeName.Resolve("IrisPipeline.IrisModel", []));
        Assert.Null(RecordedTypeName.Resolve("System.Collections.Generic.List<IrisPipeline.IrisModel>", []));
        Assert.Throws<FormatException>(() => RecordedTypeName.Resolve("System.Int32[", []));
        Assert.Throws<FormatException>(() => RecordedTypeName.Resolve("List<System.Int32> x", []));
    }

    private static ArtifactRecord SaveAs(ArtifactStore store, object value, Type type) =>
        (ArtifactRecord)typeof(RecordedTypeNameTests).GetMethod(nameof(Save), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, [store, value])!;

    private static ArtifactRecord Save<T>(ArtifactStore store, object value) => store.Save("value", (T)value);
}

#pragma warning disable CA1034 // Nested types are the point: their recorded names use '.' where the runtime uses '+'.
public static class Outer<T>
{
    public sealed class Inner;

    public sealed class Generic<TInner>;
}

public static class Plain
{
    public sealed class Nested;
}
#pragma warning restore CA1034
