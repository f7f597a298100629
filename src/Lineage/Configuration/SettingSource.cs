namespace Lineage;

/// <summary>Where a resolved setting came from, highest precedence first.</summary>
public enum SettingSource
{
    /// <summary>Set in code on <see cref="LineageOptions"/>.</summary>
    Explicit,

    /// <summary>A <c>LINEAGE_*</c> environment variable.</summary>
    Environment,

    /// <summary>The project's configuration, compiled into the program.</summary>
    ProjectConfig,

    /// <summary>The user config file <c>{Home}/config.json</c>.</summary>
    UserConfig,

    /// <summary>Lineage's built-in default.</summary>
    Default,
}
