using System.Globalization;
using BenchmarkDotNet.Running;
using Lineage;
using Lineage.Benchmarks;

// dotnet run -c Release --project tests/Lineage.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/Lineage.Benchmarks -- --alternate CLASS [ROUNDS] [PARAM=VALUE]   (e.g. --alternate CatalogBenchmarks 30 Database=Sqlite)
// add --cpu to time this thread's CPU time instead of wall time (in-process work on a loaded machine; not for PostgreSQL)
// add --cpu-server to time the CPU time of this process and of the benchmark's PostgreSQL server (Database=PostgreSQL on a loaded machine)
// dotnet run -c Release --project tests/Lineage.Benchmarks -- --alternate-graph [ROUNDS]               (the same for LineageGraphBenchmarks)
// dotnet run -c Release --project tests/Lineage.Benchmarks -- --cli-start [ROUNDS] [CLI...]   (lineage ls as a whole process vs a hello-world program; several CLIs run interleaved; CliStartHarness)
// dotnet run -c Release --project tests/Lineage.Benchmarks -- --seed-catalog HOME   (CatalogBenchmarks' 100,000 versions in HOME's SQLite store, for lineage ui)
Alternation.CpuTime = args.Contains("--cpu");
Alternation.ServerCpuTime = args.Contains("--cpu-server");
args = [.. args.Where(a => a is not "--cpu" and not "--cpu-server")];
switch (args)
{
    case ["--seed-catalog", var seedHome]:
        SeedCatalog(seedHome);
        return;
    case ["--cli-start", ..]:
        CliStartHarness.Run(Rounds(args, 1), args.Length > 2 ? args[2..] : []);
        return;
    case ["--alternate-graph", ..]:
        Alternation.Run(typeof(LineageGraphBenchmarks), Rounds(args, 1), []);
        return;
    case ["--alternate", var name, ..]:
        var type = typeof(Program).Assembly.GetTypes().SingleOrDefault(t => t.Name == name)
            ?? throw new ArgumentException($"No benchmark class named {name}.");
        Alternation.Run(type, Rounds(args, 2), [.. args.Skip(2).Where(a => a.Contains('=', StringComparison.Ordinal))]);
        return;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return;
}

static int Rounds(string[] args, int at) =>
    args.Length > at && int.TryParse(args[at], NumberStyles.None, CultureInfo.InvariantCulture, out var rounds) ? rounds : 40;

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
