namespace Lineage.Generators.Tests;

/// <summary>
/// Declarations a user may well write: the generated code must compile cleanly for each of them (in a project with
/// documentation files and warnings as errors), or the generator must leave them to a diagnostic — never emit code
/// that breaks the user's build.
/// </summary>
public sealed class EdgeCaseTests
{
    private static readonly Dictionary<string, string> Declarations = new()
    {
        {
            "keyword parameter names", """
            public static class P
            {
                [Artifact("x")]
                public static int Make(int @class, string @event = "e") => @class + @event.Length;
            }
            """
        },
        {
            "a params array", """
            public static class P
            {
                [Artifact("x")]
                public static int Make(int first, params int[] rest) => first + rest.Length;
            }
            """
        },
        {
            "a parameter named store", """
            public static class P
            {
                [Artifact("x")]
                public static int Make(string store) => store.Length;
            }
            """
        },
        {
            "enum, flags, nullable, char, decimal and long defaults", """
            public enum Mode { Fast = 1, Slow = 2 }

            [System.Flags]
            public enum Options { None = 0, A = 1, B = 2 }

            public static class P
            {
                [Artifact("x")]
                public static int Make(Mode mode = Mode.Slow, Options options = Options.A | Options.B, char c = '\'', string? s = null, int? n = 5, decimal m = 1.5m, long l = long.MinValue) => 1;
            }
            """
        },
        {
            "a nullable return and nullable parameters", """
            public static class P
            {
                [Artifact("x")]
                public static string? Make(int[]? values) => values is null ? null : "some";
            }
            """
        },
        {
            "an overloaded artifact method", """
            public static class P
            {
                [Artifact("x")]
                public static int Make(int a) => a;

                public static int Make(string s) => s.Length;
            }
            """
        },
        {
            "a multi-line description", """
            public static class P
            {
                [Artifact("x", Description = "Trains the model.\nUses the cleaned data.")]
                public static int Make() => 1;
            }
            """
        },
        {
            "NaN and infinity defaults", """
            public static class P
            {
                [Artifact("x")]
                public static int Make(double threshold = double.NaN, float limit = float.PositiveInfinity) => 1;
            }
            """
        },
        {
            "an instance method with a parameter named instance", """
            [Artifact]
            public sealed class P
            {
                public int Factor { get; set; }

                [Artifact("x")]
                public int Make(int instance) => instance * Factor;
            }
            """
        },
        {
            "a parameter named hasher", """
            public static class P
            {
                [Artifact("x")]
                public static int Make(int hasher) => hasher;
            }
            """
        },
        {
            "an artifact method in a generic class", """
            public static class P<T>
            {
                [Artifact("x")]
                public static int Make() => 1;
            }
            """
        },
        {
            "an artifact named artifacts", """
            public static class P
            {
                [Artifact("artifacts")]
                public static int Make() => 1;
            }
            """
        },
        {
            "types A.B.C and A.B_C, whose formatter names collide", """
            public static class B
            {
                [Artifact]
                public sealed record C(int X);
            }

            [Artifact]
            public sealed record B_C(int Y);
            """
        },
    };

    public static TheoryData<string> Cases => [.. Declarations.Keys];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_code_compiles_cleanly_for(string description)
    {
        var declaration = Declarations[description];
        var run = GeneratorHarness.Run("Edge", "Edge.App", new SourceFile("Declarations.cs", $$"""
            using Lineage;

            namespace A
            {
            {{declaration}}
            }
            """));

        Assert.Null(run.Result.Exception);
        Assert.True(run.Problems.Count == 0, $"With {description}, the build breaks:\n{string.Join("\n", run.Problems.Take(6))}");
    }

    [Fact]
    public void A_parameter_named_Name_is_an_input_and_does_not_rename_the_artifact()
    {
        var run = GeneratorHarness.Run("Edge", "Edge.App", new SourceFile("Declarations.cs", """
            using Lineage;

            namespace A;

            public static class P
            {
                [Artifact("greeting-length")]
                public static int Measure(string Name) => Name.Length;
            }
            """));
        using var store = new TempStore();
        using var assembly = run.Load();

        Assert.Equal(5, assembly.Invoke("Edge.App.Artifacts+GreetingLength", "GetOrCompute", "hello", store.Store));

        Assert.Equal(["greeting-length"], store.Store.List().Select(r => r.Name));
    }
}
