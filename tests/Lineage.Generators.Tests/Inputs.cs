namespace Lineage.Generators.Tests;

/// <summary>
/// Representative user code: each input is what one project might declare, with the root namespace its build
/// would pass. The snapshot tests pin what the generator writes for them; the run tests compile and execute it.
/// </summary>
public static class Inputs
{
    public sealed record Input(string Name, string AssemblyName, string RootNamespace, SourceFile[] Sources);

    /// <summary>A positional record with strings, an unmanaged array, a nullable string and a list of records.</summary>
    public static readonly Input Record = new("record", "Shop", "Shop.App",
    [
        new("Orders.cs", """
            using System.Collections.Generic;
            using Lineage;

            namespace Shop;

            [Artifact]
            public sealed record Order(int Id, string Customer, double[] Amounts, string? Note, List<Line> Lines);

            [Artifact]
            public sealed record Line(string Sku, int Quantity);

            public static class Orders
            {
                [Artifact("latest-order")]
                public static Order Latest(int id) => new(id, "ada", [1.5, 2.5], null, [new Line("pen", 2)]);
            }
            """),
    ]);

    /// <summary>A nominal class: required and init-only members, collections, an enum, nullables and a nested [Artifact] type.</summary>
    public static readonly Input Class = new("class", "Survey", "Survey.App",
    [
        new("Report.cs", """
            using System;
            using System.Collections.Generic;
            using Lineage;

            namespace Survey;

            public enum Priority
            {
                Low,
                Normal,
                High,
            }

            [Artifact]
            public sealed class Report
            {
                public required string Title { get; init; }

                public string Author { get; init; } = "unknown";

                public List<int> Counts { get; set; } = [];

                public Dictionary<string, double> Scores { get; set; } = [];

                public Dictionary<Priority, List<string>> Tags { get; set; } = [];

                public Priority Priority { get; set; }

                public int? Reviewer { get; set; }

                public string? Comment { get; set; }

                public float[] Weights { get; set; } = [];

                public DateTime CreatedAt { get; set; }

                public Section? Summary { get; set; }

                public List<Section> Sections { get; set; } = [];

                public Section[] Appendix { get; set; } = [];

                [Artifact]
                public sealed record Section(string Heading, int Words);
            }

            public static class Reports
            {
                [Artifact("weekly-report")]
                public static Report Weekly(string title) => new() { Title = title };
            }
            """),
    ]);

    /// <summary>Structs: a positional record struct and a mutable struct holding it in an array and as a nullable.</summary>
    public static readonly Input Struct = new("struct", "Maps", "Maps.App",
    [
        new("Tracks.cs", """
            using Lineage;

            namespace Maps;

            [Artifact]
            public readonly record struct Coordinate(double Latitude, double Longitude);

            [Artifact]
            public struct Track
            {
                public string? Name { get; set; }

                public Coordinate[]? Points { get; set; }

                public Coordinate? Start { get; set; }

                public long Ticks;
            }

            public static class Tracks
            {
                [Artifact("home")]
                public static Coordinate Home() => new(48.85, 2.35);

                [Artifact("morning-run")]
                public static Track MorningRun() => new() { Name = "run", Points = [Home()], Start = Home(), Ticks = 42 };
            }
            """),
    ]);

    /// <summary>A static method with a default-valued parameter, an instance method, and async Task/ValueTask methods with a token.</summary>
    public static readonly Input Methods = new("methods", "Lab", "Lab.App",
    [
        new("Stats.cs", """
            using System.Linq;
            using System.Threading;
            using System.Threading.Tasks;
            using Lineage;

            namespace Lab;

            [Artifact]
            public sealed record Summary(string Label, double Mean, int Count);

            public static class Stats
            {
                public static int Calls;

                /// <summary>The mean of the samples.</summary>
                [Artifact("mean-summary", Description = "Mean of the samples")]
                public static Summary Summarize(double[] samples, string label = "all")
                {
                    Calls++;
                    return new(label, Maths.Mean(samples), samples.Length);
                }

                [Artifact("slow-summary")]
                public static async Task<Summary> SummarizeAsync(double[] samples, int take = 10, CancellationToken cancellationToken = default)
                {
                    Calls++;
                    await Task.Yield();
                    cancellationToken.ThrowIfCancellationRequested();
                    var part = samples.Take(take).ToArray();
                    return new("first", Maths.Mean(part), part.Length);
                }

                [Artifact("sample-count")]
                public static ValueTask<int> CountAsync(double[] samples)
                {
                    Calls++;
                    return new(samples.Length);
                }
            }

            [Artifact]
            public sealed class Scaler
            {
                public double Factor { get; init; } = 2;

                [Artifact("scaled-sum")]
                public double ScaledSum(double[] samples)
                {
                    Stats.Calls++;
                    return Maths.Sum(samples) * Factor;
                }
            }
            """),
        new("Maths.cs", """
            namespace Lab;

            internal static class Maths
            {
                public static double Sum(double[] values)
                {
                    var total = 0.0;
                    foreach (var value in values)
                    {
                        total += value;
                    }

                    return total;
                }

                public static double Mean(double[] values) => values.Length == 0 ? 0 : Sum(values) / values.Length;
            }
            """),
    ]);

    public static readonly IReadOnlyList<Input> All = [Record, Class, Struct, Methods];

    public static Input Named(string name) => All.Single(i => i.Name == name);

    public static GeneratorRun Run(Input input) => GeneratorHarness.Run(input.AssemblyName, input.RootNamespace, input.Sources);

    /// <summary>The input plus <paramref name="extra"/> files (e.g. a probe that exercises the generated API).</summary>
    public static GeneratorRun Run(Input input, params SourceFile[] extra) =>
        GeneratorHarness.Run(input.AssemblyName, input.RootNamespace, [.. input.Sources, .. extra]);
}
