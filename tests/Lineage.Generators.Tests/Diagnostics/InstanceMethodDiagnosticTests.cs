namespace Lineage.Generators.Tests.Diagnostics;

/// <summary>GetOrCompute hashes the instance of an instance artifact method, so its type needs a serializer (LIN0104).</summary>
public sealed class InstanceMethodDiagnosticTests
{
    [Fact]
    public async Task LIN0104_for_an_instance_method_whose_type_has_no_serializer()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            public sealed class Trainer
            {
                public int Epochs { get; set; }

                [Artifact("model")]
                public double Train(double[] x) => x.Sum() * Epochs;
            }
            """);

        var diagnostic = run.One("LIN0104");
        Assert.Equal("Train", run.TextAt(diagnostic.Location));
        Assert.Contains("instance method", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal("global::Consumer.Trainer", diagnostic.Properties["LineageFix"]);
    }

    [Fact]
    public async Task No_LIN0104_for_an_instance_method_of_an_artifact_type_or_a_static_method()
    {
        var run = await AnalyzerHarness.RunAsync("""
            using Lineage;

            namespace Consumer;

            [Artifact]
            public sealed class Trainer
            {
                public int Epochs { get; set; }

                [Artifact("model")]
                public double Train(double[] x) => x.Sum() * Epochs;
            }

            public sealed class Helpers
            {
                [Artifact("total")]
                public static double Total(double[] x) => x.Sum();
            }
            """);

        Assert.Empty(run.All("LIN0104"));
    }
}
