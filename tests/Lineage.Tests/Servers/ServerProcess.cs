namespace Lineage.Tests.Servers;

/// <summary>The rule for tests whose server cannot start: skip locally, fail under CI.</summary>
internal static class ServerProcess
{
    /// <summary>True under CI: a server that cannot start fails its tests instead of skipping them.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the test locally, fails it under CI, with the reason the server is unavailable.</summary>
    public static void Unavailable(string server, string reason)
    {
        var message = $"{server} is not available: {reason}";
        if (IsCi)
        {
            Assert.Fail(message + " (CI=true: tests that need it fail instead of skipping)");
        }

        Assert.Skip(message);
    }
}
