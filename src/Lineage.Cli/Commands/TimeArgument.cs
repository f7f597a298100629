using System.Globalization;
using System.Text.RegularExpressions;

namespace Lineage.Cli.Commands;

/// <summary>
/// A moment as typed on the command line (<c>find --since/--until</c>, <c>--as-of</c>): ISO 8601 (<c>2026-12-01</c>,
/// <c>2026-12-01T14:30</c>, <c>2026-12-01 14:30:05Z</c> as the tool prints times, <c>2026-12-01T14:30:05+02:00</c>; UTC
/// when no offset is given) or a span ago (<c>90s</c>, <c>30m</c>, <c>12h</c>, <c>7d</c>, <c>2w</c>).
/// </summary>
public static partial class TimeArgument
{
    /// <summary>What the option takes, for help and error text.</summary>
    public const string Grammar = "an ISO 8601 time (2026-12-01, 2026-12-01T14:30, 2026-12-01 14:30:05Z, 2026-12-01T14:30:05+02:00; UTC unless an offset is given) or a span ago (90s, 30m, 12h, 7d, 2w)";

    private static readonly string[] Formats = BuildFormats();

    /// <summary>Parses <paramref name="text"/>, a span counting back from <paramref name="now"/>.</summary>
    /// <exception cref="UsageException">Neither form; the message names the option and gives both.</exception>
    public static DateTimeOffset Parse(string text, string option, DateTimeOffset now)
    {
        var trimmed = text.Trim();
        var relative = Relative().Match(trimmed);
        if (relative.Success)
        {
            if (!long.TryParse(relative.Groups["count"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                throw new UsageException($"{option} '{text}' is too far back; give {Grammar}.");
            }

            var unit = relative.Groups["unit"].Value switch
            {
                "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                "d" => TimeSpan.FromDays(1),
                _ => TimeSpan.FromDays(7),
            };
            var back = (now - DateTimeOffset.MinValue).Ticks / unit.Ticks;
            return count <= back
                ? now - TimeSpan.FromTicks(count * unit.Ticks)
                : throw new UsageException($"{option} '{text}' is too far back; give {Grammar}.");
        }

        return DateTimeOffset.TryParseExact(trimmed, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var moment)
            ? moment
            : throw new UsageException($"{option} '{text}' is not a time: give {Grammar}.");
    }

    /// <summary>Dates, minutes, seconds and fractions, with 'T' or a space, with or without an offset.</summary>
    private static string[] BuildFormats()
    {
        var formats = new List<string> { "yyyy-MM-dd" };
        foreach (var separator in new[] { "'T'", " " })
        {
            foreach (var time in new[] { "HH:mm", "HH:mm:ss", "HH:mm:ss.FFFFFFF" })
            {
                formats.Add($"yyyy-MM-dd{separator}{time}");
                formats.Add($"yyyy-MM-dd{separator}{time}zzz");
                formats.Add($"yyyy-MM-dd{separator}{time}'Z'");
            }
        }

        return [.. formats];
    }

    [GeneratedRegex(@"^(?<count>[0-9]{1,18})(?<unit>[smhdw])$")]
    private static partial Regex Relative();
}
