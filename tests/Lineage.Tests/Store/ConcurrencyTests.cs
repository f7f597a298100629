using Lineage.Tests.Servers;

namespace Lineage.Tests.Store;

public sealed class ConcurrencyTests(PostgresServer postgres, S3Server s3)
{
    private const int Writers = 4;
    private const int SavesPerWriter = 25;

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Four_stores_saving_one_name_in_parallel_get_versions_1_to_100_each_with_its_own_value(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var stores = Enumerable.Range(0, Writers).Select(_ => environment.Open()).ToArray();
        try
        {
            var saves = stores.Select((store, writer) => Task.Run(async () =>
            {
                var records = new List<(ArtifactRecord Record, string Value)>();
                for (var index = 0; index < SavesPerWriter; index++)
                {
                    var value = $"writer {writer} save {index}";
                    records.Add((await store.SaveAsync("contended", value, ct), value));
                }

                return records;
            }, ct));

            var saved = (await Task.WhenAll(saves)).SelectMany(r => r).ToList();

            Assert.Equal(Enumerable.Range(1, Writers * SavesPerWriter), saved.Select(s => s.Record.Version).Order());
            Assert.Equal(Writers * SavesPerWriter, saved.Select(s => s.Record.Uid).Distinct().Count());
            Assert.Equal(Enumerable.Range(1, Writers * SavesPerWriter), stores[0].Versions("contended").Select(r => r.Version));
            foreach (var (record, value) in saved)
            {
                Assert.Equal(value, stores[(record.Version - 1) % Writers].Load<string>("contended", record.Version));
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Saves_of_each_writer_keep_their_order(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        var stores = Enumerable.Range(0, Writers).Select(_ => environment.Open()).ToArray();
        try
        {
            var saves = stores.Select((store, writer) => Task.Run(async () =>
            {
                var versions = new List<int>();
                for (var index = 0; index < 10; index++)
                {
                    versions.Add((await store.SaveAsync("ordered", (writer, index), ct)).Version);
                }

                return versions;
            }, ct));

            foreach (var versions in await Task.WhenAll(saves))
            {
                Assert.Equal(versions.Order(), versions);
            }
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task One_store_used_from_many_threads_assigns_distinct_versions(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);
        await using var store = environment.Open();

        var records = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => store.SaveAsync("shared", i, ct), ct)));

        Assert.Equal(Enumerable.Range(1, 40), records.Select(r => r.Version).Order());
        foreach (var (record, i) in records.Select((r, i) => (r, i)))
        {
            Assert.Equal(i, store.Load<int>("shared", record.Version));
        }
    }

    [Theory]
    [MemberData(nameof(Backend.All), MemberType = typeof(Backend))]
    public async Task Four_stores_opening_a_new_database_and_root_at_once_share_one_instance_and_one_migration(Backend backend)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var environment = await BackendEnvironment.CreateAsync(backend, postgres, s3);

        var stores = await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(() => ArtifactStore.OpenAsync(environment.Options(), ct), ct)));
        try
        {
            Assert.Single(stores.Select(s => s.InstanceUid).Distinct());
            Assert.All(stores, s => Assert.True(s.IsStorageWritable));
            Assert.Equal(1L, await environment.SqlAsync("SELECT COUNT(*) FROM schema_migrations WHERE version = 1;"));
            Assert.Equal(1L, await environment.SqlAsync("SELECT COUNT(*) FROM storages;"));
            Assert.Equal(1L, await environment.SqlAsync("SELECT COUNT(*) FROM instance;"));
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }
}
