namespace Lineage.Tests.Servers;

/// <summary>
/// A server that cannot start (Azurite, moto, PostgreSQL) skips its tests locally and fails them under CI=true. (The local
/// skip cannot be asserted from inside a test: xUnit records the skip for the asserting test itself.)
/// </summary>
public sealed class ServerUnavailableTests
{
    [Fact]
    public void Under_CI_a_server_that_cannot_start_fails_the_test()
    {
        var error = Assert.ThrowsAny<Exception>(() => ServerProcess.Unavailable("The Azure Blob emulator (Azurite)", "azurite-blob exited with code 1", ci: true));

        Assert.Contains("FailException", error.GetType().Name, StringComparison.Ordinal);
        Assert.Contains("Azurite) is not available: azurite-blob exited with code 1 (CI=true", error.Message, StringComparison.Ordinal);
    }
}
