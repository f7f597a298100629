using System.Text;
using Lineage.Tests.Servers;
using Microsoft.Extensions.Logging;

namespace Lineage.Tests.Telemetry;

/// <summary>The store logs through <see cref="LineageOptions.LoggerFactory"/>: each event at its level, never a secret, never a value.</summary>
public sealed class LoggingTests(PostgresServer postgres, S3Server s3)
{
    private static readonly ArtifactCode Code = new("code-log-1", "static string Train(string text) => text.ToUpperInvariant();");

    [Fact]
    public async Task Saves_loads_and_cache_lookups_log_at_Debug_claims_migrations_and_gc_at_Information_and_a_bad_marker_at_Warning()
    {
        using var home = new TestHome();
        var log = new LogCapture();
        var options = home.Options();
        options.LoggerFactory = log;
        var value = "value-never-logged-" + Guid.NewGuid().ToString("N");
        var ct = TestContext.Current.CancellationToken;

        await using (var store = await ArtifactStore.OpenAsync(options, ct))
        {
            var saved = await store.SaveAsync("notes", value, ct);
            Assert.Equal(value, await store.LoadAsync<string>("notes", cancellationToken: ct));
            using (var inputs = new InputHasher().Add(value))
            {
                Assert.Equal(value.ToUpperInvariant(), store.GetOrCompute("upper", Code, inputs, () => value.ToUpperInvariant()));
            }

            using (var inputs = new InputHasher().Add(value))
            {
                Assert.Equal(value.ToUpperInvariant(), store.GetOrCompute("upper", Code, inputs, () => "not computed again"));
            }

            await File.WriteAllTextAsync(Path.Combine(home.Sub("artifacts"), ".lineage", "stray.bin"), value, ct);
            Assert.Single(await store.FindUnreferencedValuesAsync(TimeSpan.Zero, delete: true, ct));

            var junkRoot = home.Sub("junk-root");
            Directory.CreateDirectory(Path.Combine(junkRoot, ".lineage"));
            await File.WriteAllTextAsync(Path.Combine(junkRoot, ".lineage", "storage.json"), "not a marker", ct);
            store.Storages.Add(junkRoot);

            var moved = store.Storages.Migrate(home.Sub("artifacts"), home.Sub("elsewhere"), new MigrationOptions { RegisterDestination = true });
            Assert.Equal(2, moved.Moved);

            var savedLine = Assert.Single(log.Named("ArtifactSaved"), l => l.Message.Contains("notes", StringComparison.Ordinal));
            Assert.Equal((LogLevel.Debug, LineageTelemetry.ArtifactsCategory), (savedLine.Level, savedLine.Category));
            Assert.Equal($"Saved notes version 1: {saved.Size} bytes to {home.Sub("artifacts")}", savedLine.Message);
        }

        Assert.Equal(LogLevel.Debug, Assert.Single(log.Named("ArtifactLoaded"), l => l.Message.Contains("notes", StringComparison.Ordinal)).Level);
        // The hit loads version 1 of "upper": a load event of its own.
        Assert.Single(log.Named("ArtifactLoaded"), l => l.Message.StartsWith("Loaded upper version 1", StringComparison.Ordinal));
        var miss = Assert.Single(log.Named("CacheMiss"));
        Assert.Equal((LogLevel.Debug, "GetOrCompute upper: cache miss for code code-log-1; computing"), (miss.Level, miss.Message));
        var hit = Assert.Single(log.Named("CacheHit"));
        Assert.Equal((LogLevel.Debug, "GetOrCompute upper: cache hit, version 1 computed by code code-log-1"), (hit.Level, hit.Message));

        var opened = Assert.Single(log.Named("StoreOpened"));
        Assert.Equal((LogLevel.Information, LineageTelemetry.MetadataCategory), (opened.Level, opened.Category));
        Assert.NotEmpty(log.Named("SchemaMigrationApplied"));
        Assert.All(log.Named("SchemaMigrationApplied"), l => Assert.Equal(LogLevel.Information, l.Level));
        Assert.Equal(
            [home.Sub("artifacts"), home.Sub("elsewhere")],
            log.Named("RootClaimed").Select(l => (string)l.State.Single(p => p.Key == "StorageRoot").Value!));
        Assert.All(log.Named("RootClaimed"), l => Assert.Equal((LogLevel.Information, LineageTelemetry.StorageCategory), (l.Level, l.Category)));
        Assert.Equal(LogLevel.Information, Assert.Single(log.Named("GcFound")).Level);
        Assert.Equal("gc removed 1 unreferenced value(s) (" + Encoding.UTF8.GetByteCount(value) + " bytes)", Assert.Single(log.Named("GcRemoved")).Message);
        Assert.Equal(LogLevel.Information, Assert.Single(log.Named("MigrationStarted")).Level);
        var finished = Assert.Single(log.Named("MigrationFinished"));
        Assert.Equal(LogLevel.Information, finished.Level);
        Assert.StartsWith($"Migrated 2 of 2 artifact(s) from {home.Sub("artifacts")} to {home.Sub("elsewhere")}", finished.Message, StringComparison.Ordinal);
        var junk = Assert.Single(log.Named("RootReadOnly"));
        Assert.Equal(LogLevel.Warning, junk.Level);
        Assert.Contains("is not a Lineage marker", junk.Message, StringComparison.Ordinal);

        Assert.DoesNotContain(log.Lines, l => l.ToString().Contains(value, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task No_log_line_holds_the_PostgreSQL_password_the_S3_secret_key_or_the_value()
    {
        await using var environment = await BackendEnvironment.CreateAsync(new Backend(MetadataBackend.Postgres, ValueBackend.S3), postgres, s3);
        var log = new LogCapture();
        var options = environment.Options();
        options.LoggerFactory = log;
        Assert.Contains(PostgresServer.Password, options.DatabaseUrl, StringComparison.Ordinal);
        Assert.Equal(s3.SecretKey, options.StorageOptions["secret"]);
        var value = "value-never-logged-" + Guid.NewGuid().ToString("N");
        var ct = TestContext.Current.CancellationToken;

        await using (var store = await ArtifactStore.OpenAsync(options, ct))
        {
            await store.SaveAsync("notes", value, ct);
            await store.LoadAsync<string>("notes", cancellationToken: ct);
            using (var inputs = new InputHasher().Add(value))
            {
                store.GetOrCompute("upper", Code, inputs, () => value.ToUpperInvariant());
            }

            using (var inputs = new InputHasher().Add(value))
            {
                store.GetOrCompute("upper", Code, inputs, () => value.ToUpperInvariant());
            }

            var junkRoot = await environment.NewRootAsync();
            await environment.WriteValueAsync(junkRoot, ".lineage/storage.json", Encoding.UTF8.GetBytes("not a marker"));
            store.Storages.Add(junkRoot);
            store.Storages.Migrate(environment.Root, await environment.NewRootAsync(), new MigrationOptions { RegisterDestination = true });
            await store.FindUnreferencedValuesAsync(TimeSpan.Zero, delete: true, ct);
        }

        // Every kind of event this run can give was given, so the check below looked at them all.
        Assert.Equal(
            ["ArtifactLoaded", "ArtifactSaved", "CacheHit", "CacheMiss", "GcFound", "GcRemoved", "MigrationFinished", "MigrationStarted", "RootClaimed", "RootReadOnly", "SchemaMigrationApplied", "StoreOpened"],
            log.Lines.Select(l => l.EventId.Name!).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(":***@", Assert.Single(log.Named("StoreOpened")).Message, StringComparison.Ordinal);
        Assert.All(log.Lines, line =>
        {
            var text = line.ToString();
            Assert.DoesNotContain(PostgresServer.Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(s3.SecretKey, text, StringComparison.Ordinal);
            Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase);
        });
    }
}
