using WeakNas.Spaces.Darts;
using System.CommandLine;
using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Hardware;
using WeakNas.Predictors;
using WeakNas.Spaces;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;
using WeakNas.Spaces.MobileNetV3;

namespace WeakNas.Cli;

/// <summary>`weaknas search`: one search on a tabular benchmark.</summary>
internal static class SearchCommand
{

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var space = new Option<string>("--space") { Description = "Search space: nb201, nb101, ofa-mbv3 (once-for-all MobileNetV3, evaluated by its accuracy predictor), darts or darts-none (the DARTS cell space, over --table or with --evaluate), or a declaration file (.json, .yaml) searched over --table.", DefaultValueFactory = _ => "nb201" };
        var dataset = new Option<string>("--dataset") { Description = "nb201: cifar10, cifar100 or imagenet16-120; nb101: cifar10; ofa-mbv3: pool (the paper's 10,000 subnets, default) or open (the whole constrained space).", DefaultValueFactory = _ => "cifar10" };
        var table = new Option<string?>("--table") { Description = "nb101: a table file (imported .bin, or the 1k-sample / API-layout .json; default: the imported table in the data folder); nb201: a CSV of your own results (an arch or arch_str column, --metric); a declared space: a CSV of its architectures and metrics." };
        var userTable = new UserTableCliOptions();
        var evaluate = new Option<string?>("--evaluate") { Description = "A declared space or nb201: train each architecture with this command ({arch_json_file} is replaced by a JSON file describing it; its last stdout line must be a JSON object with --metric), as `weaknas worker` runs it; resumable from --storage." };
        var storage = new Option<string?>("--storage") { Description = "With --evaluate: where the search's study lives (default $WEAKNAS_STORAGE, else sqlite:///weaknas.db); the same command resumes it." };
        var studyName = new Option<string?>("--study") { Description = "With --evaluate: the study's name (default search-SPACE-STRATEGY-seedSEED)." };
        var pool = new Option<int?>("--pool") { Description = $"With --evaluate: how many architectures of the declared space are searched, drawn once (default {StudyCommand.DeclaredPoolDefault:N0}; all when it has fewer); ofa-mbv3: the pool's size (default 10,000, the paper's)." };
        var poolSeed = new Option<ulong?>("--pool-seed") { Description = "With --evaluate, or ofa-mbv3: the seed the pool is drawn from (default 0)." };
        var candidates = new Option<string?>("--candidates") { Description = "With --evaluate: " + DeclaredStudy.CandidatesHelp + " Default pool." };
        var timeout = new Option<double>("--timeout") { Description = "With --evaluate: seconds before a training command is killed and the attempt fails (1 to 2,000,000).", DefaultValueFactory = _ => 86400 };
        var grace = new Option<double>("--grace") { Description = "With --evaluate: seconds without a heartbeat after which a trial of a killed run is evaluated again when the search resumes (1 to 86400).", DefaultValueFactory = _ => 10 };
        var results = new Option<string?>("--results") { Description = "With --evaluate: " + StudyCommand.ResultsHelp };
        var maxFailures = new Option<int>("--max-failures") { Description = $"With --evaluate: stop (exit code {StudyCommand.PausedExitCode}) once the last K trials all failed; 0: never.", DefaultValueFactory = _ => 5 };
        var retries = new Option<int>("--retries") { Description = "With --evaluate: extra attempts of a failed training before the trial fails (0 to 100).", DefaultValueFactory = _ => 1 };
        var strategy = new Option<string>("--strategy") { Description = $"One of {string.Join(", ", StrategyFactory.Names)}; with --objectives one of {string.Join(", ", MultiObjectiveStrategyFactory.Names)}.", DefaultValueFactory = _ => "weaknas" };
        var budget = new Option<int>("--budget") { Description = "Queries (distinct architectures evaluated).", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed; the same seed gives the same search.", DefaultValueFactory = _ => 0 };
        var data = new Option<string?>("--data") { Description = $"Folder holding nasbench201/ (default: ${DataFolder.EnvironmentVariable})." };
        var noise = new Option<string>("--noise") { Description = "mean: seed-mean accuracy; seed: one training seed at random (cifar10).", DefaultValueFactory = _ => "mean" };
        var output = new Option<string?>("--out") { Description = "Write the full result as JSON to this file." };
        var weakNasOptions = new WeakNasCliOptions();
        var constraintOptions = new ConstraintCliOptions();
        var objectiveOptions = new ObjectiveCliOptions();
        var plot = new Option<string?>("--plot") { Description = "Also write the search's history as a PNG: every query's value and the best so far (with --objectives, the found front in FILE-front.png beside it)." };
        var stopAtOptimum = new Option<bool>("--stop-at-optimum") { Description = "Stop once the benchmark's optimum has been evaluated." };
        var noProgress = new Option<bool>("--no-progress") { Description = "Do not draw the progress bar on stderr." };
        var ofaOptions = new OfaSearchCli();

        var command = new Command("search", "Run one search on a tabular benchmark and report the best architecture found.")
        {
            space, dataset, table, strategy, budget, seed, data, noise, output, plot, stopAtOptimum, noProgress,
        };
        weakNasOptions.AddTo(command);
        constraintOptions.AddTo(command);
        objectiveOptions.AddTo(command);
        userTable.AddTo(command);
        ofaOptions.AddTo(command);
        foreach (var option in new Option[] { evaluate, storage, studyName, pool, poolSeed, candidates, timeout, grace, retries, results, maxFailures }) command.Options.Add(option);

        command.SetAction(parse =>
        {
            string spaceName = parse.GetValue(space)!;
            bool declared = UserTableCliOptions.IsDeclared(spaceName);
            string datasetName = parse.GetValue(dataset)!;
            if (spaceName == OfaMobileNetV3Provider.Instance.Name) return SearchOfa();
            ofaOptions.CheckUnused(parse, spaceName);
            // NAS-Bench-201 results of one's own: --space nb201 --table FILE (the cells' text form in an arch column).
            bool ownNb201 = spaceName == "nb201" && parse.GetValue(table) != null;
            // The DARTS space over a table of genotypes (NASLib's zc_nasbench301 JSON, or a CSV with an arch column).
            var darts = DartsProvider.Find(spaceName);
            bool dartsTable = darts != null && parse.GetValue(table) != null;
            if (darts != null && parse.GetValue(table) == null && parse.GetValue(evaluate) == null)
                throw new InvalidInputException($"{spaceName} has no built-in table: search it over a table of genotypes (--table FILE.json or .csv, e.g. NASLib's zc_nasbench301_725.json) or train with --evaluate CMD");
            if (darts != null)
            {
                if (parse.GetResult(dataset) is { Implicit: false })
                    throw new InvalidInputException($"--dataset does not apply to {spaceName}: its table (--table) or your command (--evaluate) is the dataset");
                // With --evaluate, --metric names the key of the command's JSON to maximise; there is no table to report from.
                if (!dartsTable) userTable.CheckReportUnused(parse, spaceName);
            }
            else if (!declared && !ownNb201)
            {
                CheckDataset(spaceName, datasetName);
                userTable.CheckUnused(parse, spaceName);
            }
            else if (parse.GetResult(dataset) is { Implicit: false })
            {
                throw new InvalidInputException("--dataset does not apply to a table of your own: the table (--table) is the dataset");
            }
            string strategyName = parse.GetValue(strategy)!;
            var objectives = objectiveOptions.Objectives(parse);
            if (objectives == null) StrategyFactory.CheckName(strategyName);
            else MultiObjectiveStrategyFactory.CheckName(strategyName);
            var noiseMode = parse.GetValue(noise) switch
            {
                "mean" => NoiseMode.Mean,
                "seed" => NoiseMode.Seed,
                var other => throw new InvalidInputException($"unknown --noise '{other}'; expected mean or seed"),
            };
            int budgetValue = parse.GetValue(budget);
            if (budgetValue <= 0) throw new InvalidInputException($"--budget must be positive, got {budgetValue}");

            var options = weakNasOptions.Build(parse, spaceName, budgetValue, [strategyName], stderr);
            var constraints = constraintOptions.Constraints(parse);
            var model = constraintOptions.Model(parse);
            ConstraintCliOptions.CheckModelNeedsLatency(model, [constraints]);
            if (objectives != null) ObjectiveCliOptions.CheckCompatible(spaceName, parse.GetValue(stopAtOptimum), model, options.StallPatience);

            ulong seedValue = parse.GetValue(seed);
            string? dataOption = parse.GetValue(data);
            bool progress = !parse.GetValue(noProgress), stop = parse.GetValue(stopAtOptimum);
            string? path = parse.GetValue(output);
            string? plotPath = parse.GetValue(plot);
            // A search that cannot save its result is not started.
            if (path != null) OutputFile.CheckWritable(path, "--out");
            HistoryPlots.CheckPlotPath(plotPath, objectives != null);
            int exitCode = 0;
            if (declared && (objectives != null || constraints != null))
                throw new InvalidInputException("--objectives and --constraint need a space with hardware tables (nb201); a declared space has none yet");
            // The user's training command: a declared space, or a built-in one studies can search (NAS-Bench-201 cells trained for real).
            if (parse.GetValue(evaluate) is { } commandText && (declared || SpaceRegistry.Find(spaceName) is { HasStudies: true }))
            {
                if (!declared && (objectives != null || (constraints != null && darts == null)))
                    throw new InvalidInputException("--objectives and --constraint read the benchmark's tables: not with --evaluate");
                string[]? dartsConstraints = darts != null && constraints != null ? DartsConstraint.Texts(constraintOptions.Texts(parse)!) : null;
                if (!declared && parse.GetResult(dataset) is { Implicit: false })
                    throw new InvalidInputException("--dataset names a benchmark table: with --evaluate your command is the evaluation");
                if (parse.GetValue(table) != null) throw new InvalidInputException("give --table (look results up) or --evaluate (train them), not both");
                var (seconds, graceSeconds, retryCount) = EvaluateLimits();
                var declaredStudy = DeclaredStudy.Of(spaceName, parse.GetValue(pool), parse.GetValue(poolSeed), parse.GetValue(candidates));
                string name = parse.GetValue(studyName) ?? $"search-{declaredStudy?.Space ?? spaceName}-{strategyName}-seed{seedValue}";
                return EvaluateSearch.Run(new EvaluateSearch.Settings(name, parse.GetValue(storage), spaceName, declaredStudy, strategyName, seedValue, budgetValue, options,
                    commandText, seconds, graceSeconds, retryCount, userTable.Metric(parse), path, Results: parse.GetValue(results), MaxFailures: parse.GetValue(maxFailures), Plot: plotPath,
                    SpaceConstraints: dartsConstraints), stdout, stderr);
            }
            foreach (var option in new Option[] { evaluate, storage, studyName, pool, poolSeed, candidates, timeout, grace, retries, results, maxFailures })
                if (parse.GetResult(option) is { Implicit: false }) throw new InvalidInputException($"{option.Name} applies to a search with --evaluate (a declared space, or nb201 trained by your command)");
            if (declared)
            {
                var benchmark = userTable.Load(parse, spaceName, parse.GetValue(table));
                stderr.WriteLine(benchmark.Describe());
                Execute(benchmark, DeclaredSetup.Encodings(benchmark), null);
            }
            else if (dartsTable)
            {
                if (objectives != null) throw new InvalidInputException($"--objectives need a space with hardware tables (nb201); {spaceName} has parameter counts only: use --constraint 'params<=X'");
                var benchmark = DartsSetup.Load(darts!, parse.GetValue(table)!, userTable.Metric(parse), userTable.ReportMetric(parse));
                stderr.WriteLine(benchmark.Describe());
                var setup = constraints == null ? null : new ConstraintSetup(constraints.Resolve(DartsSetup.Metrics(benchmark)), model);
                Execute(benchmark, DartsSetup.Encodings(benchmark), setup);
            }
            else if (ownNb201)
            {
                if (objectives != null || constraints != null)
                    throw new InvalidInputException("--objectives and --constraint read the benchmark's own tables: not with --table");
                var benchmark = userTable.LoadNasBench201(parse, parse.GetValue(table)!);
                stderr.WriteLine(benchmark.Describe());
                Execute(benchmark, DeclaredSetup.Encodings(benchmark), null);
            }
            else if (spaceName == "nb201")
            {
                var folder = DataFolder.Resolve(dataOption);
                var benchmark = NasBench201Benchmark.Load(folder, datasetName, noiseMode == NoiseMode.Seed);
                if (objectives != null)
                {
                    var metrics = NasBench201Hardware.Metrics(benchmark, objectives.HasLatency || constraints?.HasLatency == true ? NasBench201Hardware.LoadLatency(folder) : null);
                    var constraintSetup = constraints == null ? null : new ConstraintSetup(constraints.Resolve(metrics));
                    var found = MultiObjectiveSearch.Run(stdout, stderr, benchmark, objectives, metrics, constraintSetup, strategyName, seedValue, options, budgetValue, noiseMode, progress);
                    if (path != null) WriteJson(path, found);
                    HistoryPlots.WriteSearch(plotPath, found);
                    return Interrupted(found, budgetValue, path);
                }
                var setup = constraints == null ? null : new ConstraintSetup(
                    constraints.Resolve(NasBench201Hardware.Metrics(benchmark, constraints.HasLatency ? NasBench201Hardware.LoadLatency(folder) : null)), model);
                Execute(benchmark, NasBench201Setup.Encodings, setup);
            }
            else
            {
                var benchmark = NasBench101Setup.Load(parse.GetValue(table), () => DataFolder.Resolve(dataOption), stderr.WriteLine);
                var setup = constraints == null ? null : new ConstraintSetup(constraints.Resolve(NasBench101Metrics.For(benchmark)), model);
                Execute(benchmark, NasBench101Setup.Encodings(benchmark), setup);
            }
            return exitCode;

            // The training command's limits (--evaluate): timeout, heartbeat grace and retries.
            (double Timeout, double Grace, int Retries) EvaluateLimits()
            {
                // Each in its range already (NumericOptions).
                return (parse.GetValue(timeout), parse.GetValue(grace), parse.GetValue(retries));
            }

            // The once-for-all MobileNetV3 space, evaluated by once-for-all's accuracy predictor: in the paper's pool or the open window.
            int SearchOfa()
            {
                string which = parse.GetResult(dataset) is { Implicit: false } ? datasetName : OfaMobileNetV3Provider.PoolDataset;
                CheckDataset(spaceName, which);
                userTable.CheckUnused(parse, spaceName);
                if (parse.GetValue(table) != null) throw new InvalidInputException("--table does not apply to ofa-mbv3: once-for-all's accuracy predictor evaluates it");
                string? commandText = parse.GetValue(evaluate);
                if (commandText == null)
                {
                    foreach (var option in new Option[] { storage, studyName, candidates, timeout, grace, retries, results, maxFailures })
                        if (parse.GetResult(option) is { Implicit: false }) throw new InvalidInputException($"{option.Name} applies to a search with --evaluate (your own training command)");
                }
                if (parse.GetResult(noise) is { Implicit: false }) throw new InvalidInputException("--noise does not apply to ofa-mbv3: the accuracy predictor gives one value per subnet");
                string strategyName = parse.GetValue(strategy)!;
                var objectives = objectiveOptions.Objectives(parse);
                if (objectives == null) StrategyFactory.CheckName(strategyName);
                else MultiObjectiveStrategyFactory.CheckName(strategyName);
                if (constraintOptions.Model(parse) != null) throw new InvalidInputException("--latency-model applies to nb201 and nb101; ofa-mbv3's latency comes from its lookup tables");
                int budgetValue = parse.GetValue(budget);
                if (budgetValue <= 0) throw new InvalidInputException($"--budget must be positive, got {budgetValue}");
                var options = weakNasOptions.Build(parse, spaceName, budgetValue, [strategyName], stderr);
                string? path = parse.GetValue(output);
                string? plotPath = parse.GetValue(plot);
                if (path != null) OutputFile.CheckWritable(path, "--out");
                HistoryPlots.CheckPlotPath(plotPath, objectives != null);
                var settings = ofaOptions.Settings(parse, constraintOptions.Constraints(parse), parse.GetValue(pool), parse.GetValue(poolSeed));
                if (commandText != null)
                {
                    // The user's command trains or evaluates each subnet (a once-for-all script): a resumable study.
                    if (parse.GetResult(dataset) is { Implicit: false }) throw new InvalidInputException("--dataset does not apply with --evaluate: say --candidates pool or fresh");
                    var ofaStudy = ofaOptions.StudySettings(parse, constraintOptions.Texts(parse), parse.GetValue(pool), parse.GetValue(poolSeed), parse.GetValue(candidates));
                    var (seconds, graceSeconds, retryCount) = EvaluateLimits();
                    ulong seedValue = parse.GetValue(seed);
                    string name = parse.GetValue(studyName) ?? $"search-{spaceName}-{strategyName}-seed{seedValue}";
                    return EvaluateSearch.Run(new EvaluateSearch.Settings(name, parse.GetValue(storage), spaceName, null, strategyName, seedValue, budgetValue, options,
                        commandText, seconds, graceSeconds, retryCount, userTable.Metric(parse), path, ofaStudy, parse.GetValue(results), parse.GetValue(maxFailures), plotPath), stdout, stderr);
                }
                var ofa = OfaSearch.Load(settings, DataFolder.Resolve(parse.GetValue(data)),
                    objectives?.Costs.Where(c => c.StartsWith(ArchitectureMetrics.LatencyPrefix, StringComparison.Ordinal)).Select(c => c[ArchitectureMetrics.LatencyPrefix.Length..]));
                if (objectives != null)
                {
                    // Accuracy against FLOPs, parameters or latency, over the pool (whose true front is known).
                    if (which != OfaMobileNetV3Provider.PoolDataset) throw new InvalidInputException("--objectives in ofa-mbv3 search the pool (--dataset pool), whose true front is known");
                    if (parse.GetValue(stopAtOptimum)) throw new InvalidInputException("--stop-at-optimum does not apply to --objectives: a front has no single optimum");
                    if (options.StallPatience > 0) throw new InvalidInputException("--stall-patience does not apply to --objectives: there is no single best to stall on");
                    var pool = ofa.PoolBenchmark;
                    var problem = objectives.Resolve(pool.SearchAccuracy, ofa.PoolMetrics(), null);
                    var found = MultiObjectiveSearch.Run(stdout, stderr, pool, objectives, problem, strategyName, parse.GetValue(seed), options, budgetValue, !parse.GetValue(noProgress));
                    if (path != null) OutputFile.Write(path, "--out", SearchResultJson.Serialize(found));
                    HistoryPlots.WriteSearch(plotPath, found);
                    return found.Interrupted ? Interruption.ExitCode : 0;
                }
                return OfaSearchCli.Search(stdout, stderr, ofa, which, strategyName, parse.GetValue(seed), options, budgetValue,
                    parse.GetValue(stopAtOptimum), !parse.GetValue(noProgress), path, plotPath);
            }

            // An interrupted search says so, and where its partial result went.
            int Interrupted(SearchResult result, int budget, string? written)
            {
                if (!result.Interrupted) return 0;
                stderr.WriteLine($"weaknas: interrupted after {result.Queries.Count} of {budget} queries"
                    + (written != null ? $"; wrote the partial result to {written} (marked \"complete\": false)" : ""));
                return Interruption.ExitCode;
            }

            void Execute<TArch>(ITabularBenchmark<TArch> benchmark, SpaceEncodings encodings, ConstraintSetup? setup) where TArch : notnull, IEquatable<TArch>
            {
                if (options.Budget > benchmark.Space.Count)
                    throw new InvalidInputException($"--budget {options.Budget} exceeds the {benchmark.Space.Count} architectures of this {spaceName} table");
                var chosen = StrategyFactory.Create(strategyName, benchmark.Space, encodings, seedValue, options, constraint: setup?.Start(seedValue));
                using var bar = new ProgressBar(stderr, budgetValue, enabled: progress);
                using var interrupt = new Interruption();
                var result = SearchRunner.Run(benchmark, chosen, budgetValue, seedValue, noiseMode,
                    (record, best) => bar.Update(record.N, best.SearchAccuracy, best.N), stop, interrupt.Token);
                bar.Finish();
                WriteSummary(stdout, result, benchmark);
                if (path != null) WriteJson(path, result);
                HistoryPlots.WriteSearch(plotPath, result);
                exitCode = Interrupted(result, budgetValue, path);
            }
        });
        return command;
    }

