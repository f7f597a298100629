using Lineage.Values.Local;

namespace Lineage.Tests.Backends;

/// <summary>
/// The storage marker is created "only if absent". File.Move without overwrite checks and then renames on Linux,
/// so racing creators could both win; the local store uses link(2) instead. Many racers, many rounds: one winner each.
/// </summary>
public sealed class LocalExclusiveCreateTests
{
    [Fact]
    public async Task Racing_creators_of_one_file_have_exactly_one_winner_whose_content_is_on_disk()
    {
        using var home = new TestHome();
        for (var round = 0; round < 25; round++)
        {
            var store = new LocalValueStore(home.Sub($"root-{round}"));
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(racer => Task.Run(async () =>
                (Racer: racer, Won: await store.TryCreateSmallAsync(".lineage/storage.json", new[] { (byte)racer }, TestContext.Current.CancellationToken)))));

            var winner = Assert.Single(outcomes, o => o.Won);
            var onDisk = await File.ReadAllBytesAsync(home.Sub($"root-{round}", ".lineage", "storage.json"), TestContext.Current.CancellationToken);
            Assert.Equal(new[] { (byte)winner.Racer }, onDisk);
            Assert.Equal(["storage.json"], Directory.GetFiles(home.Sub($"root-{round}", ".lineage")).Select(Path.GetFileName));
        }
    }
}
