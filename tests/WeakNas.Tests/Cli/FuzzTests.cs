using System.CommandLine;
using System.Globalization;
using System.Text;
using WeakNas.Cli;
using WeakNas.Studies;
using Xunit.Abstractions;

namespace WeakNas.Tests.Cli;

/// <summary>
/// Generated command lines over every command, option and argument of the tree, with values drawn from what breaks
/// programs: numbers outside their range, NaN, infinities, decimal commas, huge integers; empty and blank strings, very
/// long ones, control characters; files that are directories, FIFOs, devices, dangling links, garbage, empty; storage
/// URLs of every wrong shape. Each case must end with exit code 0 (or 2 with one line on stderr, or 3 for a paused study,
/// or 1 for a tell that came too late), never a stack trace or a hang; a case holding a value known to be invalid (a
/// number outside its range or unparsable, an unknown option, an output that is a directory, FIFO or device) must not
/// succeed. 300 cases here; `WEAKNAS_FUZZ_CASES=10000` (and `WEAKNAS_FUZZ_SEED`) for the long run, which prints the count
/// of every case class.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests(ITestOutputHelper output) : IDisposable
{
    private readonly TemporaryFolder _dir = new();

    public void Dispose()
    {
        _dir.Dispose();
    }

    /// <summary>What a generated value is, for the class counts and for what the case must not do.</summary>
    private enum Kind { Valid, BadNumber, OutOfRange, Unknown, BadPath, Odd }

    private sealed record Value(string Text, Kind Kind, string Class);

    [Fact]
    public void Generated_command_lines_end_with_exit_0_or_one_line_and_exit_2_never_a_stack_trace_or_a_hang()
    {
        int cases = int.TryParse(Environment.GetEnvironmentVariable("WEAKNAS_FUZZ_CASES"), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 300;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("WEAKNAS_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : 20261201;
        var files = Files();
        var leaves = Leaves(WeakNasCli.Root(TextWriter.Null, TextWriter.Null)).ToList();
        var rng = new Random(seed);
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var problems = new List<string>();
        for (int c = 0; c < cases && problems.Count < 10; c++)
        {
            var (path, command) = leaves[rng.Next(leaves.Count)];
            var args = new List<string>(path);
            var values = new List<Value>();
            foreach (var argument in command.Arguments)
            {
                var v = ValueFor(argument.Name, argument.ValueType, path, rng, files);
                values.Add(v);
                args.Add(v.Text);
            }
            foreach (var option in command.Options.Where(o => o.Name.StartsWith("--", StringComparison.Ordinal) && o.Name is not ("--help" or "--version")))
            {
                bool required = option.Required;
                if (!required && rng.NextDouble() > 0.3) continue;
                var v = ValueFor(option.Name, option.ValueType, path, rng, files);
                values.Add(v);
                args.Add(option.Name);
                if (option.ValueType != typeof(bool) || v.Text.Length > 0) args.Add(v.Text);
            }
            if (rng.NextDouble() < 0.04)
            {
                values.Add(new Value("--bogus-option", Kind.Unknown, "unknown option"));
                args.Add("--bogus-option");
            }
            Cheap(command, path, args, files);

            // WEAKNAS_FUZZ_PROGRESS: a file that names each case before it runs and its exit code after (to find a stuck one).
            string? progress = Environment.GetEnvironmentVariable("WEAKNAS_FUZZ_PROGRESS");
            string line = string.Join(' ', args.Select(a => a.Length > 80 ? a[..80] + "…" : a));
            if (progress != null) File.AppendAllText(progress, $"{c}\t{line}\n");
            var (code, err, hung) = Run(args);
            if (progress != null) File.AppendAllText(progress, string.Create(CultureInfo.InvariantCulture, $"{c}\texit {code}\n"));
            if (Altered(files) is { } altered)
            {
                problems.Add($"the case changed {altered}: {line}");
                files = Files();
            }
            else if (!File.Exists(files.Garbage) || new FileInfo(files.Garbage).Length != 4096 || !File.Exists(files.Empty) || new FileInfo(files.Empty).Length != 0)
            {
                files = Files();
            }
            string verdict = code switch { 0 => "exit 0", 1 => "exit 1", 2 => "exit 2", 3 => "exit 3 (paused)", _ => $"exit {code}" };
            foreach (var v in values.DistinctBy(v => v.Class)) Count(counts, $"{v.Class}: {verdict}");
            Count(counts, $"command {string.Join(' ', path)}: {verdict}");
            if (hung) problems.Add($"hang (over 120 s): {line}");
            else if (err.Contains("   at ", StringComparison.Ordinal) || err.Contains("Unhandled exception", StringComparison.Ordinal))
                problems.Add($"stack trace, exit {code}: {line}\n{err}");
            else if (code is not (0 or 2 or 3) && !(code == 1 && path.SequenceEqual(["study", "tell"])))
                problems.Add($"exit {code}: {line}\n{err}");
            else if (code == 2 && (err.TrimEnd('\n').Split('\n').Length != 1 || !err.StartsWith("weaknas: ", StringComparison.Ordinal)))
                problems.Add($"exit 2 without one 'weaknas: ' line: {line}\n{err}");
            else if (code == 0 && values.FirstOrDefault(v => v.Kind is Kind.BadNumber or Kind.OutOfRange or Kind.Unknown or Kind.BadPath) is { } bad)
                problems.Add($"wrong success ({bad.Class} '{bad.Text}'): {line}");
        }
        var report = new StringBuilder($"fuzz: {cases} cases, seed {seed}, {problems.Count} problems\n");
        foreach (var (key, count) in counts) report.Append(CultureInfo.InvariantCulture, $"{count,7}  {key}\n");
        output.WriteLine(report.ToString());
        if (Environment.GetEnvironmentVariable("WEAKNAS_FUZZ_REPORT") is { Length: > 0 } file) File.WriteAllText(file, report.ToString());
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    /// <summary>
    /// A fixture no command may replace or write through (the FIFO, the dangling link, the folder), or null when they are as
    /// made. The garbage and empty files are regular files, which an output may rightly replace (and SQLite takes an empty
    /// file for a new database): when one changed, the fixture is made again without a complaint.
    /// </summary>
    private static string? Altered(Fixture f)
    {
        if (WeakNas.Data.PathKinds.Of(f.Fifo) != WeakNas.Data.PathKind.Fifo) return $"the FIFO {f.Fifo}";
        string? target = new FileInfo(f.Dangling).LinkTarget;
        if (target == null || File.Exists(target) || Directory.Exists(target)) return $"the dangling link {f.Dangling} (it now leads somewhere, or is gone)";
        if (!Directory.Exists(f.Folder) || new FileInfo(f.Folder).LinkTarget != null) return $"the folder {f.Folder}";
        return null;
    }

    private static void Count(IDictionary<string, int> counts, string key) => counts[key] = counts.TryGetValue(key, out int n) ? n + 1 : 1;

    private static IEnumerable<(string[] Path, Command Command)> Leaves(Command root)
    {
        var stack = new Stack<(string[], Command)>();
        foreach (var sub in root.Subcommands) stack.Push(([sub.Name], sub));
        while (stack.Count > 0)
        {
            var (path, command) = stack.Pop();
            if (command.Subcommands.Count == 0) yield return (path, command);
            foreach (var sub in command.Subcommands) stack.Push(([.. path, sub.Name], sub));
        }
    }

    /// <summary>The files cases point at: one of each kind, made once.</summary>
    private sealed record Fixture(string Folder, string Fifo, string Dangling, string Garbage, string Empty, string Yaml, string Sqlite, string Study, string ArchFile);

    private int _fixtures;

    private Fixture Files()
    {
        string root = Path.Combine(_dir.Path, "fixture-" + _fixtures++.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(root);
        string folder = Path.Combine(root, "folder");
        Directory.CreateDirectory(folder);
        string fifo = Path.Combine(root, "fifo");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo)!) mkfifo.WaitForExit();
        string dangling = Path.Combine(root, "dangling");
        File.CreateSymbolicLink(dangling, Path.Combine(root, "nothing-here"));
        string garbage = Path.Combine(root, "garbage.bin");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7919 % 251))]);
        string empty = Path.Combine(root, "empty.txt");
        File.WriteAllText(empty, "");
        string yaml = Path.Combine(root, "space.yaml");
        File.WriteAllText(yaml, "name: tiny\ndecisions:\n  width: {choices: [8, 16, 32]}\n  depth: {choices: [1, 2, 3]}\n");
        string archs = Path.Combine(root, "archs.txt");
        File.WriteAllText(archs, "{\"ks\": [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], \"e\": [3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3,3], \"d\": [2,2,2,2,2], \"r\": 224}\nnot an arch\n");
        string sqlite = Path.Combine(root, "studies.db");
        using (var storage = new SqliteStudyStorage(sqlite))
            Study.Create(storage, WeakNas.Tests.Studies.StudyFixtures.RandomSpec("fz", budget: 3) with { BatchSize = 3 });
        return new Fixture(folder, fifo, dangling, garbage, empty, yaml, "sqlite:///" + sqlite, "fz", archs);
    }

    /// <summary>Small enough that a valid case finishes in seconds: most values a case draws are small anyway.</summary>
    private static readonly Dictionary<string, double> SmallCap = new(StringComparer.Ordinal)
    {
        ["--budget"] = 40, ["--runs"] = 2, ["--samples"] = 1, ["--repeats"] = 2, ["--epochs"] = 5, ["--trees"] = 20, ["--pool"] = 300,
        ["--initial"] = 10, ["--per-iteration"] = 5, ["--top"] = 50, ["--top-start"] = 50, ["--top-end"] = 50, ["--jobs"] = 2,
        ["--timeout"] = 5, ["--delay"] = 0.01, ["--max-trials"] = 3, ["--count"] = 3, ["--batch"] = 10, ["--latency-samples"] = 20,
        ["--tree-leaves"] = 31, ["--tree-depth"] = 6, ["--front-at"] = 40, ["--stall-patience"] = 3, ["--explore"] = 2, ["--grace"] = 30,
        ["--max-failures"] = 5, ["--max-attempts"] = 5, ["trial"] = 5, ["--port"] = 0, ["--exit-after"] = 0.5,
    };

    private static Value ValueFor(string name, Type type, string[] path, Random rng, Fixture f)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(bool)) return rng.NextDouble() < 0.9 ? new("", Kind.Valid, "flag") : new("maybe", Kind.Odd, "bool text");
        if (t == typeof(int) || t == typeof(double) || t == typeof(ulong)) return Number(name, t, path, rng);
        return Text(name, rng, f);
    }

    private static Value Number(string name, Type type, string[] path, Random rng)
    {
        var range = NumericOptions.RangeOf(WeakNasCli.CommandName + " " + string.Join(' ', path), name)!;
        double cap = Math.Min(range.Max, SmallCap.GetValueOrDefault(name, range.Min + 20));
        bool integer = type != typeof(double);
        string F(double v) => v.ToString(integer ? "0" : "R", CultureInfo.InvariantCulture);
        switch (rng.Next(16))
        {
            case < 7:
                double lo = range.MinExclusive ? range.Min + (integer ? 1 : 1e-3) : range.Min;
                double v = lo + rng.NextDouble() * Math.Max(0, cap - lo);
                if (integer) v = Math.Floor(v);
                return new(F(Math.Min(v, range.Max)), Kind.Valid, "number in range");
            case 7: return new(F(range.MinExclusive ? range.Min : range.Min - 1), range.Min - 1 < 0 && type == typeof(ulong) ? Kind.BadNumber : Kind.OutOfRange, "number below range");
            case 8: return range.Max >= ulong.MaxValue / 2.0 ? new("18446744073709551616", Kind.BadNumber, "number above range") : new(F(integer ? Math.Floor(range.Max) + 1 : range.Max * 2 + 1), Kind.OutOfRange, "number above range");
            case 9: return new(new[] { "NaN", "Infinity", "-Infinity", "∞", "1e308", "-1e308" }[rng.Next(6)], Kind.BadNumber, "NaN, infinity or 1e308");
            // "1.000" is a thousands separator only for an integer; with '.' as the decimal point it is 1 to a decimal option.
            case 10:
                string[] separated = integer ? ["1,5", "1.000", "1 000", "0,96", "1_000"] : ["1,5", "1 000", "0,96", "1_000"];
                return new(separated[rng.Next(separated.Length)], Kind.BadNumber, "separator");
            case 11: return new(new[] { "", " ", "x", "0x10", "1e", "--", "٣" }[rng.Next(7)], Kind.BadNumber, "not a number");
            case 12: return new("99999999999999999999999", Kind.BadNumber, "huge integer text");
            case 13: return new(integer ? "2.5" : "2.5e-400", integer ? Kind.BadNumber : Kind.Valid, integer ? "fraction for an integer" : "underflow");
            default: return new(F(Math.Min(range.Max, cap)), Kind.Valid, "number at a small cap");
        }
    }

    private static Value Text(string name, Random rng, Fixture f)
    {
        bool output = name is "--out" or "--to" or "--plot";
        var common = new Value[]
        {
            new("", output ? Kind.BadPath : Kind.Odd, "empty string"), new("   ", output ? Kind.BadPath : Kind.Odd, "blank string"),
            // Odd names live in the fixture folder: as relative paths they would land in the tests' working folder, and a
            // later case (or run) would find them there.
            new(Path.Combine(f.Folder, new string('x', 5000)), Kind.Odd, "5,000 characters"), new(Path.Combine(f.Folder, "a\u0001b\tc"), Kind.Odd, "control characters"),
            new(Path.Combine(f.Folder, "名前-ü-🙂"), Kind.Odd, "unicode"), new(Path.Combine(f.Folder, "-"), Kind.Odd, "a dash"),
            new(Path.Combine(f.Folder, "'; echo pwned; '"), Kind.Odd, "shell quoting"),
            new(f.Folder, Kind.Odd, "a directory"), new(f.Fifo, output ? Kind.BadPath : Kind.Odd, "a FIFO"),
            new("/dev/full", output ? Kind.BadPath : Kind.Odd, "a device"), new(f.Dangling, output ? Kind.BadPath : Kind.Odd, "a dangling link"),
            new(f.Garbage, Kind.Odd, "a garbage file"), new(f.Empty, Kind.Odd, "an empty file"), new("/proc/version", Kind.Odd, "a /proc file"),
            new(Path.Combine(f.Folder, "new", "file.txt"), Kind.Valid, "a new file"),
        };
        var specific = name switch
        {
            "--storage" => new Value[]
            {
                new(f.Sqlite, Kind.Valid, "storage: the study's SQLite"), new("memory:", Kind.Valid, "storage: memory"), new("sqlite:", Kind.Odd, "storage: bad URL"),
                new("MEMORY:", Kind.Odd, "storage: bad URL"), new("postgresql://nobody@127.0.0.1:1/x", Kind.Odd, "storage: unreachable server"),
                new("sqlite:///" + f.Folder, Kind.Odd, "storage: a directory"), new(f.Garbage, Kind.Odd, "storage: not SQLite"), new("mysql://x/y", Kind.Odd, "storage: bad URL"),
            },
            "name" => [new(f.Study, Kind.Valid, "name: the study"), new("nope", Kind.Valid, "name: no such study"), new("fz-" + rng.Next(1_000_000), Kind.Valid, "name: new")],
            "--space" => [new("nb201", Kind.Valid, "space"), new("ofa-mbv3", Kind.Valid, "space"), new(f.Yaml, Kind.Valid, "space: a declaration"), new("nb101", Kind.Valid, "space"), new("darts", Kind.Odd, "space: unknown")],
            "--strategy" or "--strategies" => [new("random", Kind.Valid, "strategy"), new("weaknas", Kind.Valid, "strategy"), new("evolution,local", Kind.Valid, "strategy"), new("nope", Kind.Odd, "strategy: unknown")],
            "--dataset" => [new("cifar10", Kind.Valid, "dataset"), new("cifar100,imagenet16-120", Kind.Valid, "dataset"), new("pool", Kind.Valid, "dataset"), new("mnist", Kind.Odd, "dataset: unknown")],
            "--evaluate" => [new("echo '{\"accuracy\": 1}'", Kind.Valid, "evaluate: good"), new("echo 42", Kind.Valid, "evaluate: broken"), new("exit 3", Kind.Valid, "evaluate: fails"), new("sleep 1; echo '{\"accuracy\": \"NaN\"}'", Kind.Valid, "evaluate: NaN")],
            "--benchmark" => [new("cifar10", Kind.Valid, "benchmark"), new("mnist", Kind.Odd, "benchmark: unknown")],
            "--hidden" => [new("16,8", Kind.Valid, "hidden"), new("0", Kind.Odd, "hidden: zero"), new("100000,100000", Kind.Odd, "hidden: too big"), new("8,,8", Kind.Odd, "hidden: empty layer")],
            "--constraint" => [new("latency:pixel3<=p25", Kind.Valid, "constraint"), new("params<=0.5", Kind.Valid, "constraint"), new("flops<=nan", Kind.Odd, "constraint: NaN"), new("latency:nope<=3", Kind.Odd, "constraint: unknown device"), new("<=", Kind.Odd, "constraint: empty")],
            "--archs" => [new(f.ArchFile, Kind.Valid, "archs file")],
            "--sections" => [new("gemm", Kind.Valid, "sections"), new("gemm,nope", Kind.Odd, "sections: unknown"), new("nope", Kind.Odd, "sections: unknown")],
            "--metric" or "--objectives" or "--format" or "--predictor" or "--candidates" or "--noise" or "--devices" or "--worker" or "--fail" or "--metrics" or "--study" or "--tag" =>
                [new("accuracy", Kind.Valid, "word"), new("json", Kind.Valid, "word"), new("{\"accuracy\": 1}", Kind.Valid, "json object"), new("{\"accuracy\": NaN}", Kind.Odd, "json with NaN")],
            "--out" or "--to" or "--results" or "--data" => [new(Path.Combine(f.Folder, "out-" + rng.Next(1_000_000)), Kind.Valid, "a new path")],
            _ => [],
        };
        // Mostly the option's own kind of value; a third of the time anything from the common pool.
        if (specific.Length > 0 && rng.NextDouble() < 0.66) return specific[rng.Next(specific.Length)];
        return common[rng.Next(common.Length)];
    }

    /// <summary>Keeps every case cheap and inside the temporary folder: small work unless the case chose otherwise, and no file in the working folder.</summary>
    private static void Cheap(Command command, string[] path, List<string> args, Fixture f)
    {
        void Default(string option, string value)
        {
            if (!command.Options.Any(o => o.Name == option) || args.Contains(option)) return;
            args.Add(option);
            if (value.Length > 0) args.Add(value);
        }
        Default("--storage", "memory:");
        Default("--results", Path.Combine(f.Folder, "results"));
        Default("--budget", "30");
        Default("--runs", "1");
        Default("--samples", "1");
        Default("--timeout", "5");
        Default("--pool", "300");
        // Trees are ofa-mbv3's --paper predictor (an explicit --trees elsewhere is refused, which cases also reach).
        if (args.Contains("--paper")) Default("--trees", "20");
        Default("--no-progress", "");
        if (path[0] == "bench") Default("--strategies", "random");
        if (path[0] == "perf") Default("--sections", "gemm");
        if (path[0] == "search" && args.Contains("--evaluate")) Default("--study", "fz-search-" + Guid.NewGuid().ToString("N"));
        // The dashboard serves until Ctrl-C: here on a free port, for a moment (its hidden --exit-after).
        if (path[0] == "dashboard")
        {
            Default("--port", "0");
            Default("--exit-after", "0.2");
        }
    }

    private static (int Code, string Err, bool Hung) Run(List<string> args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = -1;
        Exception? crash = null;
        var thread = new Thread(() =>
        {
            try
            {
                code = WeakNasCli.Run([.. args], stdout, stderr);
            }
            catch (Exception e)
            {
                crash = e;
            }
        }, 64 * 1024 * 1024) { IsBackground = true };
        thread.Start();
        if (!thread.Join(TimeSpan.FromSeconds(120))) return (-1, stderr.ToString(), true);
        return crash == null ? (code, stderr.ToString(), false) : (-1, stderr + "\nUnhandled exception: " + crash, false);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    public const string Name = "fuzz";
}
