namespace Lineage.Tests.Store;

/// <summary>A value MemoryPack cannot format gets advice that fits its type, never "mark it [Artifact]" for an interface or a marked type.</summary>
public sealed class SerializationAdviceTests
{
    [Fact]
    public void An_interface_typed_value_is_told_to_use_a_concrete_type_or_a_union()
    {
        using var home = new TestHome();
        using var store = home.Open();

        var error = Assert.Throws<ArtifactSerializationException>(() => store.Save<IComparer<string>>("comparer", StringComparer.Ordinal));

        Assert.Contains("is an interface or abstract type: use a concrete type", error.Message, StringComparison.Ordinal);
        Assert.Contains("[MemoryPackUnion]", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Mark System.Collections.Generic.IComparer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_type_already_marked_Artifact_is_told_which_kind_of_member_to_fix()
    {
        using var home = new TestHome();
        using var store = home.Open();

        var error = Assert.Throws<ArtifactSerializationException>(() => store.Save("ranking", new Ranking { Order = StringComparer.Ordinal }));

        Assert.Contains("one of its members is not", error.Message, StringComparison.Ordinal);
        Assert.Contains("[IgnoreDataMember]", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Mark ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unmarked_type_of_ones_own_is_told_to_take_Artifact()
    {
        using var home = new TestHome();
        using var store = home.Open();

        var error = Assert.Throws<ArtifactSerializationException>(() => store.Save("plain", new Unmarked()));

        Assert.Contains("[Artifact] if it is your own type", error.Message, StringComparison.Ordinal);
    }

    [Artifact]
    public sealed class Ranking
    {
        public IComparer<string>? Order { get; set; }
    }

    public sealed class Unmarked
    {
        public int Value { get; set; }
    }
}
