using System.Globalization;
using Lineage.Metadata.Sqlite;
using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

/// <summary>SQLite stores times as text (<c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>), read back by position; other text still reads.</summary>
public sealed class SqliteTimeTests(PostgresServer postgres, S3Server s3)
{
    public static TheoryData<string> StoredTimes => new(
        "2026-12-03T06:41:07.1234567Z", "0001-01-01T00:00:00.0000000Z", "9999-12-31T23:59:59.9999999Z", "2024-02-29T12:00:00.0000001Z");

    [Theory]
    [MemberData(nameof(StoredTimes))]
    public void A_stored_time_reads_back_to_the_tick(string text)
    {
        var expected = DateTimeOffset.ParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

        Assert.True(SqliteMetadataStore.TryReadStoredTime(text, out var time));
        Assert.Equal(expected, time);
        Assert.Equal(TimeSpan.Zero, time.Offset);
    }

    [Theory]
    [InlineData("2026-02-29T00:00:00.0000000Z")]
    [InlineData("2026-13-01T00:00:00.0000000Z")]
    [InlineData("2026-01-01T24:00:00.0000000Z")]
    [InlineData("2026-01-01 00:00:00.0000000Z")]
    [InlineData("2026-01-01T00:00:00.000000Z")]
    [InlineData("2026-01-01T00:00:00.0000000+")]
    [InlineData("2026-0a-01T00:00:00.0000000Z")]
    [InlineData("")]
    public void Other_text_or_an_impossible_date_is_not_read_by_position(string text) =>
        Assert.False(SqliteMetadataStore.TryReadStoredTime(text, out _));

    [Fact]
    public async Task A_time_written_by_hand_in_another_format_still_reads()
    {
        await using var environment = await BackendEnvironment.CreateAsync(Backend.SqliteLocal, postgres, s3);
        using (var store = environment.Open())
        {
            store.Save("written-by-hand", new byte[] { 1 });
        }

        await environment.SqlAsync("UPDATE artifacts SET created_at = '2026-01-02 03:04:05' WHERE name = 'written-by-hand';");

        using var reopened = environment.Open();
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), reopened.Get("written-by-hand").CreatedAt);
    }
}
