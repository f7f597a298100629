using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Lineage.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
