using System.Text.Json;

namespace Lineage.Generators.Tests;

/// <summary>
/// The generated code compiles without a warning and carries real values through a real store: saved with
/// <c>Artifacts.X.Save</c>, loaded with <c>Artifacts.X.Load</c>, equal member by member.
/// </summary>
public sealed class RoundTripTests
{
    private static readonly JsonSerializerOptions Deep = new() { IncludeFields = true, WriteIndented = true };

    public static TheoryData<string> InputNames => [.. Inputs.All.Select(i => i.Name)];

    [Theory]
    [MemberData(nameof(InputNames))]
    public void Generated_code_compiles_with_nullable_on_and_no_warnings(string input)
    {
        var run = Inputs.Run(Inputs.Named(input));

        run.AssertCompilesCleanly();
        Assert.Equal(2, run.Sources.Count);
    }

    [Fact]
    public void A_positional_record_with_arrays_lists_and_nullables_round_trips()
    {
        var run = Inputs.Run(Inputs.Record, new SourceFile("Probe.cs", """
            using Lineage;

            namespace Shop;

            public static class Probe
            {
                public static object[] RoundTrip(ArtifactStore store)
                {
                    var saved = Orders.Latest(7);
                    var record = Shop.App.Artifacts.LatestOrder.Save(saved, store);
                    Order loaded = Shop.App.Artifacts.LatestOrder.Load(store: store);
                    return [saved, loaded, record];
                }
            }
            """));
        using var store = new TempStore();
        using var assembly = run.Load();

        var (saved, loaded, record) = Unpack(assembly.Invoke("Shop.Probe", "RoundTrip", store.Store));

        AssertSameValue(saved, loaded);
        Assert.Contains("\"Customer\": \"ada\"", Json(loaded), StringComparison.Ordinal);
        Assert.Contains("\"Sku\": \"pen\"", Json(loaded), StringComparison.Ordinal);
        Assert.Equal("Shop.Order", record.TypeName);
        Assert.Equal(run.Constant("Shop.App.Artifacts+LatestOrder", "CodeVersion"), record.CodeVersion);
    }

    [Fact]
    public void A_class_with_required_init_only_collection_enum_nullable_and_nested_artifact_members_round_trips()
    {
        var run = Inputs.Run(Inputs.Class, new SourceFile("Probe.cs", """
            using System;
            using Lineage;

            namespace Survey;

            public static class Probe
            {
                public static object[] RoundTrip(ArtifactStore store)
                {
                    var full = new Report
                    {
                        Title = "Q3",
                        Author = "grace",
                        Counts = [1, 2, 3],
                        Scores = { ["a"] = 0.5, ["b"] = 1.5 },
                        Tags = { [Priority.High] = ["urgent", "billing"], [Priority.Low] = [] },
                        Priority = Priority.High,
                        Reviewer = 12,
                        Comment = null,
                        Weights = [0.25f, 0.75f],
                        CreatedAt = new DateTime(2024, 5, 1, 12, 30, 0, DateTimeKind.Utc),
                        Summary = new Report.Section("intro", 120),
                        Sections = [new("methods", 800), new("results", 450)],
                        Appendix = [new("tables", 26)],
                    };
                    var sparse = new Report { Title = "draft", Comment = "no reviewer yet" };

                    Survey.App.Artifacts.WeeklyReport.Save(full, store);
                    Survey.App.Artifacts.WeeklyReport.Save(sparse, store);
                    Report first = Survey.App.Artifacts.WeeklyReport.Load(1, store);
                    Report second = Survey.App.Artifacts.WeeklyReport.Load(store: store);
                    return [full, first, sparse, second];
                }
            }
            """));
        using var store = new TempStore();
        using var assembly = run.Load();

        var values = (object[])assembly.Invoke("Survey.Probe", "RoundTrip", store.Store)!;

        AssertSameValue(values[0], values[1]);
        AssertSameValue(values[2], values[3]);
        Assert.Contains("\"Title\": \"Q3\"", Json(values[1]), StringComparison.Ordinal);
        Assert.Contains("\"Heading\": \"tables\"", Json(values[1]), StringComparison.Ordinal);
        Assert.Contains("\"Reviewer\": null", Json(values[3]), StringComparison.Ordinal);
    }

