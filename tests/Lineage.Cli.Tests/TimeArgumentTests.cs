using Lineage.Cli.Commands;

namespace Lineage.Cli.Tests;

/// <summary>Times on the command line: ISO 8601 (UTC unless an offset is given) or a span ago.</summary>
public sealed class TimeArgumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("90s", "2026-12-02T11:58:30Z")]
    [InlineData("30m", "2026-12-02T11:30:00Z")]
    [InlineData("12h", "2026-12-02T00:00:00Z")]
    [InlineData("7d", "2026-11-25T12:00:00Z")]
    [InlineData("2w", "2026-11-18T12:00:00Z")]
    [InlineData("2026-12-01", "2026-12-01T00:00:00Z")]
    [InlineData("2026-12-01T14:30", "2026-12-01T14:30:00Z")]
    [InlineData("2026-12-01 14:30:05Z", "2026-12-01T14:30:05Z")]
    [InlineData("2026-12-01T14:30:05.25Z", "2026-12-01T14:30:05.25Z")]
    [InlineData("2026-12-01T14:30:05+02:00", "2026-12-01T12:30:05Z")]
    [InlineData(" 7d ", "2026-11-25T12:00:00Z")]
    public void Parses_iso_times_and_spans_ago(string text, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), TimeArgument.Parse(text, "--since", Now));
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("7")]
    [InlineData("7D")]
    [InlineData("-7d")]
    [InlineData("1/2/2026")]
    [InlineData("2026-13-01")]
    [InlineData("999999999999999999w")]
    public void Anything_else_is_a_usage_error_giving_both_forms(string text)
    {
        var error = Assert.Throws<UsageException>(() => TimeArgument.Parse(text, "--since", Now));

        Assert.Contains("--since", error.Message, StringComparison.Ordinal);
        Assert.Contains("ISO 8601", error.Message, StringComparison.Ordinal);
        Assert.Contains("7d", error.Message, StringComparison.Ordinal);
    }
}
