using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;

namespace Lineage.Benchmarks;

/// <summary>
/// A benchmark class's methods taken in turns against their baseline in one process: for each parameter value, after one
/// global setup, each round times the baseline and the method (enough calls for about 20 ms each), the order swapped every
/// round. On a shared, loaded machine a load spike then hits both sides of a round, and the median of the rounds' ratios holds
/// where BenchmarkDotNet, which times the two minutes apart, does not. Categories pair a method with its category's baseline.
/// </summary>
internal static partial class Alternation
{
    private static readonly TimeSpan Side = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// With <c>--cpu</c>, this thread's CPU time instead of wall time: on a machine loaded by other work, the time a single-threaded
    /// in-process call (SQLite, hashing) spends on the CPU is what it costs; waiting for a server is not counted, so not for PostgreSQL.
    /// </summary>
    public static bool CpuTime { get; set; }

    /// <summary>
    /// With <c>--cpu-server</c>, this process's CPU time (every thread: Npgsql's I/O and continuations run on the pool) plus that
    /// of the benchmark's database server (<see cref="ServerProcessId"/> and its children, the backends, from
    /// <c>/proc/PID/schedstat</c> in nanoseconds): what a call costs client and server together, which a loaded machine's wait for
    /// a core does not inflate. For PostgreSQL on loopback, where wall time measures the machine's other work.
    /// </summary>
    public static bool ServerCpuTime { get; set; }

    /// <summary>The database server whose processes <see cref="ServerCpuTime"/> counts (set by the PostgreSQL benchmark database).</summary>
    public static int? ServerProcessId { get; set; }

    private static int[] _serverProcesses = [];

    public static void Run(Type type, int rounds, IReadOnlyList<string> only)
    {
        var methods = type.GetMethods().Where(m => m.GetCustomAttribute<BenchmarkAttribute>() is not null).ToList();
        var setup = type.GetMethods().SingleOrDefault(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null);
        var cleanup = type.GetMethods().SingleOrDefault(m => m.GetCustomAttribute<GlobalCleanupAttribute>() is not null);
        foreach (var assignment in ParameterValues(type, only))
        {
            var instance = Activator.CreateInstance(type)!;
            foreach (var (property, value) in assignment)
            {
                property.SetValue(instance, value);
            }

            var label = string.Join(", ", assignment.Select(p => $"{p.Property.Name}={p.Value}"));
            setup?.Invoke(instance, null);
            try
            {
                foreach (var group in methods.GroupBy(Category))
                {
                    var baseline = group.SingleOrDefault(m => m.GetCustomAttribute<BenchmarkAttribute>()!.Baseline);
                    if (baseline is null)
                    {
                        continue;
                    }

                    foreach (var method in group.Where(m => m != baseline))
                    {
                        Compare(instance, baseline, method, rounds, $"{label}{(group.Key.Length > 0 ? " [" + group.Key + "]" : string.Empty)}");
                    }
                }
            }
            finally
            {
                cleanup?.Invoke(instance, null);
            }
        }
    }

    private static void Compare(object instance, MethodInfo baseline, MethodInfo method, int rounds, string label)
    {
        var calls = Math.Max(Calibrate(instance, baseline), Calibrate(instance, method));
        var times = (Baseline: new List<double>(), Method: new List<double>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var isBaseline in round % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var target = isBaseline ? baseline : method;
                FindServerProcesses();
                var start = Now();
                for (var i = 0; i < calls; i++)
                {
                    Call(instance, target);
                }

                (isBaseline ? times.Baseline : times.Method).Add((Now() - start) / calls);
            }
        }

