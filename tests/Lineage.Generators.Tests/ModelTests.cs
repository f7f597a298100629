using System.Reflection;
using Lineage.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Lineage.Generators.Tests;

/// <summary>
/// The pipeline's models hold only plain, equatable data: nothing that pins a compilation in memory or defeats
/// the generator's caching (the rule the System.Text.Json generator's tests enforce the same way).
/// </summary>
public sealed class ModelTests
{
    private static readonly Type[] Models =
        [typeof(ArtifactTypeSpec), typeof(MemberSpec), typeof(ArtifactMethodSpec), typeof(ParameterSpec), typeof(ProjectSpec)];

    private static readonly Type[] Forbidden =
        [typeof(ISymbol), typeof(Compilation), typeof(SyntaxNode), typeof(SemanticModel), typeof(Location), typeof(SyntaxTree)];

    [Fact]
    public void No_model_reaches_a_symbol_compilation_syntax_node_semantic_model_location_or_syntax_tree()
    {
        var problems = Models.SelectMany(model => ForbiddenReachableFrom(model)).ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_model_walk_finds_a_symbol_hidden_in_an_equatable_array()
    {
        var problems = ForbiddenReachableFrom(typeof(LeakyModel));

        Assert.Contains(problems, p => p.Contains("ISymbol", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Location", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_model_type_has_value_equality()
    {
        var reached = Models.SelectMany(Reachable).Where(t => t.Namespace == typeof(ArtifactTypeSpec).Namespace && !t.IsEnum && !t.IsArray).Distinct().ToList();

        Assert.Contains(typeof(EquatableArray<MemberSpec>), reached);
        Assert.All(reached, type => Assert.True(
            typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type),
            $"{type} is reachable from a model but does not implement IEquatable<{type.Name}>."));

        // Arrays compare by reference: only EquatableArray may hold one.
        var arrayHolders = reached
            .Where(t => !(t.IsGenericType && t.GetGenericTypeDefinition() == typeof(EquatableArray<>)))
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic).Where(f => f.FieldType.IsArray).Select(f => $"{t.Name}.{f.Name}"));
        Assert.Empty(arrayHolders);
    }

    [Fact]
    public void Parsing_the_same_code_twice_gives_equal_models()
    {
        var first = Inputs.Run(Inputs.Methods);
        var second = Inputs.Run(Inputs.Methods);
        var steps = new[] { TrackingNames.Types, TrackingNames.Methods, TrackingNames.Project };

        foreach (var step in steps)
        {
            var before = first.StepOutputs(step).Select(o => o.Value).ToList();
            var after = second.StepOutputs(step).Select(o => o.Value).ToList();

            Assert.NotEmpty(before);
            Assert.Equal(before.Count, after.Count);
            for (var i = 0; i < before.Count; i++)
            {
                Assert.NotSame(before[i], after[i]);
                Assert.True(before[i].Equals(after[i]), $"{step}: {before[i]} differs from {after[i]}");
                Assert.Equal(before[i].GetHashCode(), after[i].GetHashCode());
            }
        }

        Assert.Contains(first.StepOutputs(TrackingNames.Methods), o => o.Value is ArtifactMethodSpec { Parameters.Count: 3 });
    }

    /// <summary>Every type reachable through instance fields (backing fields included), array elements and type arguments.</summary>
    private static IEnumerable<Type> Reachable(Type root)
    {
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.Count > 0)
        {
            var type = pending.Pop();
            if (!seen.Add(type))
            {
                continue;
            }

            yield return type;
            if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(object) || Forbidden.Any(f => f.IsAssignableFrom(type)))
            {
                continue;
            }

            if (type.HasElementType)
            {
                pending.Push(type.GetElementType()!);
            }

            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                pending.Push(argument);
            }

            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            {
                pending.Push(field.FieldType);
            }
        }
    }

    private static IEnumerable<string> ForbiddenReachableFrom(Type model) =>
        Reachable(model)
            .SelectMany(type => Forbidden.Where(f => f.IsAssignableFrom(type)).Select(f => $"{model.Name} reaches {type} (a {f.Name})."))
            .Concat(Reachable(model).Where(t => t == typeof(object)).Select(_ => $"{model.Name} has an object-typed field, which can hold anything."));

    private sealed record LeakyModel(string Name, EquatableArray<LeakyPart> Parts);

    private sealed record LeakyPart(ISymbol Symbol, Location Where);
}
