using System.Reflection;
using Lineage.Generators.Diagnostics;
using MemoryPack;

namespace Lineage.Generators.Tests.Diagnostics;

/// <summary>LIN0104's list of the types MemoryPack formats on its own agrees with what MemoryPack does at run time.</summary>
public sealed class KnownSerializersTests
{
    private static readonly MethodInfo Serialize = typeof(MemoryPackSerializer).GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Single(m => m is { Name: nameof(MemoryPackSerializer.Serialize), IsGenericMethodDefinition: true } && m.ReturnType == typeof(byte[]) && m.GetParameters().Length == 2);

    private static readonly Lazy<Microsoft.CodeAnalysis.Compilation> Probe = new(() => GeneratorHarness.Compile("Probe"));

    public static TheoryData<string> MemoryPackTypes => [.. KnownSerializers.MemoryPackTypes];

    [Theory]
    [MemberData(nameof(MemoryPackTypes))]
    public void Each_type_the_analyzer_accepts_as_built_in_is_serialized_by_MemoryPack(string metadataName)
    {
        var symbol = Probe.Value.GetTypeByMetadataName(metadataName);
        Assert.True(symbol is not null, $"{metadataName} is not in the reference set.");
        var type = Type.GetType($"{metadataName}, {symbol.ContainingAssembly.Identity.Name}", throwOnError: true)!;
        var closed = type.IsGenericTypeDefinition ? type.MakeGenericType([.. type.GetGenericArguments().Select(_ => typeof(int))]) : type;

        Assert.True(CanSerialize(closed), $"MemoryPack has no formatter for {closed}.");
    }

    [Theory]
    [InlineData(typeof(IComparer<string>))]
    [InlineData(typeof(Stream))]
    [InlineData(typeof(object))]
    public void Types_the_analyzer_reports_are_refused_by_MemoryPack(Type type) =>
        Assert.False(CanSerialize(type));

    /// <summary>Serializes the type's default value the way the store does (generic, so unmanaged structs take the fast path).</summary>
    private static bool CanSerialize(Type type)
    {
        var value = type.IsValueType ? Activator.CreateInstance(type) : null;
        try
        {
            Serialize.MakeGenericMethod(type).Invoke(null, [value, null]);
            return true;
        }
        catch (TargetInvocationException e) when (e.InnerException is MemoryPackSerializationException)
        {
            return false;
        }
    }
}
