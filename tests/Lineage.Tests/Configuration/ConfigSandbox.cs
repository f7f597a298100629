using Lineage.Configuration;

namespace Lineage.Tests.Configuration;

/// <summary>
/// A temp user profile and working directory plus a fake environment, so option resolution can be tested
/// without touching the real ~/.lineage or the process environment (tests run in parallel).
/// </summary>
internal sealed class ConfigSandbox : IDisposable
{
    private readonly TestHome _root = new();
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);

    public ConfigSandbox()
    {
        UserHome = Directory.CreateDirectory(_root.Sub("user")).FullName;
        WorkingDirectory = Directory.CreateDirectory(_root.Sub("work")).FullName;
    }

    /// <summary>The fake user profile folder (exists).</summary>
    public string UserHome { get; }

    /// <summary>The fake working directory (exists).</summary>
    public string WorkingDirectory { get; }

    /// <summary>Where Home resolves when nothing states it: {UserHome}/.lineage.</summary>
    public string DefaultHome => Path.Combine(UserHome, ".lineage");

    /// <summary>A path inside the sandbox (not created).</summary>
    public string Sub(params string[] parts) => _root.Sub(parts);

    /// <summary>Sets a variable of the fake environment.</summary>
    public ConfigSandbox Set(string variable, string value)
    {
        _environment[variable] = value;
        return this;
    }

    /// <summary>Writes {folder}/config.json and returns its path.</summary>
    public static string WriteConfig(string folder, string json)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, OptionsResolver.UserConfigFileName);
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>Resolves against the sandbox: fake environment, fake user profile, fake working directory.</summary>
    public ResolvedOptions Resolve(LineageOptions? options = null, ConfigLayer? projectConfig = null) =>
        OptionsResolver.Resolve(
            options,
            name => _environment.TryGetValue(name, out var value) ? value : null,
            UserHome,
            WorkingDirectory,
            projectConfig);

    /// <summary>The SQLite URL naming the absolute <paramref name="path"/>: sqlite:////abs/path on POSIX.</summary>
    public static string SqliteUrl(string path) => "sqlite:///" + path.Replace('\\', '/');

    /// <summary>A JSON string literal (quotes and escapes included) for embedding paths in config files.</summary>
    public static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    public void Dispose() => _root.Dispose();
}
