using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WeakNas.Spaces;
using WeakNas.Spaces.NasBench201;
using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Studies;
using WeakNas.Spaces.MobileNetV3;

namespace WeakNas.Cli;

/// <summary>`weaknas study create|status|export|ask|tell` and `weaknas worker`: persistent, resumable, distributed searches.</summary>
internal static class StudyCommand
{
    private static Option<string?> StorageOption() => new("--storage")
    {
        Description = $"Storage URL: sqlite:///relative.db, sqlite:////absolute.db, postgresql://user:password@host:port/db (default: ${StudyStorage.EnvironmentVariable}, else sqlite:///{StudyStorage.DefaultFile}).",
    };

    private static Argument<string> NameArgument() => new("name") { Description = "Study name." };

    private static Option<string?> DataOption() => new("--data")
    {
        Description = $"Folder holding nasbench201/ (default: ${DataFolder.EnvironmentVariable}); a constrained study reads its latency/params tables there.",
    };

    /// <summary>Loads a study; a constrained one resolves its feasible set now, so a missing table is reported before any work.</summary>
    private static Study LoadForProposals(IStudyStorage store, string name, string? dataOption)
    {
        var s = Study.Load(store, name, dataFolder: DataFolder.Given(dataOption));
        _ = s.Feasible;
        return s;
    }

