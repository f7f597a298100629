using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Lineage.Benchmarks;

/// <summary>
/// <c>lineage</c> as a whole process (start, open the store, list, print, exit) against a hello-world .NET program built in the
/// same run with the same settings: <c>ls</c> on a store with one name, and <c>ls --json</c> on a store with 20,000 names. The
/// three programs run in turns, the order rotated every round, so that a load spike on this shared machine hits all of them;
/// the report gives each one's median and its ratio to the hello-world's median, and the median of the per-round ratios, for wall
/// time and for CPU time (user + system of the child, from getrusage): on a loaded machine wall time waits for other work, CPU
/// time mostly does not.
/// <code>
/// dotnet build -c Release src/Lineage.Cli
/// dotnet run -c Release --project tests/Lineage.Benchmarks -- --cli-start [ROUNDS] [CLI...]   (CLI: the tool's executable; default the Release build's)
/// </code>
/// Several CLIs (a build before a change and one after it) run in the same rotation, so their rows compare within one pass.
/// <code>
/// </code>
/// </summary>
internal static partial class CliStartHarness
{
    private const int RusageChildren = -1;

    public const int Names = 20_000;

    public static void Run(int rounds, IReadOnlyList<string> clis)
    {
        if (clis.Count == 0)
        {
            clis = [Path.Combine(RepositoryRoot(), "src", "Lineage.Cli", "bin", "Release", "net10.0", OperatingSystem.IsWindows() ? "Lineage.Cli.exe" : "Lineage.Cli")];
        }

        if (clis.FirstOrDefault(c => !File.Exists(c)) is { } missing)
        {
            throw new FileNotFoundException($"No lineage executable at {missing}: build it first (dotnet build -c Release src/Lineage.Cli).", missing);
        }

        var work = Path.Combine(Path.GetTempPath(), "lineage-cli-start-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            var hello = BuildHelloWorld(Path.Combine(work, "hello"));
            var floor = BuildFloor(Path.Combine(work, "floor"));
            var tiny = Path.Combine(work, "tiny");
            var large = Path.Combine(work, "large");
            Seed(tiny, names: 1);
            Seed(large, Names);

            (string Label, string Program, string[] Args, string? Home)[] programs =
            [
                ("hello world (baseline)", hello, [], null),
                ("floor: ls, 1 name", floor, [], tiny),
                ($"floor: ls --json, {Names:N0} names", floor, ["--json"], large),
                .. clis.SelectMany((cli, i) => new (string, string, string[], string?)[]
                {
                    ($"lineage ls, 1 name{Which(i)}", cli, ["ls"], tiny),
                    ($"lineage ls --json, {Names:N0} names{Which(i)}", cli, ["ls", "--json"], large),
                }),
            ];

            // One run each first: the page cache holds every file, as it does for a user who runs the tool often.
            foreach (var program in programs)
            {
                Time(program.Program, program.Args, program.Home);
            }

            var wall = programs.Select(_ => new List<double>()).ToArray();
            var cpu = programs.Select(_ => new List<double>()).ToArray();
            var loadBefore = LoadAverage();
            for (var round = 0; round < rounds; round++)
            {
                for (var i = 0; i < programs.Length; i++)
                {
                    var at = (i + round) % programs.Length;
                    var (elapsed, processor) = Time(programs[at].Program, programs[at].Args, programs[at].Home);
                    wall[at].Add(elapsed);
                    cpu[at].Add(processor);
                }
            }

            Console.WriteLine($"CLI start: {rounds} rounds, load average {loadBefore} before, {LoadAverage()} after");
            for (var i = 0; i < clis.Count; i++)
            {
                Console.WriteLine($"cli{Which(i)}: {clis[i]}");
            }

            Console.WriteLine("| program | wall median | wall ratio | wall, median of round ratios | CPU median | CPU ratio | CPU, median of round ratios | CPU vs its floor (median of round ratios) |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            for (var i = 0; i < programs.Length; i++)
            {
                var wallRatios = wall[i].Select((t, round) => t / wall[0][round]).ToList();
                var cpuRatios = cpu[i].Select((t, round) => t / cpu[0][round]).ToList();
                // Rows of a tool: the floor doing the same listing is row 1 (ls) or row 2 (ls --json).
                var floorRow = i < 3 ? -1 : programs[i].Args.Contains("--json") ? 2 : 1;
                var versusFloor = floorRow < 0 ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"{Median(cpu[i].Select((t, round) => t / cpu[floorRow][round]).ToList()):F2}×");
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {programs[i].Label} | {Median(wall[i]):F0} ms | {Median(wall[i]) / Median(wall[0]):F2}× | {Median(wallRatios):F2}× | {Median(cpu[i]):F0} ms | {Median(cpu[i]) / Median(cpu[0]):F2}× | {Median(cpuRatios):F2}× | {versusFloor} |"));
            }
        }
        finally
        {
            // LINEAGE_CLI_START_KEEP=1 keeps the stores and the hello-world program, to profile a command against them.
            if (Environment.GetEnvironmentVariable("LINEAGE_CLI_START_KEEP") == "1")
            {
                Console.WriteLine($"Kept {work} (tiny, large, hello/out).");
            }
            else
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static string Which(int cli) => $" (#{cli + 1})";

    /// <summary>Wall time of one run, from start to exit, and the CPU time it used, in milliseconds; a failed run stops the harness.</summary>
    private static (double Wall, double Cpu) Time(string program, string[] args, string? home)
    {
        var cpuBefore = ChildrenCpuMilliseconds();
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (home is not null)
        {
            start.Environment["LINEAGE_HOME"] = home;
            start.WorkingDirectory = home;
        }

        foreach (var name in new[] { "LINEAGE_DATABASE_URL", "LINEAGE_ARTIFACT_STORAGE_DIR", "LINEAGE_LOCAL_STORAGE" })
        {
            start.Environment.Remove(name);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {error.Result}{output.Result}");
        }

        return (elapsed, ChildrenCpuMilliseconds() - cpuBefore);
    }

    /// <summary>User + system time of every child this process waited for (getrusage RUSAGE_CHILDREN; Linux x64 layout).</summary>
    private static double ChildrenCpuMilliseconds()
    {
        var usage = new long[18];
        if (!OperatingSystem.IsLinux() || GetRusage(RusageChildren, usage) != 0)
        {
            return double.NaN;
        }

        // struct rusage starts with ru_utime and ru_stime, each a timeval of (seconds, microseconds).
        return ((usage[0] + usage[2]) * 1000.0) + ((usage[1] + usage[3]) / 1000.0);
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, [System.Runtime.InteropServices.Out] long[] usage);

    /// <summary>A console program that prints one line, built now with the SDK that built the tool, framework-dependent like the tool.</summary>
    private static string BuildHelloWorld(string folder) => BuildProgram(folder, "Hello", "", "Console.WriteLine(\"Hello, world\");\n", ["build", "-c", "Release"]);

    /// <summary>
    /// The floor under <c>lineage ls</c>: a program that does only what a listing must, with the libraries the tool uses. It opens
    /// the database read-only with Microsoft.Data.Sqlite (the tool's version), reads every main-branch version with its storage
    /// root and code record in one hand-written SELECT, and prints a plain table, or with <c>--json</c> the fields the tool's JSON
    /// has through a <see cref="System.Text.Json.Utf8JsonWriter"/> on standard output. Published ReadyToRun, framework-dependent,
    /// like the installed tool. The tool cannot start faster than this; hello world is what the runtime alone costs.
    /// </summary>
    private static string BuildFloor(string folder)
    {
        static string Version(Type type) => type.Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .Cast<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion.Split('+')[0];
        var references = $"""
              <ItemGroup>
                <PackageReference Include="Microsoft.Data.Sqlite" Version="{Version(typeof(SqliteConnection))}" />
                <PackageReference Include="SQLitePCLRaw.bundle_e_sqlite3" Version="{Version(typeof(SQLitePCL.raw))}" />
              </ItemGroup>
            """;
        return BuildProgram(folder, "Floor", references, FloorSource,
            ["publish", "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true", "-p:TieredPGO=false"]);
    }

    private const string FloorSource = """"
        using System.Globalization;
        using System.Text.Json;
        using Microsoft.Data.Sqlite;

        var home = Environment.GetEnvironmentVariable("LINEAGE_HOME")!;
        using var connection = new SqliteConnection($"Data Source={Path.Combine(home, "db.sqlite")};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.uid, a.name, a.version, a.created_at, a.created_by, a.host, a.size, a.hash, a.type_name, a.format, s.root, a.key,
                   c.code_version, c.assembly_name, c.assembly_version, c.source_revision, a.inputs_hash, a.type_schema,
                   c.source_code IS NOT NULL, a.description, a.tags, a.metadata
            FROM artifacts a JOIN storages s ON s.id = a.storage_id LEFT JOIN code_records c ON c.id = a.code_record_id
            WHERE a.branch = 'main' ORDER BY a.name;
            """;
        using var reader = command.ExecuteReader();
        string? Text(int column) => reader.IsDBNull(column) ? null : reader.GetString(column);
        if (args is ["--json"])
        {
            using var output = Console.OpenStandardOutput();
            using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            json.WriteStartArray();
            while (reader.Read())
            {
                json.WriteStartObject();
                json.WriteString("uid", reader.GetString(0));
                json.WriteString("name", reader.GetString(1));
                json.WriteNumber("version", reader.GetInt32(2));
                json.WriteString("branch", "main");
                json.WriteString("created_at", DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture));
                json.WriteString("created_by", reader.GetString(4));
                json.WriteString("host", reader.GetString(5));
                json.WriteNumber("size", reader.GetInt64(6));
                json.WriteString("hash", reader.GetString(7));
                json.WriteString("type_name", reader.GetString(8));
                json.WriteString("format", reader.GetString(9));
                json.WriteString("storage_root", reader.GetString(10));
                json.WriteString("key", reader.GetString(11));
                json.WriteString("code_version", Text(12));
                json.WriteString("assembly_name", Text(13));
                json.WriteString("assembly_version", Text(14));
                json.WriteString("source_revision", Text(15));
                json.WriteString("inputs_hash", Text(16));
                json.WriteString("type_schema", Text(17));
                json.WriteBoolean("has_source_code", !reader.IsDBNull(18) && reader.GetBoolean(18));
                json.WriteNull("source_code");
                json.WriteNull("run_uid");
                json.WriteString("description", Text(19));
                json.WriteStartArray("aliases");
                json.WriteEndArray();
                json.WritePropertyName("tags");
                if (Text(20) is { } tags) json.WriteRawValue(tags); else { json.WriteStartArray(); json.WriteEndArray(); }
                json.WritePropertyName("metadata");
                if (Text(21) is { } metadata) json.WriteRawValue(metadata); else { json.WriteStartObject(); json.WriteEndObject(); }
                json.WriteEndObject();
                if (json.BytesPending > 64 * 1024) json.Flush();
            }

            json.WriteEndArray();
            json.Flush();
            output.Write("\n"u8);
            return;
        }

        Console.WriteLine("NAME  VERSION  SIZE  TYPE  CODE  CREATED  BY");
        while (reader.Read())
        {
            Console.WriteLine($"{reader.GetString(1)}  {reader.GetInt32(2)}  {reader.GetInt64(6)} B  {reader.GetString(8)}  {Text(12) ?? "-"}  {reader.GetString(3)}  {reader.GetString(4)}");
        }
        """";

    private static string BuildProgram(string folder, string name, string references, string source, string[] build)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <InvariantGlobalization>true</InvariantGlobalization>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            {references}
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), source);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var arg in build.Concat(["-o", Path.Combine(folder, "out"), "--nologo", "-v", "q"]))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"Building the {name} program failed: " + output.Result);
        }

        return Path.Combine(folder, "out", OperatingSystem.IsWindows() ? name + ".exe" : name);
    }

    /// <summary>
    /// A store at <paramref name="home"/>'s defaults with <paramref name="names"/> names of one version each: one saved through the
    /// API (which creates the schema and registers the storage location), the rest written straight into the tables, as a
    /// save would write them, since 20,000 saves with their fsyncs would take minutes.
    /// </summary>
    private static void Seed(string home, int names)
    {
        var database = Path.Combine(home, "db.sqlite");
        using (var store = ArtifactStore.Open(new LineageOptions { Home = home, DatabaseUrl = "sqlite:///" + database, ArtifactStorageDir = Path.Combine(home, "artifacts") }))
        {
            store.Save("name-00000", new[] { 1.0, 2.0, 3.0 });
        }

        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT storage_id, key, size, hash, type_name, format, created_by, host FROM artifacts WHERE name = 'name-00000';";
        object[] first;
        using (var reader = read.ExecuteReader())
        {
            reader.Read();
            first = new object[reader.FieldCount];
            reader.GetValues(first);
        }

        using var name = connection.CreateCommand();
        name.Transaction = transaction;
        name.CommandText = "INSERT INTO artifact_names (name, last_version) VALUES (@name, 1);";
        var nameParameter = name.Parameters.Add("@name", SqliteType.Text);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO artifacts (uid, name, version, created_at, created_by, host, size, hash, type_name, format, storage_id, key)
            VALUES (@uid, @name, 1, @created_at, @created_by, @host, @size, @hash, @type_name, @format, @storage_id, @key);
            """;
        var parameters = new[] { "@uid", "@name", "@created_at" }.Select(p => insert.Parameters.Add(p, SqliteType.Text)).ToArray();
        insert.Parameters.AddWithValue("@storage_id", first[0]);
        insert.Parameters.AddWithValue("@key", first[1]);
        insert.Parameters.AddWithValue("@size", first[2]);
        insert.Parameters.AddWithValue("@hash", first[3]);
        insert.Parameters.AddWithValue("@type_name", first[4]);
        insert.Parameters.AddWithValue("@format", first[5]);
        insert.Parameters.AddWithValue("@created_by", first[6]);
        insert.Parameters.AddWithValue("@host", first[7]);
        var created = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 1; i < names; i++)
        {
            var artifact = $"name-{i:D5}";
            nameParameter.Value = artifact;
            name.ExecuteNonQuery();
            parameters[0].Value = $"clistart{i:D8}";
            parameters[1].Value = artifact;
            parameters[2].Value = created.AddSeconds(i).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Directory.Packages.props")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (with Directory.Packages.props) is not above " + AppContext.BaseDirectory);
    }
}
