using System.Globalization;
using System.Text.Json;
using WeakNas.Studies;
using WeakNas.Tests.Cli;

namespace WeakNas.Tests.Studies;

/// <summary>`weaknas study …` and `weaknas worker`, run in-process on a SQLite file.</summary>
public sealed class StudyCommandTests : IDisposable
{
    private readonly TestStorage _test = new(Backends.Sqlite);

    private string Url => _test.Url!;

    public void Dispose() => _test.Dispose();

    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static void AssertUserError((int Code, string Out, string Err) result, string expected)
    {
        Assert.True(result.Code == 2, $"exit {result.Code}; stdout {result.Out}; stderr {result.Err}");
        Assert.Single(result.Err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("weaknas: ", result.Err);
        Assert.Contains(expected, result.Err);
        Assert.DoesNotContain("   at ", result.Err);
    }

    private string CreateRandom(int budget = 12)
    {
        string name = _test.NewName();
        var result = Run("study", "create", name, "--storage", Url, "--strategy", "random", "--budget", budget.ToString(CultureInfo.InvariantCulture), "--batch", "10", "--seed", "4");
        Assert.True(result.Code == 0, result.Err);
        return name;
    }

    [Fact]
    public void Create_stores_the_spec_and_a_second_create_of_the_name_is_an_error()
    {
        string name = _test.NewName();
        var first = Run("study", "create", name, "--storage", Url, "--budget", "40", "--seed", "9", "--hidden", "16,8", "--epochs", "5", "--grace", "12", "--max-attempts", "4", "--batch", "20");
        Assert.Equal(0, first.Code);
        Assert.Contains($"created study {name}", first.Out);
        var spec = _test.Storage.FindStudy(name)!;
        Assert.Equal(("weaknas", "nb201", 40, 9UL, 20, 12.0, 4), (spec.Strategy, spec.Space, spec.Budget, spec.Seed, spec.BatchSize, spec.GraceSeconds, spec.MaxAttempts));
        Assert.Equal([16, 8], spec.WeakNas!.Hidden!);
        Assert.Equal(5, spec.WeakNas.Epochs);
        Assert.True(spec.CreatedMs > 0);

        AssertUserError(Run("study", "create", name, "--storage", Url, "--budget", "50"), $"study '{name}' already exists");
        Assert.Equal(40, _test.Storage.FindStudy(name)!.Budget);
    }

    [Theory]
    [InlineData("unknown strategy 'greedy'", "--strategy", "greedy")]
    [InlineData("studies support the spaces nb201, ofa-mbv3, darts, darts-none or a declaration file (.json, .yaml); got 'nb101'", "--space", "nb101")]
    [InlineData("--budget must be between 1 and 1000000 evaluations, got 0", "--budget", "0")]
    [InlineData("--grace must be between 0.01 and 500000 seconds, got 0", "--grace", "0")]
    [InlineData("--batch must be between 1 and 100000, got 0", "--batch", "0")]
    public void Impossible_studies_are_not_created(string expected, params string[] args)
    {
        string name = _test.NewName();
        AssertUserError(Run(["study", "create", name, "--storage", Url, .. args]), expected);
        Assert.Null(_test.Storage.FindStudy(name));
    }

    [Fact]
    public void Status_of_an_unknown_study_names_the_existing_ones()
    {
        AssertUserError(Run("study", "status", "nope", "--storage", Url), "no study named 'nope': the storage holds no studies");
        string a = CreateRandom(), b = CreateRandom();
        var result = Run("study", "status", "nope", "--storage", Url);
        AssertUserError(result, "no study named 'nope'");
        Assert.Contains(a, result.Err);
        Assert.Contains(b, result.Err);
    }

    [Fact]
    public void Ask_then_tell_records_results_and_status_counts_them()
    {
        string name = CreateRandom();
        var ask = Run("study", "ask", name, "--storage", Url, "--count", "3", "--worker", "script");
        Assert.Equal(0, ask.Code);
        var asked = ask.Out.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal([0, 1, 2], asked.Select(j => j.GetProperty("trial").GetInt32()));
        var stored = _test.Storage.Trials(name);
        Assert.All(asked, j =>
        {
            var t = stored[j.GetProperty("trial").GetInt32()];
            Assert.Equal((t.ArchIndex!.Value, t.Arch), (j.GetProperty("index").GetInt32(), j.GetProperty("arch").GetString()));
            Assert.Equal((TrialState.Running, "script"), (t.State, t.Worker));
        });

        var tell = Run("study", "tell", name, "0", "--storage", Url, "--value", "91.5", "--worker", "script");
        Assert.Equal((0, "trial 0: recorded\n"), (tell.Code, tell.Out));
        Assert.Equal(0, Run("study", "tell", name, "1", "--storage", Url, "--metrics", "{\"accuracy\": 80, \"params\": 3}").Code);
        Assert.Equal(0, Run("study", "tell", name, "2", "--storage", Url, "--fail", "out of memory").Code);

        var again = Run("study", "tell", name, "0", "--storage", Url, "--value", "10");
        Assert.Equal(1, again.Code);
        Assert.Contains("already finished", again.Out);

        var trials = _test.Storage.Trials(name);
        Assert.Equal((TrialState.Complete, 91.5, "{\"accuracy\":91.5}"), (trials[0].State, trials[0].Value!.Value, trials[0].Metrics));
        Assert.Equal((TrialState.Complete, 80.0, "{\"accuracy\": 80, \"params\": 3}"), (trials[1].State, trials[1].Value!.Value, trials[1].Metrics));
        Assert.Equal((TrialState.Failed, "out of memory"), (trials[2].State, trials[2].Error));

        var status = Run("study", "status", name, "--storage", Url);
        Assert.Equal(0, status.Code);
        Assert.Contains("trials: 10 of 12 proposed; 2 complete, 1 failed, 0 running (0 workers), 7 waiting", status.Out);
        Assert.Contains($"best: trial 0, accuracy 91.5000, {trials[0].Arch} (index {trials[0].ArchIndex})", status.Out);
    }

    [Theory]
    [InlineData("metrics are not JSON", "--metrics", "accuracy=3")]
    [InlineData("metrics have no 'accuracy'", "--metrics", "{\"loss\": 3}")]
    [InlineData("metrics must be a JSON object", "--metrics", "[3]")]
    [InlineData("is NaN, not a finite number", "--metrics", "{\"accuracy\": \"NaN\"}")]
    [InlineData("finite", "--value", "NaN")]
    [InlineData("finite", "--value", "Infinity")]
    [InlineData("give exactly one of", "--value", "1", "--fail", "x")]
    [InlineData("give exactly one of")]
    public void Tell_with_a_malformed_result_is_an_error_and_changes_nothing(string expected, params string[] args)
    {
        string name = CreateRandom();
        Assert.Equal(0, Run("study", "ask", name, "--storage", Url).Code);
        AssertUserError(Run(["study", "tell", name, "0", "--storage", Url, .. args]), expected);
        Assert.Equal(TrialState.Running, _test.Storage.Trials(name)[0].State);
    }

    [Fact]
    public void Tell_of_a_trial_nobody_claimed_is_refused_and_changes_nothing()
    {
        string name = CreateRandom();
        Assert.Equal(0, Run("study", "ask", name, "--storage", Url).Code);
        // Trials 1 to 9 of the first batch exist, waiting, never claimed.
        AssertUserError(Run("study", "tell", name, "4", "--storage", Url, "--value", "1"), $"study '{name}' trial 4 was never claimed");
        AssertUserError(Run("study", "tell", name, "4", "--storage", Url, "--fail", "x"), "was never claimed");
        Assert.Equal((TrialState.Waiting, 0), (_test.Storage.Trials(name)[4].State, _test.Storage.Trials(name)[4].Attempts));
    }

    [Fact]
    public void Tell_of_a_trial_that_does_not_exist_is_an_error()
    {
        string name = CreateRandom();
        Run("study", "ask", name, "--storage", Url);
        AssertUserError(Run("study", "tell", name, "10", "--storage", Url, "--value", "1"), $"study '{name}' has no trial 10");
        AssertUserError(Run("study", "tell", "nope", "0", "--storage", Url, "--value", "1"), "no study named 'nope'");
    }

    [Fact]
    public void Export_writes_every_trial_as_json_and_csv()
    {
        string name = CreateRandom();
        Run("study", "ask", name, "--storage", Url, "--count", "2", "--worker", "exp");
        Run("study", "tell", name, "0", "--storage", Url, "--metrics", "{\"accuracy\": 70.25, \"note\": \"a, \\\"quoted\\\" text\"}");
        Run("study", "tell", name, "1", "--storage", Url, "--fail", "bad, very bad");
        var trials = _test.Storage.Trials(name);

        var json = Run("study", "export", name, "--storage", Url, "--format", "json");
        Assert.Equal(0, json.Code);
        using (var doc = JsonDocument.Parse(json.Out))
        {
            var root = doc.RootElement;
            Assert.Equal(name, root.GetProperty("study").GetProperty("name").GetString());
            Assert.Equal("random", root.GetProperty("study").GetProperty("strategy").GetString());
            Assert.Equal(12, root.GetProperty("study").GetProperty("budget").GetInt32());
            var rows = root.GetProperty("trials").EnumerateArray().ToList();
            Assert.Equal(10, rows.Count);
            Assert.Equal(Enumerable.Range(0, 10), rows.Select(r => r.GetProperty("number").GetInt32()));
            Assert.Equal(trials.Select(t => t.ArchIndex!.Value), rows.Select(r => r.GetProperty("index").GetInt32()));
            Assert.Equal(trials.Select(t => t.Arch), rows.Select(r => r.GetProperty("arch").GetString()));
            Assert.Equal(("complete", 70.25), (rows[0].GetProperty("state").GetString(), rows[0].GetProperty("value").GetDouble()));
            Assert.Equal("a, \"quoted\" text", rows[0].GetProperty("metrics").GetProperty("note").GetString());
            Assert.Equal(("failed", "bad, very bad"), (rows[1].GetProperty("state").GetString(), rows[1].GetProperty("error").GetString()));
            Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("value").ValueKind);
            Assert.Equal(("waiting", 0), (rows[2].GetProperty("state").GetString(), rows[2].GetProperty("attempts").GetInt32()));
            Assert.Equal(1, rows[0].GetProperty("attempts").GetInt32());
        }

        var csv = Run("study", "export", name, "--storage", Url, "--format", "csv");
        Assert.Equal(0, csv.Code);
        var lines = csv.Out.TrimEnd('\n').Split('\n');
        Assert.Equal("number,batch,index,arch,state,value,worker,attempts,started_ms,finished_ms,error,metrics", lines[0]);
        Assert.Equal(11, lines.Length);
        Assert.StartsWith($"0,0,{trials[0].ArchIndex},{trials[0].Arch},complete,70.25,", lines[1]);
        Assert.EndsWith(",\"{\"\"accuracy\"\": 70.25, \"\"note\"\": \"\"a, \\\"\"quoted\\\"\" text\"\"}\"", lines[1]);
        Assert.StartsWith($"1,0,{trials[1].ArchIndex},{trials[1].Arch},failed,,", lines[2]);
        Assert.Contains(",\"bad, very bad\",", lines[2]);
        Assert.Equal($"2,0,{trials[2].ArchIndex},{trials[2].Arch},waiting,,,0,,,,", lines[3]);

        // --out writes the same text to a file.
        string path = Path.Combine(Path.GetDirectoryName(_test.FilePath)!, "trials.csv");
        var toFile = Run("study", "export", name, "--storage", Url, "--format", "csv", "--out", path);
        Assert.Equal((0, ""), (toFile.Code, toFile.Out));
        Assert.Equal(csv.Out, File.ReadAllText(path));

        AssertUserError(Run("study", "export", name, "--storage", Url, "--format", "xml"), "unknown --format 'xml'");
    }