        var ratios = times.Baseline.Zip(times.Method, (b, m) => m / b).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {method.Name} vs {baseline.Name}{(ServerCpuTime ? " (CPU time of this process and the server)" : CpuTime ? " (thread CPU time)" : string.Empty)}, {rounds} rounds of {calls}: baseline median {Median(times.Baseline):F1} µs, method median {Median(times.Method):F1} µs; ratio per round: median {Median(ratios):F2}, quartiles {ratios[rounds / 4]:F2}–{ratios[rounds * 3 / 4]:F2}, min {ratios[0]:F2}"));
    }

    /// <summary>How many calls take about <see cref="Side"/> (after a first, warming call).</summary>
    private static int Calibrate(object instance, MethodInfo method)
    {
        Call(instance, method);
        var clock = Stopwatch.StartNew();
        var calls = 0;
        while (clock.Elapsed < Side || calls < 3)
        {
            Call(instance, method);
            calls++;
        }

        return calls;
    }

    /// <summary>One call, waited for when the benchmark is asynchronous (as BenchmarkDotNet does).</summary>
    private static void Call(object instance, MethodInfo method)
    {
        if (method.Invoke(instance, null) is Task task)
        {
            task.GetAwaiter().GetResult();
        }
    }

    /// <summary>Microseconds: wall-clock, or this thread's CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>) with <see cref="CpuTime"/>.</summary>
    private static double Now()
    {
        if (ServerCpuTime)
        {
            return ClockMicroseconds(ProcessCpuTimeClock) + _serverProcesses.Sum(ScheduledMicroseconds);
        }

        if (!CpuTime)
        {
            return Stopwatch.GetTimestamp() * 1e6 / Stopwatch.Frequency;
        }

        return ClockMicroseconds(ThreadCpuTimeClock);
    }

    private static double ClockMicroseconds(int clock) =>
        ClockGetTime(clock, out var time) == 0 ? time.Seconds * 1e6 + time.Nanoseconds / 1e3 : throw new InvalidOperationException($"clock_gettime({clock}) failed.");

    /// <summary>
    /// The server and its children as they are now (before each timed side, so a backend a pool opened since is counted; one that
    /// starts during the side is not, and calibration has opened the pool's connections by then).
    /// </summary>
    private static void FindServerProcesses()
    {
        if (!ServerCpuTime)
        {
            return;
        }

        var server = ServerProcessId ?? throw new InvalidOperationException("--cpu-server needs a benchmark with a database server (Database=PostgreSQL).");
        var found = new List<int> { server };
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && ParentOf(pid) == server)
            {
                found.Add(pid);
            }
        }

        _serverProcesses = [.. found];
    }

    /// <summary>The parent in <c>/proc/PID/stat</c> (the field after the state, which follows the parenthesized command name).</summary>
    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }

    /// <summary>Time a single-threaded process has run on a CPU (<c>/proc/PID/schedstat</c>, first field, nanoseconds); 0 once it has ended.</summary>
    private static double ScheduledMicroseconds(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/schedstat");
            return long.Parse(text.AsSpan(0, text.IndexOf(' ')), CultureInfo.InvariantCulture) / 1e3;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private const int ProcessCpuTimeClock = 2;
    private const int ThreadCpuTimeClock = 3;

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    private static string Category(MethodInfo method) =>
        string.Join(", ", method.GetCustomAttributes<BenchmarkCategoryAttribute>().SelectMany(c => c.Categories));

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>Every combination of the class's [Params]/[ParamsAllValues] properties, narrowed by NAME=VALUE arguments.</summary>
    private static IEnumerable<List<(PropertyInfo Property, object? Value)>> ParameterValues(Type type, IReadOnlyList<string> only)
    {
        IEnumerable<List<(PropertyInfo Property, object? Value)>> combinations = [[]];
        foreach (var property in type.GetProperties())
        {
            object?[]? values = property.GetCustomAttribute<ParamsAttribute>()?.Values
                ?? (property.GetCustomAttribute<ParamsAllValuesAttribute>() is not null
                    ? property.PropertyType == typeof(bool) ? [false, true] : [.. Enum.GetValues(property.PropertyType).Cast<object>()]
                    : null);
            if (values is null)
            {
                continue;
            }

            var wanted = only.Select(a => a.Split('=', 2)).Where(p => p[0] == property.Name).Select(p => p[1]).ToList();
            var chosen = values.Where(v => wanted.Count == 0 || wanted.Contains(Convert.ToString(v, CultureInfo.InvariantCulture)!)).ToList();
            combinations = combinations.SelectMany(c => chosen.Select(v => new List<(PropertyInfo, object?)>(c) { (property, v) })).ToList();
        }

        return combinations;
    }
}
