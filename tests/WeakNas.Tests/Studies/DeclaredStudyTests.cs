using System.Text.Json;
using WeakNas.Spaces.Declared;
using WeakNas.Studies;
using WeakNas.Tests.Cli;
using WeakNas.Tests.Spaces.Declared;

namespace WeakNas.Tests.Studies;

public class DeclaredStudyTests
{
    private static StudySpec Spec(string name, int pool = 300) => new()
    {
        Name = name, Space = "layers", Declaration = DeclaredSpaces.Layers.ToDeclarationJson(), Pool = pool, PoolSeed = 4,
        Strategy = "random", Seed = 1, Budget = 20, BatchSize = 5,
    };

    [Fact]
    public void A_pool_is_drawn_alike_in_every_process_and_is_the_whole_space_when_small()
    {
        var space = DeclaredSpaces.Layers;
        var a = space.Pool(300, 4);
        var b = DeclaredSpaceFile.Parse(space.ToDeclarationJson(), "stored").Pool(300, 4);
        Assert.Equal(a.Select(space.Format), b.Select(space.Format));
        Assert.Equal(300, a.Distinct().Count());
        Assert.NotEqual(a.Select(space.Format), space.Pool(300, 5).Select(space.Format));
        var all = DeclaredSpaces.Stages.Pool(1_000_000, 0);
        Assert.Equal((int)DeclaredSpaces.Stages.CountArchitectures(), all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void The_declaration_round_trips_through_its_stored_json()
    {
        foreach (var space in new[] { DeclaredSpaces.Stages, DeclaredSpaces.Layers, DeclaredSpaces.Nb201 })
        {
            var again = DeclaredSpaceFile.Parse(space.ToDeclarationJson(), "stored");
            Assert.Equal(space.ToDeclarationJson(), again.ToDeclarationJson());
            Assert.Equal(space.CountArchitectures(), again.CountArchitectures());
        }
    }

    [Fact]
    public void A_declared_study_proposes_pool_members_and_its_command_gets_the_decisions()
    {
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, Spec("declared"));
        var asked = study.Ask(5, "w");
        var pool = DeclaredSpaces.Layers.Pool(300, 4).Select(DeclaredSpaces.Layers.Format).ToHashSet();
        Assert.All(asked, t => Assert.Contains(t.Arch, pool));
        var json = JsonDocument.Parse(CommandTrialEvaluator.ArchitectureJson(study.Spec, asked[0])).RootElement;
        Assert.Equal("layers", json.GetProperty("space").GetString());
        Assert.Equal(DeclaredSpaces.Layers.Parse(asked[0].Arch), DeclaredSpaces.Layers.Parse(json.GetProperty("decisions").GetRawText()));
        Assert.Equal(JsonValueKind.String, json.GetProperty("decisions").GetProperty("layer1").ValueKind);
        // Another process rebuilds the same study and goes on with the same proposals.
        var again = Study.Load(storage, "declared");
        Assert.Equal(asked.Select(t => t.Arch), again.Trials().Select(t => t.Arch));
    }

    [Theory]
    [InlineData(0, "a declared study's pool must hold 1 to 1,000,000 architectures, got 0")]
    [InlineData(2_000_000, "a declared study's pool must hold 1 to 1,000,000 architectures, got 2000000")]
    public void Pool_sizes_are_bounded(int pool, string expected)
    {
        using var storage = new MemoryStudyStorage();
        var e = Assert.Throws<InvalidInputException>(() => Study.Create(storage, Spec("bad", pool)));
        Assert.StartsWith(expected, e.Message);
    }

    /// <summary>
    /// `search --evaluate` with a real command, killed with SIGKILL while it trains and started again: it resumes from
    /// the storage, every evaluation that finished is recorded once, and none of them is run again.
    /// </summary>
    [Fact]
    public void An_evaluated_search_survives_a_kill_and_resumes_without_repeating_finished_evaluations()
    {
        using var dir = new TemporaryFolder();
        string space = Path.Combine(dir.Path, "layers.json");
        File.WriteAllText(space, DeclaredSpaces.Layers.ToDeclarationJson());
        string log = Path.Combine(dir.Path, "finished.log");
        // The evaluator trains for a moment, prints its result and logs the trial it finished.
        string script = Path.Combine(dir.Path, "train.sh");
        File.WriteAllText(script, "#!/bin/sh\nsleep 0.25\nacc=$(wc -c < \"$1\")\necho \"{\\\"accuracy\\\": $acc}\"\necho \"$WEAKNAS_TRIAL\" >> " + log + "\n");
        string db = Path.Combine(dir.Path, "search.db");
        string[] args = ["search", "--space", space, "--evaluate", $"sh {script} {{arch_json_file}}", "--budget", "14", "--strategy", "random", "--grace", "1",
            "--storage", $"sqlite:///{db}", "--out", Path.Combine(dir.Path, "result.json")];
        using (var first = new CliProcess(args))
        {
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while ((!File.Exists(log) || File.ReadAllLines(log).Length < 4) && DateTime.UtcNow < deadline && !first.HasExited) Thread.Sleep(20);
            Assert.False(first.HasExited, first.ToString());
            first.Kill();
        }
        int finishedBeforeKill = File.ReadAllLines(log).Length;
        using (var second = new CliProcess(args))
        {
            Assert.True(second.WaitForExit(TimeSpan.FromMinutes(2)), second.ToString());
            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("search: resuming study 'search-layers-random-seed0'", second.Stderr);
        }
        using var storage = StudyStorage.Open($"sqlite:///{db}");
        var trials = storage.Trials("search-layers-random-seed0");
        Assert.Equal(14, trials.Count(t => t.State == TrialState.Complete));
        Assert.Equal(14, trials.Select(t => t.Arch).Distinct().Count());
        var finished = File.ReadAllLines(log).Select(int.Parse).ToList();
        // A trial killed mid-training may run again; one whose result was recorded never does.
        Assert.InRange(finished.Count, 14, 15);
        Assert.True(finished.Count - finished.Distinct().Count() <= 1, string.Join(",", finished));
        Assert.True(finishedBeforeKill >= 4);
        var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.Path, "result.json"))).RootElement;
        Assert.Equal(14, result.GetProperty("trials").GetArrayLength());
    }

    [Fact]
    public void Evaluate_options_are_refused_where_they_do_not_apply()
    {
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--pool", "10", "--no-progress"), "--pool applies to a search with --evaluate (a declared space, or nb201 trained by your command)");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "create", "x", "--storage", "sqlite:///:memory:", "--pool", "10"), "--pool, --pool-seed and --candidates apply to a declared space (--space FILE) or darts, not to nb201");
    }

    private static StudySpec OpenSpec(string name, string strategy) => new()
    {
        Name = name, Space = "wide", Declaration = DeclaredSpaces.Wide.ToDeclarationJson(), Strategy = strategy, Seed = 6, Budget = 40, BatchSize = 10,
        WeakNas = new WeakNasStudySettings { Hidden = [32, 32], Epochs = 10, SamplesPerIteration = 10 },
        Fresh = new FreshCandidateSettings { Uniform = 300, Parents = 5, MutationsPerParent = 20 },
    };

    private static readonly FuncEvaluator WideEvaluator = new((spec, t) =>
        JsonSerializer.Serialize(new Dictionary<string, double> { [spec.Metric] = DeclaredSpaces.WideScore(DeclaredSpaces.Wide.Parse(t.Arch)) }));

    public static TheoryData<string> Strategies => [.. WeakNas.Experiments.StrategyFactory.Names];

    /// <summary>
    /// A study over a declared space too large to pool (no pool: fresh candidates, keyed by text, no index) runs to its
    /// budget, and a study stopped halfway and reopened from the file by another storage instance goes on along the
    /// same trajectory as one that ran through.
    /// </summary>
    [Theory]
    [MemberData(nameof(Strategies))]
    public void An_open_declared_study_searches_the_whole_space_and_resumes_on_its_trajectory(string strategy)
    {
        using var through = new MemoryStudyStorage();
        var whole = Study.Create(through, OpenSpec("open", strategy));
        Assert.Equal(new WorkerReport(40, 0, 0), new StudyWorker(whole, WideEvaluator, "solo", StudyFixtures.FastPolling()).Run());
        var trials = whole.Trials();
        Assert.All(trials, t => Assert.Null(t.ArchIndex));
        Assert.Equal(40, trials.Select(t => DeclaredSpaces.Wide.CanonicalKey(DeclaredSpaces.Wide.Parse(t.Arch))).Distinct().Count());

        using var dir = new TemporaryFolder();
        string db = Path.Combine(dir.Path, "open.db");
        using (var first = new SqliteStudyStorage(db))
        {
            var study = Study.Create(first, OpenSpec("open", strategy));
            new StudyWorker(study, WideEvaluator, "first", StudyFixtures.FastPolling(maxTrials: 17)).Run();
        }
        using var second = new SqliteStudyStorage(db);
        var resumed = Study.Load(second, "open");
        Assert.True(resumed.Trials().Count(t => t.State == TrialState.Complete) >= 17);
        new StudyWorker(resumed, WideEvaluator, "second", StudyFixtures.FastPolling()).Run();
        Assert.Equal(trials.Select(t => (t.Number, t.Arch, t.Value)), resumed.Trials().Select(t => (t.Number, t.Arch, t.Value)));
    }

    /// <summary>
    /// A study keeps its strategy between batches and tells it only the newer trials; a process that loads the study
    /// afresh for every trial rebuilds the strategy from the whole history each time. Both propose the same trials, in
    /// an open space and in a listed one, for every strategy.
    /// </summary>
    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_kept_strategy_proposes_what_one_rebuilt_from_the_history_proposes(string strategy)
    {
        foreach (var spec in new[] { OpenSpec("kept", strategy), Spec("kept", pool: 300) with { Strategy = strategy, Budget = 40, BatchSize = 10, WeakNas = OpenSpec("x", strategy).WeakNas } })
        {
            using var kept = new MemoryStudyStorage();
            var once = Study.Create(kept, spec);
            Assert.Equal(new WorkerReport(40, 0, 0), new StudyWorker(once, WideOrLayers(spec), "solo", StudyFixtures.FastPolling()).Run());

            using var rebuilt = new MemoryStudyStorage();
            Study.Create(rebuilt, spec);
            for (int i = 0; i < 40; i++)
                Assert.Equal(new WorkerReport(1, 0, 0), new StudyWorker(Study.Load(rebuilt, "kept"), WideOrLayers(spec), $"w{i}", StudyFixtures.FastPolling(maxTrials: 1)).Run());
            Assert.Equal(once.Trials().Select(t => (t.Number, t.Batch, t.Arch, t.Value)), rebuilt.Trials("kept").Select(t => (t.Number, t.Batch, t.Arch, t.Value)));
        }
    }

    private static FuncEvaluator WideOrLayers(StudySpec spec) => spec.Space == "wide" ? WideEvaluator : new((s, t) =>
        JsonSerializer.Serialize(new Dictionary<string, double> { [s.Metric] = t.Arch.Aggregate(17u, (h, c) => (h ^ c) * 16777619u) % 10007 / 10007.0 }));

    [Fact]
    public void A_training_command_of_an_open_study_gets_the_decisions_and_no_index()
    {
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, OpenSpec("open", "weaknas"));
        var trial = study.Ask(1, "w")[0];
        var json = JsonDocument.Parse(CommandTrialEvaluator.ArchitectureJson(study.Spec, trial)).RootElement;
        Assert.Equal(JsonValueKind.Null, json.GetProperty("index").ValueKind);
        Assert.Equal(DeclaredSpaces.Wide.Parse(trial.Arch), DeclaredSpaces.Wide.Parse(json.GetProperty("decisions").GetRawText()));
        Assert.Contains("best: trial 0", StudyStatus.Of(study.Spec, [trial with { State = TrialState.Complete, Value = 1 }]).ToText());
        Assert.DoesNotContain("index", StudyStatus.Of(study.Spec, [trial with { State = TrialState.Complete, Value = 1 }]).ToText());
    }

    [Fact]
    public void Fresh_candidates_are_chosen_on_the_command_line_and_refused_with_a_pool()
    {
        using var dir = new TemporaryFolder();
        string space = Path.Combine(dir.Path, "wide.json");
        File.WriteAllText(space, DeclaredSpaces.Wide.ToDeclarationJson());
        string storage = $"sqlite:///{Path.Combine(dir.Path, "s.db")}";
        var created = CliRunner.Run("study", "create", "open", "--storage", storage, "--space", space, "--candidates", "fresh", "--budget", "30");
        Assert.True(created.Code == 0, created.Err);
        Assert.Contains("candidates: the whole space of 1,152,921,504,606,846,976 architectures of wide, fresh candidates each iteration", created.Out);
        CliRunner.AssertOneLineError(CliRunner.Run("study", "create", "p", "--storage", storage, "--space", space, "--candidates", "fresh", "--pool", "50"),
            "--pool and --pool-seed describe a pool: not with --candidates fresh");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "create", "p", "--storage", storage, "--space", space, "--candidates", "everything"),
            "--candidates must be pool or fresh, got 'everything'");
        CliRunner.AssertOneLineError(CliRunner.Run("study", "create", "p", "--storage", storage, "--candidates", "fresh"),
            "--pool, --pool-seed and --candidates apply to a declared space (--space FILE) or darts, not to nb201");
    }

    [Fact]
    public void Search_evaluates_fresh_candidates_of_an_open_space_with_a_real_command()
    {
        using var dir = new TemporaryFolder();
        string space = Path.Combine(dir.Path, "wide.json");
        File.WriteAllText(space, DeclaredSpaces.Wide.ToDeclarationJson());
        // The "training" counts the conv3 blocks in the architecture file: the more, the better.
        string script = Path.Combine(dir.Path, "train.sh");
        File.WriteAllText(script, "#!/bin/sh\nn=$(grep -o conv3 \"$1\" | wc -l)\necho \"{\\\"accuracy\\\": $n}\"\n");
        string db = Path.Combine(dir.Path, "search.db");
        var run = CliRunner.Run("search", "--space", space, "--evaluate", $"sh {script} {{arch_json_file}}", "--candidates", "fresh", "--budget", "20",
            "--hidden", "32,32", "--epochs", "10", "--storage", $"sqlite:///{db}", "--out", Path.Combine(dir.Path, "result.json"), "--plot", Path.Combine(dir.Path, "history.png"));
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("fresh candidates each iteration", run.Err);
        Cli.HistoryPlotsTests.AssertPng(Path.Combine(dir.Path, "history.png"));
        using var storage = StudyStorage.Open($"sqlite:///{db}");
        var trials = storage.Trials("search-wide-weaknas-seed0");
        Assert.Equal(20, trials.Count(t => t.State == TrialState.Complete));
        Assert.All(trials, t => Assert.Null(t.ArchIndex));
        // Each trial's value is the command's count for its architecture (twice per block in the file: text and decisions).
        Assert.All(trials, t => Assert.Equal(2 * DeclaredSpaces.Wide.Parse(t.Arch).ToArray().Count(v => v == 0), t.Value));
    }

    [Fact]
    public void Search_trains_nas_bench_201_cells_with_a_command_and_the_command_gets_the_edges()
    {
        using var dir = new TemporaryFolder();
        // The "training" counts 3×3 convolutions among the cell's edges, read from the file's edge list.
        string script = Path.Combine(dir.Path, "train.sh");
        File.WriteAllText(script, "#!/bin/sh\nn=$(grep -c '\"op\": \"nor_conv_3x3\"' \"$1\")\necho \"{\\\"accuracy\\\": $n}\"\n");
        string db = Path.Combine(dir.Path, "nb201.db");
        var run = CliRunner.Run("search", "--space", "nb201", "--evaluate", $"sh {script} {{arch_json_file}}", "--strategy", "evolution", "--budget", "15",
            "--storage", $"sqlite:///{db}");
        Assert.True(run.Code == 0, run.Err);
        using var storage = StudyStorage.Open($"sqlite:///{db}");
        var trials = storage.Trials("search-nb201-evolution-seed0");
        Assert.Equal(15, trials.Count(t => t.State == TrialState.Complete));
        Assert.All(trials, t => Assert.Equal(WeakNas.Spaces.NasBench201.NasBench201Cell.Parse(t.Arch).Format().Split("nor_conv_3x3").Length - 1, t.Value));
        Assert.All(trials, t => Assert.NotNull(t.ArchIndex));
        CliRunner.AssertOneLineError(CliRunner.Run("search", "--space", "nb201", "--evaluate", "true", "--dataset", "cifar100", "--storage", $"sqlite:///{db}"),
            "--dataset names a benchmark table: with --evaluate your command is the evaluation");
    }
}
