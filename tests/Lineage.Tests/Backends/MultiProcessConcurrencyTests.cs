using Lineage.Tests.Servers;

namespace Lineage.Tests.Backends;

/// <summary>Many processes saving one name at once against PostgreSQL: every save gets its own version, nothing is lost.</summary>
public sealed class MultiProcessConcurrencyTests(PostgresServer postgres, S3Server s3)
{
    private const int Processes = 4;
    private const int SavesEach = 50;

    public static TheoryData<Backend> PostgresBackends => new(
        new Backend(MetadataBackend.Postgres, ValueBackend.Local),
        new Backend(MetadataBackend.Postgres, ValueBackend.S3),
        new Backend(MetadataBackend.Postgres, ValueBackend.Azure));

    [Theory]
    [MemberData(nameof(PostgresBackends))]
    public async Task Four_processes_saving_one_name_get_versions_1_to_200_and_every_value_loads_its_own_content(Backend backend)
    {
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        ProgramRunner.WriteUserConfig(environment.Options());
        var childEnvironment = new Dictionary<string, string> { ["LINEAGE_HOME"] = environment.Home.Path };

        var runs = Enumerable.Range(0, Processes)
            .Select(writer => ProgramRunner.RunAsync("Lineage.SaveWorker", ["shared-name", SavesEach.ToString(), writer.ToString()], childEnvironment))
            .ToArray();
        var results = await Task.WhenAll(runs);

        foreach (var (exitCode, _, error) in results)
        {
            Assert.True(exitCode == 0, error);
        }

        var reported = results.SelectMany(r => r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, Processes * SavesEach), reported);

        await using var store = environment.Open();
        var versions = await store.VersionsAsync("shared-name", TestContext.Current.CancellationToken);
        Assert.Equal(Enumerable.Range(1, Processes * SavesEach), versions.Select(v => v.Version));

        var contents = new List<string>();
        foreach (var version in versions)
        {
            contents.Add(await store.LoadAsync<string>("shared-name", version.Version, TestContext.Current.CancellationToken));
        }

        var expected = Enumerable.Range(0, Processes).SelectMany(w => Enumerable.Range(0, SavesEach).Select(i => $"writer {w} save {i}"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), contents.Order(StringComparer.Ordinal));
    }
}
