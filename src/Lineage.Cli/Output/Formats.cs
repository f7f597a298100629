using System.Globalization;

namespace Lineage.Cli.Output;

/// <summary>How values read in text output.</summary>
public static class Formats
{
    /// <summary><c>name@version</c>.</summary>
    public static string Reference(ArtifactRecord record) => $"{record.Name}@{record.Version.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>UTC, to the second: <c>2025-01-31 14:02:11Z</c>.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Bytes in binary units: <c>24 B</c>, <c>1.5 KiB</c>, <c>3.2 GiB</c>.</summary>
    public static string Size(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.#} {units[unit]}");
    }

    /// <summary>The first 12 characters of a hash, or <c>-</c>.</summary>
    public static string Abbreviated(string? hash) => hash is null ? "-" : hash.Length <= 12 ? hash : hash[..12];

    /// <summary>A setting source as the config file and JSON output name it: <c>user_config</c>, <c>environment</c>, ...</summary>
    public static string Source(SettingSource source) => source switch
    {
        SettingSource.Explicit => "explicit",
        SettingSource.Environment => "environment",
        SettingSource.ProjectConfig => "project_config",
        SettingSource.UserConfig => "user_config",
        SettingSource.Default => "default",
        _ => source.ToString(),
    };
}
