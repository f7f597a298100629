using System.Text;
using Lineage.Tests.Servers;
using Lineage.Values.S3;

namespace Lineage.Tests.Backends;

/// <summary>
/// The storage marker's create-if-absent on S3. moto checks If-None-Match and stores the object in two steps on a threaded
/// server, so two PUTs can both pass the check; the store must still let exactly one claim win.
/// </summary>
public sealed class S3ConditionalCreateTests(S3Server s3)
{
    [Fact]
    public async Task Of_racing_creates_exactly_one_wins_round_after_round_and_its_content_stands()
    {
        var ct = TestContext.Current.CancellationToken;
        var bucket = await s3.CreateBucketAsync();
        using var store = new S3ValueStore($"s3://{bucket}/race", await s3.StorageOptionsAsync());
        var doubleWins = new List<string>();

        for (var round = 0; round < 40; round++)
        {
            var key = $".lineage/marker-{round}.json";
            var contents = Enumerable.Range(0, 6).Select(i => Encoding.UTF8.GetBytes($"{{\"round\":{round},\"racer\":{i}}}")).ToArray();
            var results = await Task.WhenAll(contents.Select(c => Task.Run(() => store.TryCreateSmallAsync(key, c, ct), ct)));

            var winners = Enumerable.Range(0, contents.Length).Where(i => results[i]).ToArray();
            var stored = await store.ReadSmallAsync(key, ct);
            if (winners.Length != 1 || !contents[winners[0]].AsSpan().SequenceEqual(stored))
            {
                doubleWins.Add($"round {round}: winners {string.Join(",", winners)}, stored {Encoding.UTF8.GetString(stored ?? [])}");
            }
        }

        Assert.Empty(doubleWins);
    }
}
