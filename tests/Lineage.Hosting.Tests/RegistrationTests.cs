using Lineage.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Lineage.Hosting.Tests;

/// <summary><c>services.AddLineage(...)</c>: one store per container, opened at host start, disposed with the container.</summary>
public sealed class RegistrationTests
{
    [Fact]
    public async Task AddLineage_registers_one_store_that_opens_at_host_start_and_that_the_container_disposes()
    {
        using var home = new TestHome();
        ArtifactStore store;
        using (var host = TestHosts.Build(services => services.AddLineage(o =>
        {
            o.Home = home.Path;
            o.DatabaseUrl = "sqlite:///" + home.Sub("meta.sqlite");
        })))
        {
            Assert.False(File.Exists(home.Sub("meta.sqlite")));
            await host.StartAsync(TestContext.Current.CancellationToken);
            Assert.True(File.Exists(home.Sub("meta.sqlite")));

            store = host.Services.GetRequiredService<ArtifactStore>();
            Assert.Same(store, host.Services.GetRequiredService<ArtifactStore>());
            store.Save("hosted", 7);
            Assert.Equal(home.Sub("artifacts"), store.Options.ArtifactStorageDir);
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.Throws<ObjectDisposedException>(() => store.Load<int>("hosted"));
        using var reopened = home.Open(databaseUrl: "sqlite:///" + home.Sub("meta.sqlite"));
        Assert.Equal(7, reopened.Load<int>("hosted"));
    }

    [Fact]
    public void A_section_read_from_appsettings_json_binds_the_LineageOptions_property_names_and_storage_options()
    {
        using var home = new TestHome();
        var settings = home.Sub("appsettings.json");
        File.WriteAllText(settings, $$"""
            {
              "Logging": { "LogLevel": { "Default": "Information" } },
              "Lineage": {
                "Home": "{{Json(home.Path)}}",
                "DatabaseUrl": "sqlite:///{{Json(home.Sub("catalog.sqlite"))}}",
                "ArtifactStorageDir": "{{Json(home.Sub("values"))}}",
                "User": "model-service",
                "StorageOptions": { "region": "eu-west-1", "endpoint_url": "http://127.0.0.1:9", "force_path_style": "true" }
              }
            }
            """);
        var configuration = new ConfigurationBuilder().AddJsonFile(settings).Build();
        using var provider = new ServiceCollection().AddLineage(configuration.GetSection("Lineage")).Services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<LineageOptions>>().Value;
        Assert.Equal(["endpoint_url=http://127.0.0.1:9", "force_path_style=true", "region=eu-west-1"], options.StorageOptions.Select(o => $"{o.Key}={o.Value}").Order(StringComparer.Ordinal));
        var store = provider.GetRequiredService<ArtifactStore>();
        Assert.Equal(home.Sub("catalog.sqlite"), store.Options.DatabaseUrl["sqlite:///".Length..]);
        Assert.Equal(home.Sub("values"), store.Options.ArtifactStorageDir);
        Assert.Equal("model-service", store.Options.User);
        Assert.Equal("eu-west-1", store.Options.StorageOptions["region"]);
        Assert.Equal(SettingSource.Explicit, store.Options.DatabaseUrlSource);
        Assert.Equal("model-service", store.Save("bound", "yes").CreatedBy);
    }

    [Fact]
    public void What_the_section_leaves_out_resolves_from_the_lower_levels_and_what_it_states_wins_over_them()
    {
        using var home = new TestHome();
        File.WriteAllText(home.Sub("config.json"), $$"""
            { "database_url": "sqlite:///from-user-config.sqlite", "artifact_storage_dir": "values-from-user-config" }
            """);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lineage:Home"] = home.Path,
            ["Lineage:DatabaseUrl"] = "sqlite:///" + home.Sub("from-section.sqlite"),
        }).Build();
        using var provider = new ServiceCollection().AddLineage(configuration.GetSection("Lineage")).Services.BuildServiceProvider();

        var store = provider.GetRequiredService<ArtifactStore>();

        Assert.Equal(SettingSource.Explicit, store.Options.DatabaseUrlSource);
        Assert.EndsWith("from-section.sqlite", store.Options.DatabaseUrl, StringComparison.Ordinal);
        Assert.Equal(SettingSource.UserConfig, store.Options.ArtifactStorageDirSource);
        Assert.Equal(home.Sub("values-from-user-config"), store.Options.ArtifactStorageDir);
    }

    [Fact]
    public async Task A_bad_section_fails_the_host_at_start_with_the_message_the_store_gives()
    {
        using var home = new TestHome();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lineage:Home"] = home.Path,
            ["Lineage:ArtifactStorageDir"] = home.Sub("values"),
            ["Lineage:StorageOptions:endpoint"] = "http://127.0.0.1:9",
        }).Build();
        var storeSays = Assert.Throws<LineageConfigurationException>(() => ArtifactStore.Open(new LineageOptions
        {
            Home = home.Path,
            ArtifactStorageDir = home.Sub("values"),
            StorageOptions = { ["endpoint"] = "http://127.0.0.1:9" },
        })).Message;
        using var host = TestHosts.Build(services => services.AddLineage(configuration.GetSection("Lineage")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(storeSays, error.Message);
        Assert.Contains("endpoint_url", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(home.Path));
    }

    [Fact]
    public async Task A_key_that_is_no_LineageOptions_property_fails_the_host_at_start()
    {
        using var home = new TestHome();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Lineage:Home"] = home.Path,
            ["Lineage:DatabseUrl"] = "sqlite:///typo.sqlite",
        }).Build();
        using var host = TestHosts.Build(services => services.AddLineage(configuration.GetSection("Lineage")));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("DatabseUrl", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(home.Sub("db.sqlite")));
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_fails_the_host_at_start_with_the_stores_message_and_no_password()
    {
        using var home = new TestHome();
        var url = $"postgresql://lineage:Hosting-Secret-7@127.0.0.1:{Lineage.Testing.LocalServers.FreePort()}/lineage";
        using var host = TestHosts.Build(services => services.AddLineage(o =>
        {
            o.Home = home.Path;
            o.DatabaseUrl = url;
        }));

        var error = await Assert.ThrowsAsync<LineageConfigurationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(url.Replace("Hosting-Secret-7", "***", StringComparison.Ordinal), error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Hosting-Secret-7", error.Message, StringComparison.Ordinal);
    }

    private static string Json(string path) => path.Replace("\\", "\\\\", StringComparison.Ordinal);
}
