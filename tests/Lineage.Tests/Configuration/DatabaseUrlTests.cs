using Lineage.Configuration;

namespace Lineage.Tests.Configuration;

/// <summary>database_url: SQLite and PostgreSQL URLs, clear errors, and passwords that never show.</summary>
public sealed class DatabaseUrlTests
{
    private const string Password = "s3cr3t";

    [Theory]
    [InlineData("postgresql://user:s3cr3t@localhost:5432/db")]
    [InlineData("postgres://user:s3cr3t@localhost:5432/db")]
    [InlineData("postgresql://user@localhost/db")]
    public void Both_postgres_schemes_select_PostgreSQL(string url)
    {
        using var sandbox = new ConfigSandbox();

        var resolved = sandbox.Resolve(new LineageOptions { DatabaseUrl = url });

        Assert.IsType<Lineage.Metadata.Postgres.PostgresBackend>(resolved.Database.Backend);
        Assert.Equal(url, resolved.DatabaseUrl);
        Assert.Null(resolved.Database.SqlitePath);
    }

    [Fact]
    public void Password_is_masked_in_MaskedDatabaseUrl_and_ToString()
    {
        using var sandbox = new ConfigSandbox();
        sandbox.Set(OptionsResolver.DatabaseUrlVariable, "postgresql://user:s3cr3t@localhost:5432/db");

        var resolved = sandbox.Resolve();

        Assert.Equal("postgresql://user:***@localhost:5432/db", resolved.MaskedDatabaseUrl);
        Assert.DoesNotContain(Password, resolved.ToString(), StringComparison.Ordinal);
        Assert.Contains("postgresql://user:***@localhost:5432/db (Environment)", resolved.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// An unescaped '@' makes the URL unreadable (LIN0001 says so at compile time; the run time now agrees when resolving,
    /// not only when opening), and the error still hides the whole password.
    /// </summary>
    [Fact]
    public void Password_containing_an_at_sign_is_masked_whole()
    {
        using var sandbox = new ConfigSandbox();

        var error = Assert.Throws<LineageConfigurationException>(
            () => sandbox.Resolve(new LineageOptions { DatabaseUrl = "postgresql://user:s3@cr3t@localhost/db" }));

        Assert.Contains("'postgresql://user:***@localhost/db' is not a PostgreSQL URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("cr3t", error.Message, StringComparison.Ordinal);
    }

    /// <summary>libpq accepts the password as a query parameter too; it must be masked like one in the user info.</summary>
    [Fact]
    public void Password_given_as_a_query_parameter_is_masked()
    {
        using var sandbox = new ConfigSandbox();

        var resolved = sandbox.Resolve(new LineageOptions { DatabaseUrl = "postgresql://localhost:5432/db?user=user&password=s3cr3t" });

        Assert.DoesNotContain(Password, resolved.MaskedDatabaseUrl, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, resolved.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql://user:s3cr3t@localhost:3306/db", "mysql")]
    [InlineData("postgresql+psycopg2://user:s3cr3t@localhost/db", "postgresql+psycopg2")]
    [InlineData("mssql://user:s3cr3t@localhost/db", "mssql")]
    public void Unsupported_scheme_is_an_error_naming_the_scheme_without_the_password(string url, string scheme)
    {
        using var sandbox = new ConfigSandbox();

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve(new LineageOptions { DatabaseUrl = url }));

        Assert.Contains($"'{scheme}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A typo in the scheme separator must not turn the masking off.</summary>
    [Theory]
    [InlineData("postgresql:/user:s3cr3t@localhost:5432/db")]
    [InlineData("postgresql//user:s3cr3t@localhost:5432/db")]
    public void Malformed_url_error_does_not_reveal_the_password(string url)
    {
        using var sandbox = new ConfigSandbox();

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve(new LineageOptions { DatabaseUrl = url }));

        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite://host/db.sqlite")]
    [InlineData("sqlite://user:s3cr3t@host/db.sqlite")]
    [InlineData("sqlite:db.sqlite")]
    public void Sqlite_url_without_three_slashes_is_an_error(string url)
    {
        using var sandbox = new ConfigSandbox();

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve(new LineageOptions { DatabaseUrl = url }));

        Assert.Contains("sqlite:///", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite:///:memory:")]
    [InlineData("sqlite:////:memory:")]
    [InlineData("sqlite:///")]
    public void Sqlite_url_naming_no_file_is_an_error(string url)
    {
        using var sandbox = new ConfigSandbox();

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve(new LineageOptions { DatabaseUrl = url }));

        Assert.Contains("names no database file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_database_url_in_the_config_file_is_an_error_without_the_password()
    {
        using var sandbox = new ConfigSandbox();
        ConfigSandbox.WriteConfig(sandbox.DefaultHome, """{ "database_url": "mysql://admin:s3cr3t@db.internal/lineage" }""");

        var error = Assert.Throws<LineageConfigurationException>(() => sandbox.Resolve());

        Assert.Contains("'mysql'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, error.Message, StringComparison.Ordinal);
    }
}