    [Fact]
    public void Structs_round_trip_including_arrays_and_nullables_of_an_artifact_struct()
    {
        var run = Inputs.Run(Inputs.Struct, new SourceFile("Probe.cs", """
            using Lineage;

            namespace Maps;

            public static class Probe
            {
                public static object[] RoundTrip(ArtifactStore store)
                {
                    var home = Tracks.Home();
                    var run = Tracks.MorningRun();
                    Maps.App.Artifacts.Home.Save(home, store);
                    Maps.App.Artifacts.MorningRun.Save(run, store);
                    Maps.App.Artifacts.MorningRun.Save(default, store);
                    return [home, Maps.App.Artifacts.Home.Load(store: store), run, Maps.App.Artifacts.MorningRun.Load(1, store), Maps.App.Artifacts.MorningRun.Load(2, store)];
                }
            }
            """));
        using var store = new TempStore();
        using var assembly = run.Load();

        var values = (object[])assembly.Invoke("Maps.Probe", "RoundTrip", store.Store)!;

        Assert.Equal(values[0], values[1]);
        AssertSameValue(values[2], values[3]);
        Assert.Contains("\"Ticks\": 42", Json(values[3]), StringComparison.Ordinal);
        Assert.Contains("\"Latitude\": 48.85", Json(values[3]), StringComparison.Ordinal);
        Assert.Equal(Activator.CreateInstance(values[2].GetType()), values[4]);
    }

    [Fact]
    public async Task Values_of_static_instance_and_async_artifact_methods_round_trip()
    {
        var run = Inputs.Run(Inputs.Methods, new SourceFile("Probe.cs", """
            using System.Threading.Tasks;
            using Lineage;

            namespace Lab;

            public static class Probe
            {
                public static async Task<object[]> RoundTrip(ArtifactStore store)
                {
                    var summary = Stats.Summarize([1, 2, 3], "three");
                    Lab.App.Artifacts.MeanSummary.Save(summary, store);
                    await Lab.App.Artifacts.SlowSummary.SaveAsync(await Stats.SummarizeAsync([4, 5]), store);
                    Lab.App.Artifacts.ScaledSum.Save(new Scaler { Factor = 3 }.ScaledSum([1, 2]), store);
                    Lab.App.Artifacts.SampleCount.Save(await Stats.CountAsync([1, 2, 3, 4]), store);
                    return
                    [
                        summary, Lab.App.Artifacts.MeanSummary.Load(store: store),
                        await Lab.App.Artifacts.SlowSummary.LoadAsync(store: store),
                        Lab.App.Artifacts.ScaledSum.Load(store: store),
                        Lab.App.Artifacts.SampleCount.Load(store: store),
                    ];
                }
            }
            """));
        using var store = new TempStore();
        using var assembly = run.Load();

        var values = (object[])(await assembly.InvokeAsync("Lab.Probe", "RoundTrip", store.Store))!;

        Assert.Equal(values[0], values[1]);
        Assert.Equal("first", values[2].GetType().GetProperty("Label")!.GetValue(values[2]));
        Assert.Equal(9.0, values[3]);
        Assert.Equal(4, values[4]);
    }

    private static (object Saved, object Loaded, ArtifactRecord Record) Unpack(object? result)
    {
        var values = (object[])result!;
        return (values[0], values[1], (ArtifactRecord)values[2]);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), Deep);

    /// <summary>Equal member by member (deeply, through collections), but a new object: it really came from the store.</summary>
    private static void AssertSameValue(object saved, object loaded)
    {
        Assert.Equal(saved.GetType(), loaded.GetType());
        if (!saved.GetType().IsValueType)
        {
            Assert.NotSame(saved, loaded);
        }

        Assert.Equal(Json(saved), Json(loaded));
    }
}
