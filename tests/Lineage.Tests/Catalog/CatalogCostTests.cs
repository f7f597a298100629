using System.Collections.Concurrent;
using System.Diagnostics;
using Lineage.Tests.Servers;
using Npgsql;

namespace Lineage.Tests.Catalog;

/// <summary>What resolving a reference and saving metadata cost on PostgreSQL, in statements sent to the server.</summary>
public sealed class CatalogCostTests(PostgresServer postgres)
{
    [Fact]
    public async Task Resolving_name_at_alias_costs_one_statement_as_name_at_version_does()
    {
        var url = await postgres.CreateDatabaseAsync();
        using var home = new TestHome();
        using var store = home.Open(url);
        store.Save("model", 1);
        store.Save("model", 2);
        store.Save("model", 3);
        store.Aliases.Set("model", "production", 2);
        using var statements = new StatementCounter(DatabaseOf(url));

        var (byVersion, versionStatements) = statements.During(() => store.Get("model@3"));
        var (byAlias, aliasStatements) = statements.During(() => store.Get("model@production"));

        Assert.Equal(3, byVersion.Version);
        Assert.Equal(2, byAlias.Version);
        Assert.Equal(["production"], byAlias.Aliases);
        Assert.Single(versionStatements);
        Assert.Single(aliasStatements);
    }

    [Fact]
    public async Task A_save_with_metadata_sends_as_many_statements_as_one_without_and_indexes_it()
    {
        var url = await postgres.CreateDatabaseAsync();
        using var home = new TestHome();
        using var store = home.Open(url);
        store.Save("warm", 0, new SaveOptions { Metadata = { ["accuracy"] = 0.5 } });
        store.Save("warm", 0);
        using var statements = new StatementCounter(DatabaseOf(url));

        // The fewest of three each: a refresh of what the store remembers between saves is not a per-save cost.
        int Cheapest(Func<ArtifactRecord> save) => Enumerable.Range(0, 3).Min(_ => statements.During(save).Statements.Count);
        var without = Cheapest(() => store.Save("plain", 0));
        var with = Cheapest(() => store.Save("scored", 0, new SaveOptions { Metadata = { ["accuracy"] = 0.9, ["dataset"] = "iris", ["quantized"] = true } }));

        Assert.True(without > 0, "Npgsql reported no command for a save: the counter does not see the store's commands.");
        Assert.Equal(without, with);
        Assert.Equal(3, store.Find(new ArtifactQuery { Where = "accuracy > 0.8 and dataset = 'iris' and quantized = true", AllVersions = true }).Count);
    }

    [Fact]
    public async Task A_load_by_name_or_version_costs_one_statement_that_checks_the_space_too()
    {
        var url = await postgres.CreateDatabaseAsync();
        using var home = new TestHome();
        using var store = home.Open(url);
        store.Save("model", 41);
        store.Save("model", 42);
        store.Load<int>("model");
        using var statements = new StatementCounter(DatabaseOf(url));

        var (latest, latestStatements) = statements.During(() => store.Load<int>("model"));
        var (first, firstStatements) = statements.During(() => store.Load<int>("model", 1));

        Assert.Equal((42, 41), (latest, first));
        Assert.Contains("space_members", Assert.Single(latestStatements), StringComparison.Ordinal);
        Assert.Contains("space_members", Assert.Single(firstStatements), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_load_from_a_space_the_user_is_not_in_is_refused_by_the_lookup_statement_itself()
    {
        var url = await postgres.CreateDatabaseAsync();
        using var home = new TestHome();
        var aliceOptions = home.Options(url);
        aliceOptions.User = "alice";
        var bobOptions = home.Options(url);
        bobOptions.User = "bob";
        using var alice = ArtifactStore.Open(aliceOptions);
        using var bob = ArtifactStore.Open(bobOptions);
        alice.Save("model", 42);
        Assert.Equal(42, bob.Load<int>("model"));
        alice.Spaces.Add("team");
        alice.Storages.SetSpace(alice.Options.ArtifactStorageDir, "team");
        using var statements = new StatementCounter(DatabaseOf(url));

        var (refused, refusedStatements) = statements.During(() => Record.Exception(() => bob.Load<int>("model")));
        var (allowed, allowedStatements) = statements.During(() => alice.Load<int>("model"));

        var denied = Assert.IsType<SpaceAccessDeniedException>(refused);
        Assert.Equal(("bob", "team"), (denied.User, denied.Space));
        Assert.Single(refusedStatements);
        Assert.Equal(42, allowed);
        Assert.Single(allowedStatements);
    }

    [Fact]
    public async Task The_counter_sees_every_statement_on_its_database_and_none_on_another()
    {
        var url = await postgres.CreateDatabaseAsync();
        var other = await postgres.CreateDatabaseAsync();
        using var statements = new StatementCounter(DatabaseOf(url));

        var (_, counted) = statements.During(() =>
        {
            Execute(url, "SELECT 1;", "SELECT 2;");
            Execute(other, "SELECT 3;");
            return 0;
        });

        Assert.Equal(["SELECT 1;", "SELECT 2;"], counted);
    }

    private static string DatabaseOf(string url) => new NpgsqlConnectionStringBuilder(PostgresServer.ToConnectionString(url)).Database!;

    private static void Execute(string url, params string[] sql)
    {
        using var connection = new NpgsqlConnection(PostgresServer.ToConnectionString(url));
        connection.Open();
        foreach (var text in sql)
        {
            using var command = new NpgsqlCommand(text, connection);
            command.ExecuteScalar();
        }
    }

    /// <summary>
    /// Counts the commands Npgsql sends to one database, from its own tracing: one activity per command, tagged with the
    /// database and the SQL. Connection opens (activities without SQL) and other tests' databases are left out.
    /// </summary>
    private sealed class StatementCounter : IDisposable
    {
        private readonly string _database;
        private readonly ActivityListener _listener;
        private ConcurrentQueue<string>? _recording;

        public StatementCounter(string database)
        {
            _database = database;
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Npgsql",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Record,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        /// <summary>Runs <paramref name="action"/> and returns its result with the SQL of each command it sent to the database.</summary>
        public (T Result, IReadOnlyList<string> Statements) During<T>(Func<T> action)
        {
            var recording = new ConcurrentQueue<string>();
            _recording = recording;
            try
            {
                return (action(), recording.ToArray());
            }
            finally
            {
                _recording = null;
            }
        }

        public void Dispose() => _listener.Dispose();

        private void Record(Activity activity)
        {
            if (_recording is { } recording
                && activity.GetTagItem("db.query.text") is string sql
                && string.Equals(activity.GetTagItem("db.namespace") as string, _database, StringComparison.Ordinal))
            {
                recording.Enqueue(sql);
            }
        }
    }
}
