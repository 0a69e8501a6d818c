using WeakNas.Experiments;
using WeakNas.Hardware;
using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

/// <summary>Studies under latency/params constraints (table mode): feasibility, determinism, the stored form.</summary>
public class ConstrainedStudyTests
{
    public static TheoryData<string> Backends => Studies.Backends.All();

    public static TheoryData<string> Strategies => new(StrategyFactory.Names);

    private static StudyConstraint Resolve(params string[] constraints) =>
        StudyConstraint.Create(ConstraintSet.Parse(constraints)!, "cifar10", TestData.Folder);

    private static readonly Lazy<StudyConstraint> LazyPixel3 = new(() => Resolve("latency:pixel3<=p25"));

    /// <summary>latency:pixel3&lt;=p25, resolved.</summary>
    private static StudyConstraint Pixel3 => LazyPixel3.Value;

    private static StudySpec ConstrainedWeakNas(string name) => StudyFixtures.WeakNasSpec(name) with { Constraint = Pixel3 };

    private static readonly Lazy<IReadOnlyList<(int Number, int Arch)>> LazyReference = new(() =>
    {
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, ConstrainedWeakNas("reference"), dataFolder: TestData.Folder);
        Assert.Equal(new WorkerReport(StudyFixtures.Budget, 0, 0), new StudyWorker(study, new TabularTrialEvaluator(StudyFixtures.Cifar10), "solo", StudyFixtures.FastPolling()).Run());
        return StudyFixtures.Sequence(study.Trials());
    });

    [Fact]
    public void Creation_stores_absolute_bounds_that_admit_exactly_the_requested_set()
    {
        var c = Pixel3;
        var direct = ConstraintSet.Parse(["latency:pixel3<=p25"])!.Resolve(Hardware.HardwareData.Metrics);
        Assert.Equal(["latency:pixel3<=p25"], c.Requested!);
        var stored = Assert.Single(c.Constraints);
        Assert.Equal("latency:pixel3<=" + direct.Bounds[0].ToString("R", System.Globalization.CultureInfo.InvariantCulture), stored);
        Assert.Equal(direct.Count, c.FeasibleCount);
        var rebuilt = c.Resolve(TestData.Folder, "x");
        Assert.Equal(Enumerable.Range(0, 15625).Where(direct.Contains), Enumerable.Range(0, 15625).Where(rebuilt.Contains));
        Assert.InRange(c.FeasibleCount, 3800, 4000); // a quarter of 15,625
        Assert.Contains("latency:pixel3<=p25 = latency:pixel3<=6.4411 ms", c.Describe());

        // The spec round-trips through its JSON with the exact bound.
        var spec = ConstrainedWeakNas("json");
        var back = StudySpec.FromJson(spec.ToJson());
        Assert.Equal(c.Constraints, back.Constraint!.Constraints);
        Assert.Equal((c.Dataset, c.FeasibleCount), (back.Constraint.Dataset, back.Constraint.FeasibleCount));
    }

    [Fact]
    public void A_spec_stored_before_constraints_existed_reads_as_unconstrained()
    {
        const string old = "{\"name\":\"old\",\"space\":\"nb201\",\"strategy\":\"random\",\"seed\":3,\"budget\":12,\"metric\":\"accuracy\",\"batch_size\":10,\"grace_seconds\":60,\"max_attempts\":3,\"created_ms\":1}";
        var spec = StudySpec.FromJson(old);
        Assert.Null(spec.Constraint);
        Assert.DoesNotContain("constraint", StudyFixtures.RandomSpec("new").ToJson());

        // And such a study runs without any data folder, as before.
        using var storage = new MemoryStudyStorage();
        Study.Create(storage, spec with { CreatedMs = 0 });
        var study = Study.Load(storage, "old");
        Assert.Null(study.Feasible);
        Assert.Equal(10, study.Ask(10, "w").Count);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_constrained_study_proposes_the_same_trials_whatever_the_workers_and_restarts(string backend)
    {
        using var test = new TestStorage(backend);
        string name = test.NewName();
        var evaluator = new TabularTrialEvaluator(StudyFixtures.Cifar10, TimeSpan.FromMilliseconds(2));
        var first = Study.Create(test.Storage, ConstrainedWeakNas(name), dataFolder: TestData.Folder);
        Assert.Equal(new WorkerReport(25, 0, 0), new StudyWorker(first, evaluator, "first", StudyFixtures.FastPolling(maxTrials: 25)).Run());

        // Resumed by four workers, each with its own handle, as separate processes would.
        var studies = Enumerable.Range(0, 4).Select(_ => Study.Load(test.OpenAnother(), name, dataFolder: TestData.Folder)).ToArray();
        Concurrently.RunAll(4, i => new StudyWorker(studies[i], evaluator, $"thread-{i}", StudyFixtures.FastPolling()).Run(), TimeSpan.FromSeconds(60));

        var trials = test.Storage.Trials(name);
        Assert.All(trials, t => Assert.Equal(TrialState.Complete, t.State));
        Assert.Equal(LazyReference.Value, StudyFixtures.Sequence(trials));
        var feasible = Pixel3.Resolve(TestData.Folder, name);
        Assert.All(trials, t => Assert.True(feasible.Contains(t.ArchIndex!.Value), $"trial {t.Number}: index {t.ArchIndex!.Value} is infeasible"));

        // The comparison means something: the unconstrained study takes another path (through infeasible cells).
        Assert.NotEqual(StudyFixtures.ReferenceSequence, LazyReference.Value);
        Assert.Contains(StudyFixtures.ReferenceSequence, t => !feasible.Contains(t.Arch));
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void Every_trial_of_a_constrained_study_is_feasible(string strategy)
    {
        using var storage = new MemoryStudyStorage();
        var constraint = Resolve("latency:raspi4<=p30", "params<=0.6");
        var spec = StudyFixtures.WeakNasSpec("feasible") with { Strategy = strategy, Budget = 30, Constraint = constraint };
        var study = Study.Create(storage, spec, dataFolder: TestData.Folder);
        Assert.Equal(new WorkerReport(30, 0, 0), new StudyWorker(study, new TabularTrialEvaluator(StudyFixtures.Cifar10), "w", StudyFixtures.FastPolling()).Run());

        var trials = study.Trials();
        Assert.Equal(30, trials.Select(t => t.ArchIndex!.Value).Distinct().Count());
        var latency = Hardware.HardwareData.LatencyOf("raspi4");
        double bound = double.Parse(constraint.Constraints[0].Split("<=")[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(trials, t =>
        {
            Assert.True(latency[t.ArchIndex!.Value] <= bound, $"index {t.ArchIndex!.Value}: {latency[t.ArchIndex!.Value]} ms on raspi4");
            Assert.True(StudyFixtures.Cifar10.Parameters(t.ArchIndex!.Value) <= 0.6, $"index {t.ArchIndex!.Value}: {StudyFixtures.Cifar10.Parameters(t.ArchIndex!.Value)} M");
        });
        Assert.True(trials.Max(t => t.Value) <= Optimum(study.Feasible!));
    }

    private static double Optimum(FeasibleSet feasible) => StudyFixtures.Cifar10.SearchAccuracy(feasible.Optimum(StudyFixtures.Cifar10.SearchAccuracy));

    [Fact]
    public void Random_search_through_a_small_feasible_set_finds_the_constrained_optimum_and_stops()
    {
        using var storage = new MemoryStudyStorage();
        var constraint = Resolve("latency:fpga<=p1");
        Assert.InRange(constraint.FeasibleCount, 100, 300);
        var spec = StudyFixtures.RandomSpec("small", budget: 1000) with { BatchSize = 50, Constraint = constraint };
        var study = Study.Create(storage, spec, dataFolder: TestData.Folder);
        var report = new StudyWorker(study, new TabularTrialEvaluator(StudyFixtures.Cifar10), "w", StudyFixtures.FastPolling()).Run();

        // The budget exceeds the feasible set: the study evaluates all of it, then is done.
        Assert.Equal(constraint.FeasibleCount, report.Completed);
        Assert.True(study.IsDone());
        var feasible = study.Feasible!;
        int optimum = feasible.Optimum(StudyFixtures.Cifar10.SearchAccuracy);
        Assert.NotEqual(StudyFixtures.Cifar10.OptimumIndex, optimum);
        Assert.Equal(optimum, study.Status().Best!.ArchIndex!.Value);
    }

    [Fact]
    public void WeakNas_finds_the_constrained_optimum_of_a_small_feasible_set_within_its_budget()
    {
        using var storage = new MemoryStudyStorage();
        var spec = StudyFixtures.WeakNasSpec("weaknas-small") with { Budget = 80, Constraint = Resolve("latency:fpga<=p1") };
        var study = Study.Create(storage, spec, dataFolder: TestData.Folder);
        new StudyWorker(study, new TabularTrialEvaluator(StudyFixtures.Cifar10), "w", StudyFixtures.FastPolling()).Run();
        Assert.All(study.Trials(), t => Assert.True(study.Feasible!.Contains(t.ArchIndex!.Value)));
        Assert.Equal(study.Feasible!.Optimum(StudyFixtures.Cifar10.SearchAccuracy), study.Status().Best!.ArchIndex!.Value);
    }

    [Fact]
    public void A_constrained_study_opened_without_its_tables_names_the_missing_file()
    {
        using var storage = new MemoryStudyStorage();
        Study.Create(storage, ConstrainedWeakNas("no-data"), dataFolder: TestData.Folder);

        var study = Study.Load(storage, "no-data");
        // A data folder whose nasbench201/ lacks the latency table: named, nothing proposed.
        using var empty = new TemporaryFolder();
        Directory.CreateDirectory(Path.Combine(empty.Path, "nasbench201"));
        var e = Assert.Throws<InvalidInputException>(() => Study.Load(storage, "no-data", dataFolder: empty.Path).Ask(1, "w"));
        Assert.Contains(Path.Combine(empty.Path, "nasbench201", "nb201_latency.csv") + ", which does not exist", e.Message);
        Assert.Contains("point --data or WEAKNAS_DATA at the folder that holds nasbench201/", e.Message);
        Assert.Empty(study.Trials());

        // Without a data folder the embedded tables serve: the same feasible set as the folder's.
        Assert.Equal(Pixel3.Resolve(TestData.Folder, "x").Count, Study.Load(storage, "no-data").Feasible!.Count);

        // Status needs no tables: the constraint and its feasible count are stored.
        Assert.Contains("constraint: latency:pixel3<=p25 = latency:pixel3<=6.4411 ms: ", study.Status().ToText());
        Assert.Contains($"{Pixel3.FeasibleCount:N0} of 15,625 architectures feasible", study.Status().ToText());
    }

    [Fact]
    public void Stored_constraints_that_the_tables_no_longer_agree_with_are_refused()
    {
        using var storage = new MemoryStudyStorage();
        var tampered = Pixel3 with { FeasibleCount = Pixel3.FeasibleCount + 1 };
        var e = Assert.Throws<InvalidInputException>(() => Study.Create(storage, StudyFixtures.RandomSpec("tampered") with { Constraint = tampered }, dataFolder: TestData.Folder));
        Assert.Contains("use the same data folder", e.Message);
        Assert.Empty(storage.StudyNames());

        var percentile = Pixel3 with { Constraints = ["latency:pixel3<=p25"] };
        e = Assert.Throws<InvalidInputException>(() => Study.Create(storage, StudyFixtures.RandomSpec("percentile") with { Constraint = percentile }));
        Assert.Contains("must be an absolute bound", e.Message);
    }
}