    internal static void CheckDataset(string space, string dataset)
    {
        var known = SpaceRegistry.Get(space).Datasets;
        if (!known.Contains(dataset))
            throw new InvalidInputException($"unknown dataset '{dataset}' for {space}; expected one of {string.Join(", ", known)}");
    }

    private static void WriteSummary<TArch>(TextWriter stdout, SearchResult result, ITabularBenchmark<TArch> benchmark)
        where TArch : notnull, IEquatable<TArch>
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(inv, $"{result.Strategy} on {result.Space}/{result.Dataset} (noise {result.Noise}), seed {result.Seed}: {result.Queries.Count} queries in {result.Seconds:F1} s"));
        var c = result.Constraint;
        if (c != null)
            stdout.WriteLine(string.Create(inv, $"constraint {c.Constraints} ({c.Bounds}): {c.FeasibleCount:N0} feasible architectures; feasibility from the {c.Mode}"));
        if (result.Best is { } best)
        {
            stdout.WriteLine(string.Create(inv, $"best{(c != null ? " feasible" : "")}: query {best.N}, {benchmark.SearchMetric} {best.SearchAccuracy:F4}, {benchmark.TestMetric} {best.TestAccuracy:F4}, index {best.Index}"));
            stdout.WriteLine($"      {best.Arch}");
        }
        string optimum = c != null ? "constrained optimum" : "global optimum";
        stdout.WriteLine(string.Create(inv, $"{optimum}: index {result.OptimumIndex}, {benchmark.SearchMetric} {result.OptimumSearchAccuracy:F4}"));
        stdout.WriteLine(result.FoundOptimumAt is int at
            ? $"found the {optimum} at query {at}"
            : $"did not find the {optimum} within {result.Budget} queries");
        if (c != null)
            stdout.WriteLine(string.Create(inv, $"device queries (latency measurements): {c.DeviceQueries}; infeasible architectures evaluated: {c.InfeasibleEvaluated}"));
    }

    private static void WriteJson(string path, SearchResult result) => OutputFile.Write(path, "--out", SearchResultJson.Serialize(result));
}
