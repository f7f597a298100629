namespace Lineage.Tests.Servers;

/// <summary>The rule for tests whose server cannot start: skip locally, fail under CI.</summary>
internal static class ServerProcess
{
    /// <summary>True under CI: a server that cannot start fails its tests instead of skipping them.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the test locally, fails it under CI, with the reason the server is unavailable.</summary>
    public static void Unavailable(string server, string reason) => Unavailable(server, reason, IsCi);

    /// <summary>Skips the test, or fails it when <paramref name="ci"/>, with the reason the server is unavailable.</summary>
    public static void Unavailable(string server, string reason, bool ci)
    {
        var message = $"{server} is not available: {reason}";
        if (ci)
        {
            Assert.Fail(message + " (CI=true: tests that need it fail instead of skipping)");
        }

        Assert.Skip(message);
    }
}

/// <summary>
/// Starts a server the first time a test asks for it and remembers the outcome: later callers get the same
/// server, or the same reason it is unavailable (skip locally, fail under CI).
/// </summary>
internal sealed class StartOnce<T>(string server, Func<Task<T>> start)
    where T : class
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private T? _value;
    private string? _failure;
    private bool _attempted;

    public async Task<T> GetAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (!_attempted)
            {
                _attempted = true;
                try
                {
                    _value = await start();
                }
                catch (Exception e)
                {
                    _failure = e.Message;
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        if (_value is null)
        {
            ServerProcess.Unavailable(server, _failure ?? "unknown reason");
        }

        return _value!;
    }
}
