namespace Lineage.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void Save_then_load_round_trips_a_value()
    {
        using var home = new TestHome();
        using var store = home.Open();
        store.Save("numbers", new[] { 1, 2, 3 });
        Assert.Equal([1, 2, 3], store.Load<int[]>("numbers"));
    }
}
