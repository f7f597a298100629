using System.Globalization;
using BenchmarkDotNet.Running;
using Lineage.Benchmarks;

// dotnet run -c Release --project tests/Lineage.Benchmarks -- --filter '*'
// dotnet run -c Release --project tests/Lineage.Benchmarks -- --alternate CLASS [ROUNDS] [PARAM=VALUE]   (e.g. --alternate CatalogBenchmarks 30 Database=Sqlite)
// add --cpu to time this thread's CPU time instead of wall time (in-process work on a loaded machine; not for PostgreSQL)
// dotnet run -c Release --project tests/Lineage.Benchmarks -- --alternate-graph [ROUNDS]               (the same for LineageGraphBenchmarks)
Alternation.CpuTime = args.Contains("--cpu");
args = [.. args.Where(a => a != "--cpu")];
switch (args)
{
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