    private static IStudyStorage OpenStorage(ParseResult parse, Option<string?> storage) => StudyStorage.Open(StudyStorage.Resolve(parse.GetValue(storage)));

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var study = new Command("study", "Create and inspect persistent studies; ask and tell from scripts.");
        study.Subcommands.Add(CreateCommand(stdout, stderr));
        study.Subcommands.Add(StatusCommand(stdout));
        study.Subcommands.Add(ExportCommand(stdout));
        study.Subcommands.Add(PlotCommand(stdout));
        study.Subcommands.Add(AskCommand(stdout, stderr));
        study.Subcommands.Add(TellCommand(stdout));
        study.Subcommands.Add(ResumeCommand(stdout));
        study.Subcommands.Add(StudyPerfCommand.Create(stdout));
        return study;
    }

    internal const int DeclaredPoolDefault = 10_000;

    private static Command CreateCommand(TextWriter stdout, TextWriter stderr)
    {
        var name = NameArgument();
        var storage = StorageOption();
        var space = new Option<string>("--space") { Description = $"Search space: {string.Join(", ", StudySpace.Names)}, or a declaration file (.json, .yaml) whose pool the study searches.", DefaultValueFactory = _ => "nb201" };
        var pool = new Option<int?>("--pool") { Description = $"A declared space: how many of its architectures the study searches, drawn once (default {DeclaredPoolDefault:N0}, at most {StudySpec.MaxPool:N0}; all of them when it has fewer)." };
        var poolSeed = new Option<ulong?>("--pool-seed") { Description = "A declared space: the seed the pool is drawn from (default 0; studies with one pool seed search one pool)." };
        var candidates = new Option<string?>("--candidates") { Description = DeclaredStudy.CandidatesHelp + " Default pool." };
        var strategy = new Option<string>("--strategy") { Description = $"One of {string.Join(", ", StrategyFactory.Names)}.", DefaultValueFactory = _ => "weaknas" };
        var budget = new Option<int>("--budget") { Description = "Trials the study proposes at most.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of the strategy.", DefaultValueFactory = _ => 0 };
        var metric = new Option<string>("--metric") { Description = "Key of the evaluator's JSON object to maximise.", DefaultValueFactory = _ => "accuracy" };
        var batch = new Option<int>("--batch") { Description = "Proposals requested from the strategy at once (WeakNAS proposes its own M).", DefaultValueFactory = _ => 100 };
        var grace = new Option<double>("--grace") { Description = "Seconds without a heartbeat after which a running trial is re-queued.", DefaultValueFactory = _ => 60 };
        var attempts = new Option<int>("--max-attempts") { Description = "Claims of one trial before it fails for good.", DefaultValueFactory = _ => 3 };
        var constraint = new Option<string[]>("--constraint")
        {
            Description = "An upper bound every proposed architecture must meet, repeatable (all must hold): METRIC<=BOUND or METRIC<BOUND, "
                + "METRIC params (millions) or latency:DEVICE (ms, a device of nb201_latency.csv), BOUND a number or a percentile pQ over all cells, "
                + "e.g. latency:pixel3<=12.5, params<=0.8, latency:fpga<=p25. Resolved to absolute bounds now and stored with the study.",
            AllowMultipleArgumentsPerToken = false,
        };
        var data = DataOption();
        var dataset = new Option<string?>("--dataset") { Description = "With --constraint: the NAS-Bench-201 dataset whose parameter column params bounds (default cifar10)." };
        var weakNas = new WeakNasCliOptions();
        var ofaOptions = new OfaSearchCli();
        var command = new Command("create", "Create a study in the storage.") { name, storage, space, strategy, budget, seed, metric, batch, grace, attempts, constraint, data, dataset };
        weakNas.AddTo(command);
        ofaOptions.AddTo(command);
        command.Options.Add(pool);
        command.Options.Add(poolSeed);
        command.Options.Add(candidates);
        command.SetAction(parse =>
        {
            string spaceName = parse.GetValue(space)!;
            // once-for-all MobileNetV3: its own width, resolution, FLOPs/params constraints and pool or fresh candidates.
            bool ofa = spaceName == OfaMobileNetV3Provider.Instance.Name;
            if (!ofa) ofaOptions.CheckUnused(parse, spaceName);
            var ofaStudy = ofa ? ofaOptions.StudySettings(parse, parse.GetValue(constraint) is { Length: > 0 } texts ? texts : null, parse.GetValue(pool), parse.GetValue(poolSeed), parse.GetValue(candidates)) : null;
            var declared = ofa ? null : DeclaredStudy.Of(spaceName, parse.GetValue(pool), parse.GetValue(poolSeed), parse.GetValue(candidates));
            if (declared == null) StudySpace.Get(spaceName);
            string strategyName = parse.GetValue(strategy)!;
            StrategyFactory.CheckName(strategyName);
            int budgetValue = parse.GetValue(budget);
            if (budgetValue <= 0) throw new InvalidInputException($"--budget must be positive, got {budgetValue}");
            var weakNasSettings = weakNas.Build(parse, spaceName, budgetValue, [strategyName], stderr);
            var constraints = WeakNas.Hardware.ConstraintSet.Parse(parse.GetValue(constraint));
            string? datasetName = parse.GetValue(dataset);
            StudyConstraint? stored = null;
            string[]? spaceConstraints = null;
            string? folder = null;
            if (ofa)
            {
                if (datasetName != null) throw new InvalidInputException("--dataset does not apply to ofa-mbv3: your command evaluates");
            }
            else if (constraints == null)
            {
                if (datasetName != null) throw new InvalidInputException("--dataset applies only with --constraint");
            }
            else if (WeakNas.Spaces.Darts.DartsProvider.Find(spaceName) != null)
            {
                // A darts study applies params<=X itself: its pool or fresh candidates are feasible genotypes only.
                if (datasetName != null) throw new InvalidInputException("--dataset does not apply to darts: params counts DARTS's CIFAR-10 network");
                spaceConstraints = WeakNas.Spaces.Darts.DartsConstraint.Texts(parse.GetValue(constraint)!);
            }
            else
            {
                if (SpaceRegistry.Find(spaceName) is not { HasHardwareTables: true }) throw new InvalidInputException($"study constraints need a space with hardware tables ({SpaceRegistry.WithHardwareTables}), not {spaceName}");
                datasetName ??= "cifar10";
                SearchCommand.CheckDataset(spaceName, datasetName);
                folder = DataFolder.ResolveFolderOrNull(parse.GetValue(data));
                stored = StudyConstraint.Create(constraints, datasetName, folder);
            }
            if (declared != null && constraints != null && spaceConstraints == null) throw new InvalidInputException("--constraint needs a space with hardware tables (nb201); a declared space has none yet");
            var spec = new StudySpec
            {
                Name = parse.GetValue(name)!,
                Space = declared?.Space ?? spaceName,
                Declaration = declared?.Declaration,
                Pool = declared?.Pool,
                PoolSeed = declared?.PoolSeed,
                Strategy = parse.GetValue(strategy)!,
                Seed = parse.GetValue(seed),
                Budget = budgetValue,
                Metric = parse.GetValue(metric)!,
                BatchSize = parse.GetValue(batch),
                GraceSeconds = parse.GetValue(grace),
                MaxAttempts = parse.GetValue(attempts),
                WeakNas = WeakNasCliOptions.UsedBy.Contains(strategyName) ? WeakNasStudySettings.From(weakNasSettings) : null,
                Constraint = stored,
                SpaceConstraints = spaceConstraints,
                Ofa = ofaStudy,
            };
            using var store = OpenStorage(parse, storage);
            var created = Study.Create(store, spec, dataFolder: folder);
            stdout.WriteLine($"created study {created.Name} in {StudyStorage.Resolve(parse.GetValue(storage))}: {spec.Strategy} on {spec.Space}, budget {spec.Budget}, seed {spec.Seed}");
            if (stored != null) stdout.WriteLine("constraint: " + stored.Describe());
            if (spaceConstraints != null) stdout.WriteLine($"constraint: {string.Join(" & ", spaceConstraints)} (millions of parameters of DARTS's CIFAR-10 network): every genotype proposed meets it");
            if (declared != null) stdout.WriteLine(declared.Describe(StudySpace.Get(spec)));
            if (ofaStudy != null) stdout.WriteLine("ofa-mbv3 " + ofaStudy.Describe());
            return 0;
        });
        return command;
    }

    private static Command StatusCommand(TextWriter stdout)
    {
        var name = NameArgument();
        var storage = StorageOption();
        var command = new Command("status", "Counts of trials by state and the best so far.") { name, storage };
        command.SetAction(parse =>
        {
            using var store = OpenStorage(parse, storage);
            stdout.Write(Study.Load(store, parse.GetValue(name)!).Status().ToText());
            return 0;
        });
        return command;
    }

    /// <summary>Exit code of a worker (or `study ask`) that stopped because the study is paused: its evaluator looks broken.</summary>
    public const int PausedExitCode = 3;

    /// <summary>The progress line of a finished trial: <c>trial 3 ARCH: complete, accuracy 87.14</c> or <c>trial 3 ARCH: failed: REASON</c>.</summary>
    internal static string FinishedLine(StudySpec spec, Trial t, string? metrics, string? error) =>
        metrics == null
            ? $"trial {t.Number} {t.Arch}: failed: {error}"
            : string.Create(CultureInfo.InvariantCulture, $"trial {t.Number} {t.Arch}: complete, {spec.Metric} {StudyMetrics.Read(metrics, spec.Metric):G6}");

    /// <summary>Says on stderr that the study is paused and why; returns <see cref="PausedExitCode"/>.</summary>
    private static int Paused(TextWriter stderr, string study, string reason)
    {
        lock (stderr) stderr.WriteLine($"weaknas: study '{study}' is paused: {reason}; fix the evaluator, then run `weaknas study resume {study}`");
        return PausedExitCode;
    }

    private static Command ResumeCommand(TextWriter stdout)
    {
        var name = NameArgument();
        var storage = StorageOption();
        var command = new Command("resume", "Resume a study paused by a worker's circuit breaker (after fixing its evaluator).") { name, storage };
        command.SetAction(parse =>
        {
            using var store = OpenStorage(parse, storage);
            var s = Study.Load(store, parse.GetValue(name)!);
            string? reason = s.Paused();
            s.Resume();
            stdout.WriteLine(reason == null ? $"study {s.Name} was not paused" : $"study {s.Name} resumed (it was paused: {reason})");
            return 0;
        });
        return command;
    }

    private static Command ExportCommand(TextWriter stdout)
    {
        var name = NameArgument();
        var storage = StorageOption();
        var format = new Option<string>("--format") { Description = "csv or json.", DefaultValueFactory = _ => "csv" };
        var output = new Option<string?>("--out") { Description = "File to write (default: stdout)." };
        var command = new Command("export", "Every trial of a study as CSV or JSON.") { name, storage, format, output };
        command.SetAction(parse =>
        {
            string f = parse.GetValue(format)!;
            if (f != "csv" && f != "json") throw new InvalidInputException($"unknown --format '{f}'; expected csv or json");
            using var store = OpenStorage(parse, storage);
            var s = Study.Load(store, parse.GetValue(name)!);
            string text = f == "csv" ? StudyExport.Csv(s.Trials()) : StudyExport.Json(s.Spec, s.Trials());
            if (parse.GetValue(output) is { } path) OutputFile.Write(path, "--out", text);
            else stdout.Write(text);
            return 0;
        });
        return command;
    }

    private static Command PlotCommand(TextWriter stdout)
    {
        var names = new Argument<string[]>("names") { Description = "One or more study names.", Arity = ArgumentArity.OneOrMore };
        var storage = StorageOption();
        var output = new Option<string>("--out") { Description = "Folder for the PNG files: history-NAME.png per study; with several studies also best-by-trial.png and best-by-seconds.png (per strategy, mean ± 1 std).", Required = true };
        var command = new Command("plot", "Plot studies: each one's history (every trial's value, the best so far, failures) and, for several, their best so far against trials and seconds.") { names, storage, output };
        command.SetAction(parse =>
        {
            var asked = parse.GetValue(names)!;
            if (asked.Distinct(StringComparer.Ordinal).Count() != asked.Length) throw new InvalidInputException("a study is named twice");
            string folder = parse.GetValue(output)!;
            using var store = OpenStorage(parse, storage);
            var studies = asked.Select(n => Study.Load(store, n)).Select(s => (s.Spec, Trials: s.Trials())).ToList();
            if (studies.Select(s => s.Spec.Metric).Distinct(StringComparer.Ordinal).Count() > 1)
                throw new InvalidInputException($"the studies maximise different metrics ({string.Join(", ", studies.Select(s => $"{s.Spec.Name}: {s.Spec.Metric}"))}): plot them apart");
            var files = studies.Select(s => ($"history-{Bench.BenchPlots.Slug(s.Spec.Name)}.png", (Func<byte[]>)(() => HistoryPlots.Draw(HistoryPlots.Of(s.Spec, s.Trials))))).ToList();
            if (files.Select(f => f.Item1).Distinct(StringComparer.Ordinal).Count() != files.Count)
                throw new InvalidInputException("two of the studies' names give the same file name: plot them apart");
            if (studies.Count > 1)
            {
                files.Add(("best-by-trial.png", () => HistoryPlots.DrawComparison(studies, bySeconds: false)));
                files.Add(("best-by-seconds.png", () => HistoryPlots.DrawComparison(studies, bySeconds: true)));
            }
            foreach (var (file, _) in files) OutputFile.CheckWritable(Path.Combine(folder, file), "--out");
            foreach (var (file, draw) in files)
            {
                var png = draw();
                OutputFile.Write(Path.Combine(folder, file), "--out", stream => stream.Write(png));
            }
            stdout.WriteLine($"wrote {files.Count} plot{(files.Count == 1 ? "" : "s")} to {folder}: {string.Join(", ", files.Select(f => f.Item1))}");
            return 0;
        });
        return command;
    }

    private static Command AskCommand(TextWriter stdout, TextWriter stderr)
    {
        var name = NameArgument();
        var storage = StorageOption();
        var count = new Option<int>("--count") { Description = "Trials to claim.", DefaultValueFactory = _ => 1 };
        var worker = new Option<string?>("--worker") { Description = "Worker id recorded with the claim (default: host and process)." };
        var data = DataOption();
        var command = new Command("ask", "Claim trials; prints one JSON object per line (trial, index, arch). Tell the results with `study tell`.")
        {
            name, storage, count, worker, data,
        };
        command.SetAction(parse =>
        {
            int n = parse.GetValue(count);
            if (n <= 0) throw new InvalidInputException($"--count must be positive, got {n}");
            using var store = OpenStorage(parse, storage);
            var s = LoadForProposals(store, parse.GetValue(name)!, parse.GetValue(data));
            if (s.Paused() is { } reason) return Paused(stderr, s.Name, reason);
            foreach (var t in s.Ask(n, parse.GetValue(worker) ?? StudyWorker.DefaultId(0)))
                stdout.WriteLine(new JsonObject { ["trial"] = t.Number, ["index"] = t.ArchIndex, ["arch"] = t.Arch }.ToJsonString());
            return 0;
        });
        return command;
    }

    private static Command TellCommand(TextWriter stdout)
    {
        var name = NameArgument();
        var trial = new Argument<int>("trial") { Description = "Trial number (from `study ask`)." };
        var storage = StorageOption();
        var metrics = new Option<string?>("--metrics") { Description = "The result as a JSON object holding the study's metric." };
        var value = new Option<double?>("--value") { Description = "The result as the study's metric alone." };
        var fail = new Option<string?>("--fail") { Description = "Mark the trial failed, with this reason." };
        var worker = new Option<string?>("--worker") { Description = "Worker id recorded with the result." };
        var command = new Command("tell", "Record a trial's result (or its failure).") { name, trial, storage, metrics, value, fail, worker };
        command.SetAction(parse =>
        {
            int number = parse.GetValue(trial);
            string? json = parse.GetValue(metrics), reason = parse.GetValue(fail);
            double? v = parse.GetValue(value);
            if ((json != null ? 1 : 0) + (v != null ? 1 : 0) + (reason != null ? 1 : 0) != 1)
                throw new InvalidInputException("study tell: give exactly one of --metrics JSON, --value X or --fail REASON");
            if (v is double given && !double.IsFinite(given))
                throw new InvalidInputException($"study tell: --value must be a finite number, got {given.ToString(CultureInfo.InvariantCulture)}");
            using var store = OpenStorage(parse, storage);
            var s = Study.Load(store, parse.GetValue(name)!);
            var all = s.Trials();
            if (number < 0 || number >= all.Count) throw new InvalidInputException($"study '{s.Name}' has no trial {number}");
            // A result for a trial nobody was given is a mistake (a wrong number, another study): refused, not recorded.
            if (all[number] is { State: TrialState.Waiting, Attempts: 0 })
                throw new InvalidInputException($"study '{s.Name}' trial {number} was never claimed; claim trials with `weaknas study ask` before telling their results");
            string id = parse.GetValue(worker) ?? StudyWorker.DefaultId(0);
            bool recorded;
            if (reason != null) recorded = s.Fail(number, reason, id);
            else
            {
                json ??= new JsonObject { [s.Spec.Metric] = v!.Value }.ToJsonString();
                try
                {
                    recorded = s.Tell(number, json, id);
                }
                catch (EvaluationException e)
                {
                    throw new InvalidInputException($"study tell: {e.Message}", e);
                }
            }
            stdout.WriteLine(recorded ? $"trial {number}: recorded" : $"trial {number}: already finished; kept the earlier result");
            return recorded ? 0 : 1;
        });
        return command;
    }

    internal const string ResultsHelp = "the study's folder of trial folders (each attempt's architecture file, output and exit code, kept on disk so a "
        + "result the command finished survives any kill); share it between workers that take each other's trials (default: beside a SQLite "
        + "file, FILE.results/STUDY; else weaknas-results/STUDY here).";

    /// <summary>The user's command as an evaluator with its results folder, saying on stderr when a trial's result comes from an earlier attempt.</summary>
    internal static CommandTrialEvaluator Evaluator(string command, double timeoutSeconds, string resultsFolder, TextWriter stderr) =>
        new(command, TimeSpan.FromSeconds(timeoutSeconds), resultsFolder)
        {
            Recovered = (t, what) =>
            {
                lock (stderr) stderr.WriteLine($"trial {t.Number} {t.Arch}: {what}");
            },
        };

    public static Command WorkerCommand(TextWriter stdout, TextWriter stderr)
    {
        var name = NameArgument();
        var storage = StorageOption();
        var evaluate = new Option<string?>("--evaluate") { Description = "Command that trains an architecture: {arch_json_file} is replaced by a JSON file describing it; its last stdout line must be a JSON object with the metric." };
        var benchmark = new Option<string?>("--benchmark") { Description = "Evaluate by NAS-Bench-201 table lookup on this dataset (cifar10, cifar100, imagenet16-120)." };
        var data = DataOption();
        var delay = new Option<double>("--delay") { Description = "With --benchmark: seconds to wait per evaluation (simulated training).", DefaultValueFactory = _ => 0 };
        var jobs = new Option<int>("--jobs") { Description = "Trials evaluated at once by this process.", DefaultValueFactory = _ => 1 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds before an evaluation command is killed and the attempt fails.", DefaultValueFactory = _ => 86400 };
        var retries = new Option<int>("--retries") { Description = "Extra attempts of a failed evaluation before the trial fails.", DefaultValueFactory = _ => 1 };
        var maxTrials = new Option<int?>("--max-trials") { Description = "Stop after this many trials per job." };
        var results = new Option<string?>("--results") { Description = "With --evaluate: " + ResultsHelp };
        var maxFailures = new Option<int>("--max-failures")
        {
            Description = $"Circuit breaker: when the study's last K finished trials all failed, pause the study and stop with exit code {PausedExitCode} (0: never).",
            DefaultValueFactory = _ => 5,
        };
        var command = new Command("worker", "Evaluate a study's trials until it is done; run as many as you like, on any machine that reaches the storage.")
        {
            name, storage, evaluate, benchmark, data, delay, jobs, timeout, retries, maxTrials, results, maxFailures,
        };
        command.SetAction(parse =>
        {
            string? commandText = parse.GetValue(evaluate), dataset = parse.GetValue(benchmark);
            if ((commandText == null) == (dataset == null)) throw new InvalidInputException("worker: give exactly one of --evaluate CMD or --benchmark DATASET");
            int jobCount = parse.GetValue(jobs), retryCount = parse.GetValue(retries);
            double seconds = parse.GetValue(timeout), delaySeconds = parse.GetValue(delay);
            if (jobCount <= 0) throw new InvalidInputException($"--jobs must be positive, got {jobCount}");
            if (retryCount < 0) throw new InvalidInputException($"--retries must be zero or positive, got {retryCount}");
            if (!(seconds > 0)) throw new InvalidInputException($"--timeout must be positive seconds, got {seconds}");
            if (!(delaySeconds >= 0)) throw new InvalidInputException($"--delay must be zero or positive seconds, got {delaySeconds}");
            using var store = OpenStorage(parse, storage);
            var s = LoadForProposals(store, parse.GetValue(name)!, parse.GetValue(data));
            ITrialEvaluator evaluator;
            if (dataset != null)
            {
                SearchCommand.CheckDataset(NasBench201Provider.Instance.Name, dataset);
                evaluator = new TabularTrialEvaluator(NasBench201Benchmark.Load(DataFolder.Resolve(parse.GetValue(data)), dataset), TimeSpan.FromSeconds(delaySeconds));
            }
            else evaluator = Evaluator(commandText!, seconds, StudyResults.Resolve(parse.GetValue(results), store, s.Name), stderr);
            if (dataset != null && parse.GetValue(results) != null) throw new InvalidInputException("--results applies with --evaluate: a table lookup has no output to keep");

            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
            Console.CancelKeyPress += onCancel;
            if (s.Paused() is { } before) return Paused(stderr, s.Name, before);
            var options = new WorkerOptions { Retries = retryCount, MaxTrials = parse.GetValue(maxTrials), MaxConsecutiveFailures = parse.GetValue(maxFailures) };
            var reports = new WorkerReport[jobCount];
            try
            {
                var threads = Enumerable.Range(0, jobCount).Select(j => new Thread(() =>
                {
                    var worker = new StudyWorker(s, evaluator, StudyWorker.DefaultId(j), options)
                    {
                        Finished = (t, metrics, error) =>
                        {
                            lock (stderr) stderr.WriteLine(FinishedLine(s.Spec, t, metrics, error));
                        },
                    };
                    reports[j] = worker.Run(cancel.Token);
                })).ToList();
                threads.ForEach(t => t.Start());
                threads.ForEach(t => t.Join());
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
            stdout.WriteLine($"worker: {reports.Sum(r => r.Completed)} complete, {reports.Sum(r => r.Failed)} failed, {reports.Sum(r => r.Lost)} results arrived after another worker's");
            stdout.Write(s.Status().ToText());
            if (reports.FirstOrDefault(r => r.Paused != null) is { Paused: { } reason }) return Paused(stderr, s.Name, reason);
            return 0;
        });
        return command;
    }
}

/// <summary>Study trials as CSV and JSON.</summary>
internal static class StudyExport
{
    public static string Csv(IReadOnlyList<Trial> trials)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = new StringBuilder("number,batch,index,arch,state,value,worker,attempts,started_ms,finished_ms,error,metrics\n");
        foreach (var t in trials)
        {
            s.Append(inv, $"{t.Number},{t.Batch},{t.ArchIndex},{Quote(t.Arch)},{Trial.StateName(t.State)},{t.Value?.ToString("R", inv)},{Quote(t.Worker)},{t.Attempts},{t.StartedMs},{t.FinishedMs},{Quote(t.Error)},{Quote(t.Metrics)}\n");
        }
        return s.ToString();
    }

    public static string Json(StudySpec spec, IReadOnlyList<Trial> trials)
    {
        var array = new JsonArray();
        foreach (var t in trials)
        {
            array.Add(new JsonObject
            {
                ["number"] = t.Number, ["batch"] = t.Batch, ["index"] = t.ArchIndex, ["arch"] = t.Arch, ["state"] = Trial.StateName(t.State),
                ["value"] = t.Value, ["metrics"] = t.Metrics == null ? null : JsonNode.Parse(t.Metrics), ["worker"] = t.Worker,
                ["attempts"] = t.Attempts, ["created_ms"] = t.CreatedMs, ["started_ms"] = t.StartedMs, ["finished_ms"] = t.FinishedMs, ["error"] = t.Error,
            });
        }
        var root = new JsonObject { ["study"] = JsonNode.Parse(spec.ToJson()), ["trials"] = array };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    private static string Quote(string? text) =>
        text == null ? "" : text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
