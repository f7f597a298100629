using Lineage.Configuration;
using Lineage.Metadata.Postgres;
using Lineage.Testing;
using Lineage.Tests.Servers;
using Npgsql;

namespace Lineage.Tests.Backends;

public sealed class PostgresConnectionTests(PostgresServer postgres)
{
    [Fact]
    public async Task Unreachable_database_is_an_error_naming_the_masked_url_and_nothing_falls_back_to_sqlite()
    {
        using var home = new TestHome();
        var url = $"postgresql://lineage:{PostgresServer.Password}@127.0.0.1:{LocalServers.FreePort()}/nowhere";

        var error = await Assert.ThrowsAsync<LineageConfigurationException>(() => ArtifactStore.OpenAsync(home.Options(databaseUrl: url), TestContext.Current.CancellationToken));

        Assert.Contains("postgresql://lineage:***@127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.Password, error.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(home.Path, "*.sqlite", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Refused_login_is_an_error_naming_the_masked_url_and_the_cause()
    {
        using var home = new TestHome();
        var database = await postgres.CreateDatabaseAsync();
        var wrong = database.Replace(PostgresServer.Password, "not-the-password", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<LineageConfigurationException>(() => ArtifactStore.OpenAsync(home.Options(databaseUrl: wrong), TestContext.Current.CancellationToken));

        Assert.Contains("lineage:***@", error.Message, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_database_is_an_error_that_names_it()
    {
        using var home = new TestHome();
        var missing = PostgresServer.WithDatabase(await postgres.AdminUrlAsync(), "no_such_database");

        var error = await Assert.ThrowsAsync<LineageConfigurationException>(() => ArtifactStore.OpenAsync(home.Options(databaseUrl: missing), TestContext.Current.CancellationToken));

        Assert.Contains("no_such_database", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.Password, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Postgres_and_postgresql_schemes_open_the_same_database()
    {
        using var home = new TestHome();
        var url = await postgres.CreateDatabaseAsync();
        var alias = "postgres://" + url["postgresql://".Length..];

        await using (var first = await ArtifactStore.OpenAsync(home.Options(databaseUrl: url), TestContext.Current.CancellationToken))
        {
            await first.SaveAsync("greeting", "hello", TestContext.Current.CancellationToken);
        }

        await using var second = await ArtifactStore.OpenAsync(home.Options(databaseUrl: alias), TestContext.Current.CancellationToken);
        Assert.Equal("hello", await second.LoadAsync<string>("greeting", cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Url_encoded_credentials_with_reserved_characters_work()
    {
        using var home = new TestHome();
        var url = await postgres.CreateDatabaseAsync();
        var database = url[(url.LastIndexOf('/') + 1)..];
        const string role = "odd_user";
        const string password = "p@ss:w/rd%";
        await using (var admin = new NpgsqlConnection(PostgresServer.ToConnectionString(await postgres.AdminUrlAsync())))
        {
            await admin.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand($"DROP ROLE IF EXISTS {role}; CREATE ROLE {role} LOGIN PASSWORD '{password}'; ALTER DATABASE {database} OWNER TO {role};", admin);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var authority = url[(url.IndexOf('@') + 1)..];
        var encoded = $"postgresql://{role}:{Uri.EscapeDataString(password)}@{authority}";
        await using var store = await ArtifactStore.OpenAsync(home.Options(databaseUrl: encoded), TestContext.Current.CancellationToken);
        var record = await store.SaveAsync("value", 42, TestContext.Current.CancellationToken);

        Assert.Equal(1, record.Version);
        Assert.DoesNotContain("p@ss", store.Options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Query_parameters_map_to_connection_settings()
    {
        var location = DatabaseLocation.Parse(
            "postgresql://me:pw@db.example:6543/metrics?sslmode=require&application_name=lineage%20tests&connect_timeout=7&search_path=lineage", "/", "/");

        var settings = PostgresUrl.ToConnectionString(location);

        Assert.Equal(("db.example", 6543, "metrics", "me", "pw"), (settings.Host, settings.Port, settings.Database, settings.Username, settings.Password));
        Assert.Equal(SslMode.Require, settings.SslMode);
        Assert.Equal("lineage tests", settings.ApplicationName);
        Assert.Equal(7, settings.Timeout);
        Assert.Equal("lineage", settings.SearchPath);
    }

    [Fact]
    public void Unknown_query_parameter_is_an_error_naming_it_without_the_password()
    {
        var location = DatabaseLocation.Parse("postgresql://me:hunter2@localhost/db?sslmod=require", "/", "/");

        var error = Assert.Throws<LineageConfigurationException>(() => PostgresUrl.ToConnectionString(location));

        Assert.Contains("'sslmod'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_port_and_database_follow_libpq()
    {
        var settings = PostgresUrl.ToConnectionString(DatabaseLocation.Parse("postgres://alice@db.internal", "/", "/"));

        Assert.Equal((5432, "alice"), (settings.Port, settings.Database));
    }
}
