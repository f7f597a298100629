namespace Lineage.Generators.Tests;

/// <summary>Artifact names become PascalCase identifiers under <c>{RootNamespace}.Artifacts</c>.</summary>
public sealed class NameTests
{
    [Theory]
    [InlineData("iris-model", "IrisModel")]
    [InlineData("iris_model", "IrisModel")]
    [InlineData("iris.model", "IrisModel")]
    [InlineData("3d-scan", "_3dScan")]
    [InlineData("model", "Model")]
    [InlineData("v2-features.train_set", "V2FeaturesTrainSet")]
    public void An_artifact_name_becomes_a_PascalCase_accessor_that_keeps_the_original_name(string name, string accessor)
    {
        var run = GeneratorHarness.Run("Names", "Names.App", new SourceFile("Producer.cs", $$"""
            using Lineage;

            namespace Names;

            public static class Producer
            {
                [Artifact("{{name}}")]
                public static int Make() => 1;
            }
            """)).AssertCompilesCleanly();

        Assert.Equal(name, run.Constant($"Names.App.Artifacts+{accessor}", "Name"));
    }

    [Fact]
    public void A_decomposed_name_gets_the_accessor_and_Name_of_its_NFC_form_as_the_runtime_stores_it()
    {
        var run = GeneratorHarness.Run("Names", "Names.App", new SourceFile("Producer.cs", """
            using Lineage;

            namespace Names;

            public static class Producer
            {
                [Artifact("cafe\u0301")]
                public static int Make() => 1;
            }
            """)).AssertCompilesCleanly();

        Assert.Equal("caf\u00e9", run.Constant("Names.App.Artifacts+Caf\u00e9", "Name"));
    }

    [Fact]
    public void Without_a_root_namespace_the_accessors_go_in_the_assembly_name()
    {
        var run = GeneratorHarness.Run("Plain.Library", rootNamespace: null, new SourceFile("Producer.cs", """
            using Lineage;

            namespace Elsewhere;

            public static class Producer
            {
                [Artifact("count")]
                public static int Make() => 1;
            }
            """)).AssertCompilesCleanly();

        Assert.Equal("count", run.Constant("Plain.Library.Artifacts+Count", "Name"));
    }

    [Fact]
    public void An_artifact_without_a_name_is_named_after_its_method()
    {
        var run = GeneratorHarness.Run("Names", "Names.App", new SourceFile("Producer.cs", """
            using Lineage;

            namespace Names;

            public static class Producer
            {
                [Artifact]
                public static int TrainModel() => 1;
            }
            """)).AssertCompilesCleanly();

        Assert.Equal("TrainModel", run.Constant("Names.App.Artifacts+TrainModel", "Name"));
    }
}
