using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using Lineage;
using Lineage.Benchmarks;

// dotnet run -c Release --project tests/Lineage.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/Lineage.Benchmarks -- --alternate-graph [ROUNDS]
// dotnet run -c Release --project tests/Lineage.Benchmarks -- --seed-catalog HOME   (CatalogBenchmarks' 100,000 versions in HOME's SQLite store, for lineage ui)
if (args is ["--seed-catalog", var seedHome])
{
    SeedCatalog(seedHome);
    return;
}

if (args is ["--alternate-graph", ..])
{
    AlternateGraph(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 40);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

// A SQLite store at HOME's defaults (HOME/db.sqlite, HOME/artifacts) holding CatalogBenchmarks' rows: for measuring lineage ui's first page.
static void SeedCatalog(string home)
{
    var options = new LineageOptions { Home = home, DatabaseUrl = "sqlite:///" + Path.Combine(home, "db.sqlite"), ArtifactStorageDir = Path.Combine(home, "artifacts") };
    using (var store = ArtifactStore.Open(options))
    {
        // Opening runs the migrations; one real save registers the storage location the seeded rows point at.
        store.Save("catalog-seed", 0);
        store.Delete("catalog-seed", 1, permanent: true);
    }

    using var raw = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = Path.Combine(home, "db.sqlite"), Pooling = false }.ToString());
    raw.Open();
    CatalogSeed.Sqlite(raw);
}

// LineageGraphBenchmarks' two methods taken in turns in one process, 20 calls each per round, the order swapped every round:
// on a shared, loaded machine a load spike then hits both sides of a round, and the median of the rounds' ratios holds.
static void AlternateGraph(int rounds)
{
    const int Calls = 20;
    foreach (var database in new[] { BenchmarkDatabase.Postgres, BenchmarkDatabase.Sqlite })
    {
        var benchmarks = new LineageGraphBenchmarks { Database = database };
        benchmarks.Setup();
        try
        {
            var hand = new List<double>();
            var store = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                var handFirst = round % 2 == 0;
                for (var side = 0; side < 2; side++)
                {
                    var isHand = (side == 0) == handFirst;
                    var clock = Stopwatch.StartNew();
                    for (var i = 0; i < Calls; i++)
                    {
                        _ = isHand ? benchmarks.Hand_written_recursive_query() : (object)benchmarks.Store_graph();
                    }

                    (isHand ? hand : store).Add(clock.Elapsed.TotalMicroseconds / Calls);
                }
            }

            var ratios = hand.Zip(store, (h, s) => s / h).Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{database}: {rounds} rounds of {Calls}; hand-written median {Median(hand):F0} µs, store median {Median(store):F0} µs; ratio per round: median {Median(ratios):F2}, quartiles {ratios[rounds / 4]:F2}–{ratios[rounds * 3 / 4]:F2}, min {ratios[0]:F2}"));
        }
        finally
        {
            benchmarks.Cleanup();
        }
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
