using WeakNas.Spaces.Darts;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Hardware;
using WeakNas.MultiObjective;
using WeakNas.Spaces.NasBench101;
using WeakNas.Spaces;
using WeakNas.Spaces.Declared;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;
using WeakNas.Spaces.MobileNetV3;

namespace WeakNas.Cli.Bench;

/// <summary>
/// `weaknas bench`: many seeded runs of several strategies on several datasets, in parallel, resumable,
/// summarised as Markdown, CSV and PNG plots.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var space = new Option<string>("--space") { Description = "Search space: nb201, nb101, ofa-mbv3 (once-for-all MobileNetV3, evaluated by its accuracy predictor), darts or darts-none (the DARTS cell space, over --table), or a declaration file (.json, .yaml) searched over --table.", DefaultValueFactory = _ => "nb201" };
        var datasets = new Option<string?>("--dataset") { Description = "Comma-separated datasets (default: all of the space's; ofa-mbv3: pool,open)." };
        var table = new Option<string?>("--table") { Description = "nb101: a table file (imported .bin, or the 1k-sample / API-layout .json); a declared space: a CSV of its architectures and metrics." };
        var strategies = new Option<string>("--strategies") { Description = $"Comma-separated strategies: {string.Join(", ", StrategyFactory.Names)}; with --objectives: {string.Join(", ", MultiObjectiveStrategyFactory.Names)}.", DefaultValueFactory = _ => "weaknas,random" };
        var runs = new Option<int>("--runs") { Description = "Runs (seeds) per dataset and strategy.", DefaultValueFactory = _ => 10 };
        var firstSeed = new Option<ulong>("--first-seed") { Description = "Seed of the first run; run r uses first-seed + r.", DefaultValueFactory = _ => 0 };
        var budget = new Option<int>("--budget") { Description = "Queries per run.", DefaultValueFactory = _ => 1000 };
        var stopAtOptimum = new Option<bool>("--stop-at-optimum") { Description = "End each run once it has evaluated the optimum." };
        var jobs = new Option<int>("--jobs") { Description = "Runs in parallel (each gets cores / jobs threads).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var output = new Option<string>("--out") { Description = "Output folder: runs.jsonl, summary.md, summary.csv, plots.", Required = true };
        var data = new Option<string?>("--data") { Description = $"Folder holding nasbench201/ (default: ${DataFolder.EnvironmentVariable})." };
        var weakNasOptions = new WeakNasCliOptions();
        var constraintOptions = new ConstraintCliOptions();
        var objectiveOptions = new ObjectiveCliOptions();
        var frontAt = new Option<int?>("--front-at") { Description = "With --objectives: queries after which the front plot shows each strategy's found front (default 100, at most the budget)." };
        var devices = new Option<string?>("--devices") { Description = "With --latency-percentiles: one constraint cell per device and percentile, latency:DEVICE<=pQ (comma-separated devices of nb201_latency.csv, or all)." };
        var percentiles = new Option<string?>("--latency-percentiles") { Description = "With --devices: comma-separated percentiles Q of each device's latency over all cells, e.g. 25,50,75." };
        var tag = new Option<string?>("--tag") { Description = "Suffix for the recorded WeakNAS strategy names (ablations), e.g. '4x256'." };
        var trace = new Option<bool>("--trace") { Description = "Also write trace.jsonl: each WeakNAS iteration's ranking held against the table (the optimum's predicted rank, rank correlations, the true ranks of the top-N and of each draw); unconstrained single-objective benches over a table, and ofa-mbv3's pool." };
        var summaryOnly = new Option<bool>("--summary-only") { Description = "Do not run; rewrite the summary and plots from runs.jsonl." };
        var userTable = new UserTableCliOptions();
        var ofaOptions = new OfaSearchCli(ownPool: true);

        var command = new Command("bench", "Compare strategies over many seeds on a tabular benchmark; resumable.")
        {
            space, datasets, table, strategies, runs, firstSeed, budget, stopAtOptimum, jobs, output, data, tag, trace, summaryOnly, devices, percentiles, frontAt,
        };
        weakNasOptions.AddTo(command);
        constraintOptions.AddTo(command);
        objectiveOptions.AddTo(command);
        userTable.AddTo(command);
        ofaOptions.AddTo(command);
        command.SetAction(parse =>
        {
            string spaceName = parse.GetValue(space)!;
            bool declared = UserTableCliOptions.IsDeclared(spaceName);
            // A declared space's table is its one dataset, named after the file.
            var declaredTable = declared ? new Lazy<UserTableBenchmark<DeclaredArchitecture>>(() => userTable.Load(parse, spaceName, parse.GetValue(table))) : null;
            // The DARTS space over a table of genotypes: like a declared space, the table is the one dataset.
            var darts = DartsProvider.Find(spaceName);
            if (darts != null && parse.GetValue(table) == null)
                throw new InvalidInputException($"{spaceName} has no built-in table: bench it over a table of genotypes (--table FILE.json or .csv, e.g. NASLib's zc_nasbench301_725.json)");
            var dartsTable = darts != null ? new Lazy<UserTableBenchmark<DartsGenotype>>(() => DartsSetup.Load(darts, parse.GetValue(table)!, userTable.Metric(parse), userTable.ReportMetric(parse))) : null;
            if (!declared && darts == null) userTable.CheckUnused(parse, spaceName);
            bool ofa = spaceName == OfaMobileNetV3Provider.Instance.Name;
            if (!ofa) ofaOptions.CheckUnused(parse, spaceName);
            if ((declared || darts != null) && parse.GetValue(datasets) != null) throw new InvalidInputException($"--dataset does not apply to {(declared ? "a declared space" : spaceName)}: its table (--table) is the dataset");
            var datasetList = declared ? [declaredTable!.Value.Dataset] : darts != null ? [dartsTable!.Value.Dataset] : Split(parse.GetValue(datasets) ?? string.Join(",", SpaceRegistry.Get(spaceName).BenchDatasets));
            if (!declared && darts == null) foreach (string d in datasetList) SearchCommand.CheckDataset(spaceName, d);
            var strategyList = Split(parse.GetValue(strategies)!);
            var objectives = objectiveOptions.Objectives(parse);
            strategyList.ForEach(objectives == null ? StrategyFactory.CheckName : MultiObjectiveStrategyFactory.CheckName);
            int runCount = parse.GetValue(runs), budgetValue = parse.GetValue(budget), jobCount = parse.GetValue(jobs);
            if (runCount <= 0) throw new InvalidInputException($"--runs must be positive, got {runCount}");
            if (budgetValue <= 0) throw new InvalidInputException($"--budget must be positive, got {budgetValue}");
            if (jobCount <= 0) throw new InvalidInputException($"--jobs must be positive, got {jobCount}");
            var weakNas = weakNasOptions.Build(parse, spaceName, budgetValue, strategyList, stderr);
            string suffix = parse.GetValue(tag) is { Length: > 0 } t ? "-" + t : "";
            string? dataOption = parse.GetValue(data);
            var latencyTable = new Lazy<IReadOnlyList<(string Device, double[] Latency)>>(() => NasBench201Hardware.LoadLatency(DataFolder.Resolve(dataOption)));
            var cells = ConstraintCells(constraintOptions.Constraints(parse), parse.GetValue(devices), parse.GetValue(percentiles),
                () => latencyTable.Value.Select(t => t.Device).ToList());
            var model = constraintOptions.Model(parse);
            ConstraintCliOptions.CheckModelNeedsLatency(model, cells);
            if (!declared && !SpaceRegistry.Get(spaceName).HasHardwareTables && model != null) throw new InvalidInputException($"--latency-model: {spaceName} has no latency table; the runtime model exists for {SpaceRegistry.WithHardwareTables} only");
            if (objectives != null)
            {
                ObjectiveCliOptions.CheckCompatible(spaceName, parse.GetValue(stopAtOptimum), model, weakNas.StallPatience);
                if (parse.GetValue(devices) != null) throw new InvalidInputException("--devices does not apply to --objectives: give the devices as objectives (latency:DEVICE) or one --constraint");
            }
            if (objectives == null && parse.GetValue(frontAt) != null) throw new InvalidInputException("--front-at applies only with --objectives");
            int frontQueries = Math.Min(parse.GetValue(frontAt) ?? 100, budgetValue);
            if (frontQueries <= 0) throw new InvalidInputException($"--front-at must be positive, got {parse.GetValue(frontAt)}");
            // The multi-objective problem of a dataset (under the one constraint cell, if any), built when first needed.
            var problems = new Dictionary<string, MultiObjectiveProblem>();
            MultiObjectiveProblem ProblemOf(string dataset, ConstraintSetup? setup)
            {
                if (problems.TryGetValue(dataset, out var known)) return known;
                var benchmark = NasBench201Benchmark.Load(DataFolder.Resolve(dataOption), dataset);
                var metrics = NasBench201Hardware.Metrics(benchmark, objectives!.HasLatency || cells[0]?.HasLatency == true ? latencyTable.Value : null);
                return problems[dataset] = ObjectiveCliOptions.Problem(objectives, benchmark, metrics, setup ?? (cells[0] == null ? null : new ConstraintSetup(cells[0]!.Resolve(metrics))));
            }

            string folder = Path.GetFullPath(parse.GetValue(output)!);
            Directory.CreateDirectory(folder);
            var log = new RunLog(Path.Combine(folder, "runs.jsonl"));
            if (!parse.GetValue(summaryOnly))
            {
                string recorded(BenchJob job) => job.Strategy.StartsWith("weaknas", StringComparison.Ordinal) ? job.Strategy + suffix : job.Strategy;
                // Each constraint cell is resolved per dataset (parameter counts differ between datasets).
                var setups = new Dictionary<(string Dataset, string Label), ConstraintSetup>();
                var labels = new List<string?>();
                void Resolve(string dataset, ArchitectureMetrics metrics)
                {
                    foreach (var cell in cells)
                    {
                        if (cell == null) continue;
                        var setup = new ConstraintSetup(cell.Resolve(metrics), model);
                        setups[(dataset, setup.Label)] = setup;
                        if (!labels.Contains(setup.Label)) labels.Add(setup.Label);
                    }
                }
                if (cells.Contains(null)) labels.Add(null);
                if (ofa)
                {
                    if (objectives != null || cells.Count != 1 || parse.GetValue(table) != null || model != null)
                        throw new InvalidInputException("ofa-mbv3 benches take one set of --constraint (default the paper's FLOPs window), no --objectives, --devices, --table or --latency-model");
                    // --trace: the pool is a table (its members' predicted accuracies; every member meets the constraints), so WeakNAS's rankings are held against it.
                    BenchTrace? tracing = null;
                    if (parse.GetValue(trace))
                    {
                        if (datasetList.Contains(OfaMobileNetV3Provider.OpenDataset))
                            throw new InvalidInputException("--trace applies to ofa-mbv3's pool, which has a truth to hold rankings against; use --dataset pool");
                        tracing = new BenchTrace(Path.Combine(folder, "trace.jsonl"));
                    }
                    var search = OfaSearch.Load(ofaOptions.Settings(parse, cells[0]), DataFolder.Resolve(dataOption));
                    stderr.WriteLine($"bench: ofa-mbv3 {search.Settings.Describe()}, pool of {search.Settings.PoolSize:N0} (seed {search.Settings.PoolSeed})");
                    var pool = search.PoolBenchmark;
                    labels.Clear();
                    labels.Add(null);
                    var truth = new Lazy<TableTruth>(() => TableTruth.Of(pool));
                    Func<ISearchStrategy, ISearchStrategy>? Traced(BenchJob job) => tracing == null ? null
                        : strategy => strategy is not WeakNasStrategy weak ? strategy
                            : tracing.Watch(job.Key, new WeakNasTracer(weak, truth.Value, pool.OptimumIndex, job.Dataset, recorded(job), job.Seed));
                    RunPlan(new BenchRunner<OfaSubnet>
                    {
                        Search = job => OfaSearchCli.Run(search, job.Dataset, job.Strategy, job.Seed, weakNas, budgetValue, parse.GetValue(stopAtOptimum), wrap: Traced(job)),
                        Complete = (job, _, record) => { tracing?.Finish(job.Key); return record; },
                        RecordedName = recorded,
                        Budget = budgetValue,
                        StopAtOptimum = parse.GetValue(stopAtOptimum),
                        Workers = jobCount,
                    });
                }
                else if (declared)
                {
                    if (cells.Any(c => c != null) || objectives != null)
                        throw new InvalidInputException("--objectives, --constraint and --devices need a space with hardware tables (nb201); a declared space has none yet");
                    var benchmark = declaredTable!.Value;
                    stderr.WriteLine(benchmark.Describe());
                    labels.Clear();
                    labels.Add(null);
                    Execute(new Dictionary<string, ITabularBenchmark<DeclaredArchitecture>> { [benchmark.Dataset] = benchmark }, DeclaredSetup.Encodings(benchmark));
                }
                else if (darts != null)
                {
                    if (objectives != null || parse.GetValue(devices) != null) throw new InvalidInputException($"--objectives and --devices need a space with hardware tables (nb201); {spaceName} has parameter counts only: use --constraint 'params<=X'");
                    var benchmark = dartsTable!.Value;
                    stderr.WriteLine(benchmark.Describe());
                    Resolve(benchmark.Dataset, DartsSetup.Metrics(benchmark));
                    Execute(new Dictionary<string, ITabularBenchmark<DartsGenotype>> { [benchmark.Dataset] = benchmark }, DartsSetup.Encodings(benchmark));
                }
                else if (spaceName == "nb201")
                {
                    var dataFolder = DataFolder.Resolve(dataOption);
                    var benchmarks = datasetList.ToDictionary(d => d, d => NasBench201Benchmark.Load(dataFolder, d));
                    var latency = cells.Any(c => c?.HasLatency == true) ? latencyTable.Value : null;
                    foreach (var (d, b) in benchmarks) Resolve(d, NasBench201Hardware.Metrics(b, latency));
                    Execute(benchmarks.ToDictionary(kv => kv.Key, kv => (ITabularBenchmark<NasBench201Cell>)kv.Value), NasBench201Setup.Encodings);
                }
                else
                {
                    var benchmark = NasBench101Setup.Load(parse.GetValue(table), () => DataFolder.Resolve(dataOption), stderr.WriteLine);
                    Resolve("cifar10", NasBench101Metrics.For(benchmark));
                    Execute(new Dictionary<string, ITabularBenchmark<NasBench101Cell>> { ["cifar10"] = benchmark }, NasBench101Setup.Encodings(benchmark));
                }

                void Execute<TArch>(Dictionary<string, ITabularBenchmark<TArch>> benchmarks, SpaceEncodings encodings) where TArch : notnull, IEquatable<TArch>
                {
                    ConstraintSetup? SetupOf(BenchJob job) => job.Constraint == null ? null : setups[(job.Dataset, job.Constraint)];
                    var tracing = parse.GetValue(trace) ? new BenchTrace(Path.Combine(folder, "trace.jsonl")) : null;
                    if (tracing != null && (objectives != null || labels.Any(l => l != null)))
                        throw new InvalidInputException("--trace applies to unconstrained single-objective benches; drop --objectives, --constraint and --devices");
                    var truths = benchmarks.ToDictionary(kv => kv.Key, kv => new Lazy<TableTruth>(() => TableTruth.Of(kv.Value)));
                    ISearchStrategy Traced(BenchJob job, ISearchStrategy strategy) =>
                        tracing == null || strategy is not WeakNasStrategy weak ? strategy
                            : tracing.Watch(job.Key, new WeakNasTracer(weak, truths[job.Dataset].Value, benchmarks[job.Dataset].OptimumIndex, job.Dataset, recorded(job), job.Seed));
                    var runner = new BenchRunner<TArch>
                    {
                        Benchmarks = benchmarks,
                        CreateStrategy = job => objectives == null
                            ? Traced(job, StrategyFactory.Create(job.Strategy, benchmarks[job.Dataset].Space, encodings, job.Seed, weakNas, constraint: SetupOf(job)?.Start(job.Seed)))
                            : MultiObjectiveStrategyFactory.Create(job.Strategy, benchmarks[job.Dataset].Space, encodings, ProblemOf(job.Dataset, SetupOf(job)), job.Seed, weakNas,
                                constraint: SetupOf(job)?.Start(job.Seed)),
                        Complete = objectives == null ? (job, _, record) => { tracing?.Finish(job.Key); return record; }
                            : (job, result, record) => MultiObjectiveOutcome.Complete(ProblemOf(job.Dataset, SetupOf(job)), objectives.Label, result, record),
                        RecordedName = recorded,
                        Budget = budgetValue,
                        StopAtOptimum = parse.GetValue(stopAtOptimum),
                        Workers = jobCount,
                    };
                    // Problems are built before the workers start, so they never race to build one.
                    if (objectives != null) foreach (string d in datasetList) ProblemOf(d, labels[0] == null ? null : setups[(d, labels[0]!)]);
                    RunPlan(runner);
                }

                void RunPlan<TArch>(BenchRunner<TArch> runner) where TArch : notnull, IEquatable<TArch>
                {
                    var plan = BenchJob.Plan(datasetList, labels, strategyList, parse.GetValue(firstSeed), runCount)
                        .Select(j => j with { Objectives = objectives?.Label }).ToList();
                    var logged = log.Read().Select(r => r.Key).ToHashSet();
                    int already = plan.Count(j => logged.Contains(RunRecord.RunKey(j.Dataset, runner.RecordedName(j), j.Seed, j.Constraint, j.Objectives)));
                    int total = plan.Count, finished = already;
                    var clock = Stopwatch.StartNew();
                    stderr.WriteLine($"bench: {total} runs, {already} already in {log.Path}, {jobCount} at a time");
                    using var cancel = new CancellationTokenSource();
                    ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); stderr.WriteLine("bench: stopping after the runs in progress (finished runs are kept)"); };
                    Console.CancelKeyPress += onCancel;
                    try
                    {
                        runner.Run(plan, log, record =>
                        {
                            int n = Interlocked.Increment(ref finished);
                            double perRun = clock.Elapsed.TotalSeconds / Math.Max(1, n - already);
                            double eta = perRun * (total - n);
                            lock (stderr)
                                stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
                                    $"[{n}/{total}] {record.Dataset}{(record.Constraint != null ? " " + record.Constraint : "")} {record.Strategy} seed {record.Seed}: {Outcome(record)}, {record.Seconds:F1} s; about {eta / 60:F0} min left"));
                        }, cancel.Token);
                    }
                    finally
                    {
                        Console.CancelKeyPress -= onCancel;
                    }
                }
            }

            var all = log.Read();
            if (objectives != null)
            {
                var multi = all.Where(r => r.Objectives != null).ToList();
                if (multi.Count == 0) throw new InvalidInputException($"no finished multi-objective runs in {log.Path}");
                var mo = new MultiObjectiveSummary(multi);
                string text = "# weaknas bench summary: multi-objective\n\n" + mo.ToMarkdown();
                File.WriteAllText(Path.Combine(folder, "summary.md"), text);
                File.WriteAllText(Path.Combine(folder, "summary.csv"), mo.ToCsv());
                string? current = cells[0]?.Label;
                var moPlots = MultiObjectivePlots.Write(multi, folder,
                    (dataset, label, constraint) => label == objectives.Label && constraint == current && datasetList.Contains(dataset) ? ProblemOf(dataset, null) : null, frontQueries);
                stdout.Write(text);
                stdout.WriteLine($"wrote {Path.Combine(folder, "summary.md")}, summary.csv and {moPlots.Count} plots");
                return 0;
            }
            all = all.Where(r => r.Objectives == null).ToList();
            if (all.Count == 0) throw new InvalidInputException($"no finished runs in {log.Path}");
            var summary = new BenchSummary(all);
            string markdown = "# weaknas bench summary\n\n" + summary.ToMarkdown();
            File.WriteAllText(Path.Combine(folder, "summary.md"), markdown);
            File.WriteAllText(Path.Combine(folder, "summary.csv"), summary.ToCsv());
            var plots = BenchPlots.Write(all, folder);
            stdout.Write(markdown);
            stdout.WriteLine($"wrote {Path.Combine(folder, "summary.md")}, summary.csv and {plots.Count} plots");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The constraint cells of the comparison: one per (device, percentile) when --devices and --latency-percentiles are
    /// given (each with the --constraint options added), else the --constraint options as one cell, else none (null:
    /// an unconstrained cell).
    /// </summary>
    private static List<ConstraintSet?> ConstraintCells(ConstraintSet? common, string? devices, string? percentiles, Func<List<string>> allDevices)
    {
        if (devices == null && percentiles == null) return [common];
        if (devices == null) throw new InvalidInputException("--latency-percentiles needs --devices (the devices whose latency to bound)");
        if (percentiles == null) throw new InvalidInputException("--devices needs --latency-percentiles (e.g. 25,50,75)");
        var deviceList = Split(devices);
        var percentileList = Split(percentiles).Select(p =>
            double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double q) && q >= 0 && q <= 100
                ? p : throw new InvalidInputException($"--latency-percentiles: '{p}' is not a percentile from 0 to 100")).ToList();
        if (deviceList.Count == 0 || percentileList.Count == 0) throw new InvalidInputException("--devices and --latency-percentiles must each name at least one value");
        if (deviceList.Contains("all")) deviceList = allDevices();
        return deviceList.SelectMany(d => percentileList.Select(p => (ConstraintSet?)new ConstraintSet([Constraint.Parse($"latency:{d}<=p{p}")]).And(common))).ToList();
    }

    private static string Outcome(RunRecord record) => record.Hypervolume is { Length: > 0 } hv
        ? string.Create(CultureInfo.InvariantCulture, $"hypervolume ratio {hv[^1]:F4}")
        : $"{(record.Constraint != null ? "constrained " : "")}optimum {(record.FoundOptimumAt is int at ? $"at query {at}" : "not found")}";

    private static List<string> Split(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToList();
}
