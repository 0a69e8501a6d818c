using System.Text.Json;
using WeakNas.Experiments;
using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

/// <summary>Studies driven in this process: ask/tell, batches, workers on threads, determinism, resumption, failures.</summary>
public class StudyTests
{
    public static TheoryData<string> Backends => Studies.Backends.All();

    public static TheoryData<string> Strategies => new(StrategyFactory.Names);

    private static string Accuracy(double value) => JsonSerializer.Serialize(new Dictionary<string, double> { ["accuracy"] = value });

    [Theory]
    [MemberData(nameof(Backends))]
    public void Eight_worker_threads_evaluate_every_architecture_exactly_once(string backend)
    {
        using var test = new TestStorage(backend);
        string name = test.NewName();
        Study.Create(test.Storage, StudyFixtures.WeakNasSpec(name));
        // A few milliseconds per evaluation, so that the workers really overlap.
        var evaluator = new CountingEvaluator(new TabularTrialEvaluator(StudyFixtures.Cifar10, TimeSpan.FromMilliseconds(5)));

        // Each worker loads the study through its own handle, as a separate process would.
        var studies = Enumerable.Range(0, 8).Select(_ => Study.Load(test.OpenAnother(), name)).ToArray();
        var reports = new WorkerReport[8];
        Concurrently.RunAll(8, i => reports[i] = new StudyWorker(studies[i], evaluator, $"thread-{i}", StudyFixtures.FastPolling()).Run(), TimeSpan.FromSeconds(60));

        var trials = test.Storage.Trials(name);
        Assert.Equal(StudyFixtures.Budget, trials.Count);
        Assert.All(trials, t => Assert.Equal((TrialState.Complete, 1), (t.State, t.Attempts)));
        Assert.Equal(StudyFixtures.Budget, trials.Select(t => t.ArchIndex!.Value).Distinct().Count());
        Assert.Equal(trials.Select(t => t.ArchIndex!.Value).Order(), evaluator.Calls.Keys.Order());
        Assert.All(evaluator.Calls, call => Assert.Equal(1, call.Value));
        Assert.Equal(StudyFixtures.Budget, reports.Sum(r => r.Completed));
        Assert.Equal((0, 0), (reports.Sum(r => r.Failed), reports.Sum(r => r.Lost)));
        Assert.All(trials, t => Assert.Equal(StudyFixtures.Cifar10.SearchAccuracy(t.ArchIndex!.Value), t.Value));
        Assert.True(Study.Load(test.Storage, name).IsDone());

        // Proposals depend only on the stored results, not on which worker finished what first.
        Assert.Equal(StudyFixtures.ReferenceSequence, StudyFixtures.Sequence(trials));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_stopped_and_resumed_study_proposes_what_an_uninterrupted_one_does(string backend)
    {
        using var test = new TestStorage(backend);
        string name = test.NewName();
        var evaluator = new TabularTrialEvaluator(StudyFixtures.Cifar10);
        var first = Study.Create(test.Storage, StudyFixtures.WeakNasSpec(name));
        var stopped = new StudyWorker(first, evaluator, "first", StudyFixtures.FastPolling(maxTrials: 25)).Run();
        Assert.Equal(new WorkerReport(25, 0, 0), stopped);
        var midway = test.Storage.Trials(name);
        Assert.Equal(30, midway.Count); // three batches proposed, the third half done
        Assert.Equal(25, midway.Count(t => t.State == TrialState.Complete));
        Assert.Equal(5, midway.Count(t => t.State == TrialState.Waiting));
        Assert.False(first.IsDone());

        // A new process: a fresh storage handle, the study loaded by name, a new worker.
        var resumed = Study.Load(test.OpenAnother(), name);
        var rest = new StudyWorker(resumed, evaluator, "second", StudyFixtures.FastPolling()).Run();
        Assert.Equal(new WorkerReport(StudyFixtures.Budget - 25, 0, 0), rest);

        var trials = test.Storage.Trials(name);
        Assert.Equal(StudyFixtures.ReferenceSequence, StudyFixtures.Sequence(trials));
        Assert.Equal(midway.Take(25).Select(t => t.Worker), trials.Take(25).Select(t => t.Worker));
        Assert.All(trials.Skip(25), t => Assert.Equal("second", t.Worker));
    }

    [Fact]
    public void A_cancelled_worker_resumes_to_the_same_trials_and_a_different_seed_gives_different_ones()
    {
        using var test = new TestStorage(Studies.Backends.Sqlite);
        string name = test.NewName();
        var evaluator = new TabularTrialEvaluator(StudyFixtures.Cifar10);
        using var cancel = new CancellationTokenSource();
        int finished = 0;
        var worker = new StudyWorker(Study.Create(test.Storage, StudyFixtures.WeakNasSpec(name)), evaluator, "first", StudyFixtures.FastPolling())
        {
            Finished = (_, _, _) => { if (++finished == 13) cancel.Cancel(); },
        };
        Assert.Equal(new WorkerReport(13, 0, 0), worker.Run(cancel.Token));
        new StudyWorker(Study.Load(test.OpenAnother(), name), evaluator, "second", StudyFixtures.FastPolling()).Run();
        Assert.Equal(StudyFixtures.ReferenceSequence, StudyFixtures.Sequence(test.Storage.Trials(name)));

        // The comparison means something: another seed takes another path.
        string other = test.NewName();
        var otherStudy = Study.Create(test.Storage, StudyFixtures.WeakNasSpec(other) with { Seed = 12 });
        new StudyWorker(otherStudy, evaluator, "w", StudyFixtures.FastPolling()).Run();
        Assert.NotEqual(StudyFixtures.ReferenceSequence.Select(t => t.Arch), StudyFixtures.Sequence(otherStudy.Trials()).Select(t => t.Arch));
    }

    [Fact]
    public void The_reference_run_is_six_batches_of_ten_distinct_architectures()
    {
        var reference = StudyFixtures.ReferenceSequence;
        Assert.Equal(Enumerable.Range(0, StudyFixtures.Budget), reference.Select(t => t.Number));
        Assert.Equal(StudyFixtures.Budget, reference.Select(t => t.Arch).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_new_batch_is_proposed_only_when_the_previous_one_has_finished(string backend)
    {
        using var test = new TestStorage(backend);
        var study = Study.Create(test.Storage, StudyFixtures.RandomSpec(test.NewName(), budget: 12));
        var a = study.Ask(3, "a");
        Assert.Equal([0, 1, 2], a.Select(t => t.Number));
        Assert.Equal(10, study.Trials().Count);
        var b = study.Ask(20, "b");
        Assert.Equal(Enumerable.Range(3, 7), b.Select(t => t.Number));
        Assert.All(a.Concat(b), t => Assert.Equal(0, t.Batch));

        foreach (var t in a.Concat(b).SkipLast(1)) Assert.True(study.Tell(t.Number, Accuracy(t.ArchIndex!.Value), t.Worker!));
        Assert.Empty(study.Ask(5, "c")); // trial 9 is still running
        Assert.Equal(10, study.Trials().Count);
        Assert.False(study.IsDone());

        Assert.True(study.Fail(9, "gave up", "b"));
        var c = study.Ask(5, "c");
        Assert.Equal([10, 11], c.Select(t => t.Number)); // the budget leaves room for two
        Assert.All(c, t => Assert.Equal(1, t.Batch));
        Assert.Empty(study.Ask(5, "d"));
        Assert.False(study.IsDone());
        foreach (var t in c) study.Tell(t.Number, Accuracy(1), "c");
        Assert.Empty(study.Ask(5, "d"));
        Assert.Equal(12, study.Trials().Count);
        Assert.True(study.IsDone());

        var status = study.Status();
        Assert.Equal((0, 0, 11, 1, 12), (status.Waiting, status.Running, status.Complete, status.Failed, status.Total));
        var best = a.Concat(b).Where(t => t.Number != 9).MaxBy(t => t.ArchIndex!.Value)!; // trials 10 and 11 scored 1
        Assert.Equal(best.Number, status.Best!.Number);
        Assert.Contains($"best: trial {best.Number}", status.ToText());
        Assert.Contains("11 complete, 1 failed, 0 running (0 workers), 0 waiting", status.ToText());
    }

    [Fact]
    public void Tell_records_the_metric_and_rejects_unusable_results()
    {
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, StudyFixtures.RandomSpec("tell") with { Metric = "top1" });
        var t = study.Ask(1, "w")[0];
        Assert.Throws<EvaluationException>(() => study.Tell(t.Number, Accuracy(5), "w")); // no 'top1'
        Assert.Throws<EvaluationException>(() => study.Tell(t.Number, "{\"top1\": \"NaN\"}", "w"));
        Assert.Equal(TrialState.Running, study.Trials()[0].State);
        Assert.True(study.Tell(t.Number, "{\"top1\": 71.25, \"loss\": 0.5}", "w"));
        Assert.False(study.Tell(t.Number, "{\"top1\": 99}", "w"));
        var stored = study.Trials()[0];
        Assert.Equal(71.25, stored.Value);
        Assert.Equal("{\"top1\": 71.25, \"loss\": 0.5}", stored.Metrics);
    }

    [Fact]
    public void Loading_an_unknown_study_names_the_ones_that_exist()
    {
        using var storage = new MemoryStudyStorage();
        var e = Assert.Throws<InvalidInputException>(() => Study.Load(storage, "nope"));
        Assert.Contains("holds no studies", e.Message);
        Study.Create(storage, StudyFixtures.RandomSpec("alpha"));
        Study.Create(storage, StudyFixtures.RandomSpec("beta"));
        e = Assert.Throws<InvalidInputException>(() => Study.Load(storage, "nope"));
        Assert.Contains("no study named 'nope'", e.Message);
        Assert.Contains("alpha, beta", e.Message);
    }

    [Theory]
    [InlineData("study budget must be positive", 0, "random", "nb201")]
    [InlineData("unknown strategy 'greedy'", 10, "greedy", "nb201")]
    [InlineData("studies support the spaces nb201, ofa-mbv3, darts, darts-none or a declaration file (.json, .yaml); got 'nb999'", 10, "random", "nb999")]
    public void Impossible_studies_are_input_errors_and_are_not_stored(string expected, int budget, string strategy, string space)
    {
        using var storage = new MemoryStudyStorage();
        var spec = StudyFixtures.RandomSpec("bad") with { Budget = budget, Strategy = strategy, Space = space };
        var e = Assert.Throws<InvalidInputException>(() => Study.Create(storage, spec));
        Assert.Contains(expected, e.Message);
        Assert.Empty(storage.StudyNames());
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void A_failed_architecture_is_never_proposed_again(string strategy)
    {
        using var storage = new MemoryStudyStorage();
        var spec = StudyFixtures.WeakNasSpec("failures") with { Strategy = strategy };
        var study = Study.Create(storage, spec);
        for (int round = 0; round < 20 && study.Trials().Count < 10; round++) Complete(study, study.Ask(10, "w"), failEvery: 1); // every one fails
        var failed = study.Trials().Where(t => t.State == TrialState.Failed).Select(t => t.ArchIndex!.Value).ToHashSet();
        Assert.Equal(10, failed.Count);

        // A strategy rebuilt from nothing but failures still proposes, and nothing it failed on.
        var proposal = study.RebuildStrategy(study.Trials()).Ask(10);
        Assert.NotEmpty(proposal);
        Assert.DoesNotContain(proposal, failed.Contains);

        // Then some succeed, some fail; the rebuilt strategy avoids every architecture already tried.
        for (int round = 0; round < 40 && study.Trials().Count < 30; round++) Complete(study, study.Ask(10, "w"), failEvery: 3);
        Assert.Equal(30, study.Trials().Count);
        var tried = study.Trials().Select(t => t.ArchIndex!.Value).ToHashSet();
        Assert.Contains(study.Trials(), t => t.State == TrialState.Complete);
        proposal = study.RebuildStrategy(study.Trials()).Ask(10);
        Assert.NotEmpty(proposal);
        Assert.DoesNotContain(proposal, tried.Contains);

        static void Complete(Study study, IReadOnlyList<Trial> trials, int failEvery)
        {
            foreach (var t in trials)
            {
                if (t.Number % failEvery == 0) Assert.True(study.Fail(t.Number, "diverged", "w"));
                else Assert.True(study.Tell(t.Number, Accuracy(StudyFixtures.Cifar10.SearchAccuracy(t.ArchIndex!.Value)), "w"));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Strategies))]
    public void With_the_circuit_breaker_off_a_study_whose_every_evaluation_fails_still_runs_to_its_budget(string strategy)
    {
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, StudyFixtures.WeakNasSpec("all-fail") with { Strategy = strategy, Budget = 25 });
        var evaluator = new CountingEvaluator(new FuncEvaluator((_, t) => throw new EvaluationException($"no GPU for {t.ArchIndex!.Value}")));
        var report = new StudyWorker(study, evaluator, "w", StudyFixtures.FastPolling() with { Retries = 1, MaxConsecutiveFailures = 0 }).Run();

        Assert.Equal(new WorkerReport(0, 25, 0), report);
        var trials = study.Trials();
        Assert.Equal(25, trials.Count);
        Assert.Equal(25, trials.Select(t => t.ArchIndex!.Value).Distinct().Count());
        Assert.All(trials, t => Assert.Equal($"attempt 2 of 2: no GPU for {t.ArchIndex!.Value}", t.Error));
        Assert.All(trials, t => Assert.Equal((TrialState.Failed, 1), (t.State, t.Attempts)));
        Assert.All(evaluator.Calls.Values, n => Assert.Equal(2, n));
        Assert.True(study.IsDone());
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Heartbeats_keep_a_long_evaluation_from_being_requeued(string backend)
    {
        using var test = new TestStorage(backend);
        string name = test.NewName();
        var study = Study.Create(test.Storage, StudyFixtures.RandomSpec(name, budget: 1) with { GraceSeconds = 0.8 });
        var slow = new FuncEvaluator((_, _) => { Thread.Sleep(1600); return Accuracy(1); });
        Exception? error = null;
        var worker = new Thread(() =>
        {
            try { new StudyWorker(study, slow, "slow", StudyFixtures.FastPolling()).Run(); }
            catch (Exception e) { error = e; }
        });
        worker.Start();

        // Another worker keeps asking (and so re-queues whatever looks abandoned) while the slow one evaluates.
        var other = Study.Load(test.OpenAnother(), name);
        Assert.True(StudyFixtures.WaitFor(() => test.Storage.Trials(name) is [{ State: TrialState.Running }], TimeSpan.FromSeconds(10)));
        while (worker.IsAlive)
        {
            Assert.Empty(other.Ask(1, "thief"));
            Thread.Sleep(50);
        }
        worker.Join();
        Assert.Null(error);

        var t = Assert.Single(test.Storage.Trials(name));
        Assert.Equal((TrialState.Complete, "slow", 1), (t.State, t.Worker, t.Attempts));
        Assert.Null(t.Error);
    }

    [Fact]
    public void A_trial_whose_worker_stops_sending_heartbeats_is_taken_over()
    {
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, StudyFixtures.RandomSpec("takeover", budget: 3) with { GraceSeconds = 0.2, MaxAttempts = 2 });
        var vanished = study.Ask(1, "vanished").Single(); // claimed, then nothing: no heartbeats
        Thread.Sleep(300);
        var report = new StudyWorker(study, new FuncEvaluator((_, t) => Accuracy(t.Number)), "rescuer", StudyFixtures.FastPolling()).Run();
        Assert.Equal(new WorkerReport(3, 0, 0), report);
        var t0 = study.Trials()[vanished.Number];
        Assert.Equal((TrialState.Complete, "rescuer", 2), (t0.State, t0.Worker, t0.Attempts));

        // The vanished worker's late result is refused now that the trial is finished.
        Assert.False(study.Tell(vanished.Number, Accuracy(99), "vanished"));
        Assert.Equal(vanished.Number, study.Trials()[vanished.Number].Value);
    }

    [Fact]
    public void Cancelling_a_worker_mid_evaluation_leaves_the_trial_running_for_its_heartbeat_to_lapse()
    {
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, StudyFixtures.RandomSpec("cancel", budget: 3));
        using var cancel = new CancellationTokenSource();
        var evaluator = new TabularTrialEvaluator(StudyFixtures.Cifar10, TimeSpan.FromSeconds(30));
        WorkerReport? report = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try { report = new StudyWorker(study, evaluator, "w", StudyFixtures.FastPolling()).Run(cancel.Token); }
            catch (Exception e) { error = e; }
        });
        thread.Start();
        Assert.True(StudyFixtures.WaitFor(() => study.Trials().Any(t => t.State == TrialState.Running), TimeSpan.FromSeconds(10)));
        cancel.CancelAfter(100);
        Assert.True(thread.Join(TimeSpan.FromSeconds(5)), "the worker did not stop on cancellation");
        Assert.Null(error);
        Assert.Equal(new WorkerReport(0, 0, 0), report);
        Assert.Equal(TrialState.Running, study.Trials()[0].State);
    }
}