    [Fact]
    public void A_constrained_study_stores_absolute_bounds_and_its_workers_evaluate_only_feasible_cells()
    {
        string name = _test.NewName();
        var create = Run("study", "create", name, "--storage", Url, "--strategy", "random", "--budget", "15", "--batch", "10", "--seed", "2",
            "--constraint", "latency:pixel3<=p25", "--constraint", "params<=0.8", "--dataset", "cifar100", "--data", TestData.Folder);
        Assert.True(create.Code == 0, create.Err);
        var c = _test.Storage.FindStudy(name)!.Constraint!;
        Assert.Equal(["latency:pixel3<=p25", "params<=0.8"], c.Requested!);
        Assert.Matches(@"^latency:pixel3<=6\.441\d*$", c.Constraints[0]);
        Assert.Equal("params<=0.8", c.Constraints[1]);
        Assert.Equal("cifar100", c.Dataset);
        Assert.Contains($"(params of cifar100): {c.FeasibleCount:N0} of 15,625 architectures feasible", create.Out);

        // study ask needs the tables; a folder without them is named in the error, and nothing is proposed.
        using var empty = new TemporaryFolder();
        Directory.CreateDirectory(Path.Combine(empty.Path, "nasbench201"));
        AssertUserError(Run("study", "ask", name, "--storage", Url, "--data", empty.Path), Path.Combine(empty.Path, "nasbench201", "nb201_latency.csv"));
        Assert.Empty(_test.Storage.Trials(name));
        var ask = Run("study", "ask", name, "--storage", Url, "--data", TestData.Folder, "--count", "2");
        Assert.True(ask.Code == 0, ask.Err);
        Assert.Equal(2, ask.Out.TrimEnd('\n').Split('\n').Length);
        Run("study", "tell", name, "0", "--storage", Url, "--value", "1");
        Run("study", "tell", name, "1", "--storage", Url, "--value", "2");

        var worker = Run("worker", name, "--storage", Url, "--benchmark", "cifar100", "--data", TestData.Folder);
        Assert.True(worker.Code == 0, worker.Err);
        var trials = _test.Storage.Trials(name);
        Assert.Equal(15, trials.Count);
        var bench = WeakNas.Benchmarks.NasBench201Benchmark.Load(TestData.Folder, "cifar100");
        var pixel3 = WeakNas.Tests.Hardware.HardwareData.LatencyOf("pixel3");
        double bound = double.Parse(c.Constraints[0]["latency:pixel3<=".Length..], CultureInfo.InvariantCulture);
        Assert.All(trials, t => Assert.True(pixel3[t.ArchIndex!.Value] <= bound && bench.Parameters(t.ArchIndex!.Value) <= 0.8, $"index {t.ArchIndex!.Value} is infeasible"));

        // status and export show the constraint without needing the tables.
        var status = Run("study", "status", name, "--storage", Url);
        Assert.Contains("constraint: latency:pixel3<=p25 & params<=0.8 = latency:pixel3<=6.4411 ms & params<=0.8 M (params of cifar100)", status.Out);
        var json = Run("study", "export", name, "--storage", Url, "--format", "json");
        using var doc = JsonDocument.Parse(json.Out);
        var stored = doc.RootElement.GetProperty("study").GetProperty("constraint");
        Assert.Equal(c.Constraints, stored.GetProperty("constraints").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(c.FeasibleCount, stored.GetProperty("feasible_count").GetInt32());
    }

    [Theory]
    [InlineData("unknown device 'pixel4'; devices in NAS-Bench-201 cifar10: 1080ti_1", "--constraint", "latency:pixel4<=12", "--data", "DATA")]
    [InlineData("unknown metric 'flops'", "--constraint", "flops<=300", "--data", "DATA")]
    [InlineData("no architecture of NAS-Bench-201 cifar10 satisfies params<=0.01: the smallest params is 0.073306 M", "--constraint", "params<=0.01", "--data", "DATA")]
    [InlineData("benchmark data folder '/nonexistent/weaknas' does not exist", "--constraint", "params<=1", "--data", "/nonexistent/weaknas")]
    [InlineData("unknown dataset 'mnist'", "--constraint", "params<=1", "--dataset", "mnist", "--data", "DATA")]
    [InlineData("--dataset applies only with --constraint", "--dataset", "cifar100")]
    public void Impossible_constraints_are_one_line_errors_and_create_nothing(string expected, params string[] args)
    {
        string name = _test.NewName();
        var withData = args.Select(a => a == "DATA" ? TestData.Folder : a).ToArray();
        AssertUserError(Run(["study", "create", name, "--storage", Url, .. withData]), expected);
        Assert.Null(_test.Storage.FindStudy(name));
    }

    [Fact]
    public void Worker_needs_exactly_one_way_to_evaluate()
    {
        string name = CreateRandom();
        AssertUserError(Run("worker", name, "--storage", Url), "give exactly one of --evaluate CMD or --benchmark DATASET");
        AssertUserError(Run("worker", name, "--storage", Url, "--evaluate", "true", "--benchmark", "cifar10"), "give exactly one of");
        AssertUserError(Run("worker", name, "--storage", Url, "--benchmark", "mnist", "--data", TestData.Folder), "unknown dataset 'mnist'");
        AssertUserError(Run("worker", name, "--storage", Url, "--evaluate", "true", "--jobs", "0"), "--jobs must be between 1 and 256, got 0");
        AssertUserError(Run("worker", name, "--storage", Url, "--evaluate", "true", "--timeout", "0"), "--timeout must be above 0 and at most 2000000 seconds, got 0");
        AssertUserError(Run("worker", "nope", "--storage", Url, "--evaluate", "true"), "no study named 'nope'");
        Assert.Empty(_test.Storage.Trials(name));
    }

    [Theory]
    [InlineData("mysql://localhost/weaknas", "unknown scheme")]
    [InlineData("sqlite://weaknas.db", "expected sqlite:///relative/file.db or sqlite:////absolute/file.db")]
    [InlineData("sqlite:////nonexistent-weaknas-folder/studies.db", "does not exist")]
    public void A_bad_storage_url_is_an_error(string url, string expected)
    {
        AssertUserError(Run("study", "status", "s", "--storage", url), expected);
        AssertUserError(Run("study", "create", "s", "--storage", url, "--strategy", "random"), expected);
        AssertUserError(Run("worker", "s", "--storage", url, "--benchmark", "cifar10", "--data", TestData.Folder), expected);
    }

    [Fact]
    public void Worker_runs_a_study_to_completion_with_the_table_and_two_jobs()
    {
        string name = CreateRandom(budget: 15);
        var result = Run("worker", name, "--storage", Url, "--benchmark", "cifar10", "--data", TestData.Folder, "--jobs", "2");
        Assert.True(result.Code == 0, result.Err);
        Assert.Contains("worker: 15 complete, 0 failed", result.Out);
        Assert.Contains("trials: 15 of 15 proposed; 15 complete", result.Out);
        var trials = _test.Storage.Trials(name);
        Assert.All(trials, t => Assert.Equal(StudyFixtures.Cifar10.SearchAccuracy(t.ArchIndex!.Value), t.Value));
        // One progress line per trial, with the value recorded.
        Assert.Equal(15, result.Err.Split('\n').Count(l => l.Contains(": complete, accuracy ", StringComparison.Ordinal)));
        Assert.All(trials, t => Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"trial {t.Number} {t.Arch}: complete, accuracy {t.Value:G6}\n"), result.Err.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal));

        // Nothing left: another worker finds the study done at once.
        var after = Run("worker", name, "--storage", Url, "--evaluate", "exit 1");
        Assert.Equal(0, after.Code);
        Assert.Contains("worker: 0 complete, 0 failed", after.Out);
    }

    [Fact]
    public void Worker_max_trials_stops_early_and_a_second_run_finishes()
    {
        string name = CreateRandom(budget: 12);
        var first = Run("worker", name, "--storage", Url, "--evaluate", "echo '{\"accuracy\": {trial}}'", "--max-trials", "4");
        Assert.True(first.Code == 0, first.Err);
        Assert.Contains("worker: 4 complete", first.Out);
        Assert.Equal(4, _test.Storage.Trials(name).Count(t => t.State == TrialState.Complete));
        var second = Run("worker", name, "--storage", Url, "--evaluate", "echo '{\"accuracy\": {trial}}'");
        Assert.Contains("worker: 8 complete", second.Out);
        Assert.All(_test.Storage.Trials(name), t => Assert.Equal((double)t.Number, t.Value));
    }
}
