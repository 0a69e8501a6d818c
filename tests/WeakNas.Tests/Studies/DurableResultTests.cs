using System.Globalization;
using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

/// <summary>
/// A result the command finished is never lost and never evaluated again: it is on disk in the trial's folder, written
/// by the shell that ran the command, and whoever takes the trial next records it.
/// </summary>
public class DurableResultTests
{
    public static TheoryData<string> Backends => Studies.Backends.All();

    private static int Runs(string log, int trial) =>
        File.Exists(log) ? File.ReadAllLines(log).Count(l => l == trial.ToString(CultureInfo.InvariantCulture)) : 0;

    /// <summary>A command that logs each evaluation it starts, then answers 100 + trial.</summary>
    private static string Logging(string log, string extra = "") =>
        $"echo {{trial}} >> '{log}'; {extra}echo \"{{\\\"accuracy\\\": $((100 + {{trial}}))}}\"";

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_result_finished_before_its_worker_died_is_recorded_by_the_next_worker_without_evaluating_again(string backend)
    {
        using var test = new TestStorage(backend);
        using var dir = new TemporaryFolder();
        string name = test.NewName(), log = Path.Combine(dir.Path, "log"), results = Path.Combine(dir.Path, "results");
        var study = Study.Create(test.Storage, StudyFixtures.RandomSpec(name, budget: 6) with { GraceSeconds = 0.3 });

        // The worker that dies: it claims trial 0, its command runs to the end, and it is killed before it tells.
        var claimed = Assert.Single(study.Ask(1, "doomed"));
        string result = new CommandTrialEvaluator(Logging(log), TimeSpan.FromSeconds(20), results).Evaluate(study.Spec, claimed, default);
        Assert.Equal("{\"accuracy\": 100}", result);
        Assert.Equal(TrialState.Running, study.Trials()[0].State);
        Assert.True(File.Exists(Path.Combine(results, "trial-0", "claim-1.0", "exit")));

        var notes = new List<string>();
        var evaluator = new CommandTrialEvaluator(Logging(log), TimeSpan.FromSeconds(20), results) { Recovered = (t, what) => notes.Add($"{t.Number}: {what}") };
        var report = new StudyWorker(study, evaluator, "rescuer", StudyFixtures.FastPolling()).Run();

        Assert.Equal(new WorkerReport(6, 0, 0), report);
        var trials = study.Trials();
        Assert.All(trials, t => Assert.Equal((TrialState.Complete, 100.0 + t.Number), (t.State, t.Value!.Value)));
        Assert.Equal(2, trials[0].Attempts);
        Assert.Equal("rescuer", trials[0].Worker);
        Assert.All(trials, t => Assert.Equal(1, Runs(log, t.Number)));
        Assert.Equal(["0: recorded the result claim-1.0 finished before its worker stopped"], notes);
        // Each trial's files stay for the user to read: the architecture the command read, its output, its exit code.
        // (trial 0's result is its first claim's: the second claim recorded it and ran nothing).
        Assert.All(trials, t => Assert.True(File.Exists(Path.Combine(results, $"trial-{t.Number}", "claim-1.0", "stdout"))));
        Assert.False(Directory.Exists(Path.Combine(results, "trial-0", "claim-2.0")));
    }

    [Fact]
    public void A_failed_or_unusable_earlier_attempt_is_not_a_result_and_the_trial_is_evaluated_again()
    {
        using var storage = new MemoryStudyStorage();
        using var dir = new TemporaryFolder();
        string log = Path.Combine(dir.Path, "log"), results = Path.Combine(dir.Path, "results");
        var study = Study.Create(storage, StudyFixtures.RandomSpec("s", budget: 2) with { GraceSeconds = 0.3 });
        var first = study.Ask(2, "doomed");
        Assert.Throws<EvaluationException>(() => new CommandTrialEvaluator("echo garbage", TimeSpan.FromSeconds(20), results).Evaluate(study.Spec, first[0], default));
        Assert.Throws<EvaluationException>(() => new CommandTrialEvaluator("echo '{\"accuracy\": 1}'; exit 4", TimeSpan.FromSeconds(20), results).Evaluate(study.Spec, first[1], default));

        var report = new StudyWorker(study, new CommandTrialEvaluator(Logging(log), TimeSpan.FromSeconds(20), results), "rescuer", StudyFixtures.FastPolling()).Run();
        Assert.Equal(new WorkerReport(2, 0, 0), report);
        Assert.Equal([100.0, 101.0], study.Trials().Select(t => t.Value!.Value));
        Assert.Equal(1, Runs(log, 0));
        Assert.Equal(1, Runs(log, 1));
    }

    [Fact]
    public void A_stale_folder_of_another_study_of_the_same_name_is_not_read()
    {
        using var dir = new TemporaryFolder();
        string log = Path.Combine(dir.Path, "log"), results = Path.Combine(dir.Path, "results");
        using (var old = new MemoryStudyStorage())
        {
            var study = Study.Create(old, StudyFixtures.RandomSpec("s", budget: 1) with { CreatedMs = 1000 });
            new CommandTrialEvaluator("echo '{\"accuracy\": 55}'", TimeSpan.FromSeconds(20), results).Evaluate(study.Spec, study.Ask(1, "w")[0], default);
        }
        using var storage = new MemoryStudyStorage();
        var fresh = Study.Create(storage, StudyFixtures.RandomSpec("s", budget: 1) with { CreatedMs = 2000 });
        new StudyWorker(fresh, new CommandTrialEvaluator(Logging(log), TimeSpan.FromSeconds(20), results), "w", StudyFixtures.FastPolling()).Run();
        Assert.Equal(100.0, fresh.Trials()[0].Value);
        Assert.Equal(1, Runs(log, 0));
        Assert.True(Directory.Exists(Path.Combine(results, "trial-0", "claim-1.1")), "the new attempt takes a folder of its own");
    }

    [Fact]
    public void A_child_the_command_leaves_running_does_not_hold_the_trial()
    {
        using var dir = new TemporaryFolder();
        var spec = StudyFixtures.RandomSpec("s");
        var trial = new Trial(0, 0, 7, WeakNas.Spaces.NasBench201.NasBench201Space.Instance.Format(WeakNas.Spaces.NasBench201.NasBench201Space.Instance[7]),
            TrialState.Running, null, null, "w", 0, 1, null, 0, 0, null);
        // The detached sleep would keep a pipe to the command's stdout open for 30 s, past the 15 s timeout: held by it,
        // the attempt would fail "timed out". It returns the command's own result instead.
        string result = new CommandTrialEvaluator("sleep 30 & echo '{\"accuracy\": 3}'", TimeSpan.FromSeconds(15), Path.Combine(dir.Path, "r"))
            .Evaluate(spec, trial, default);
        Assert.Equal("{\"accuracy\": 3}", result);
    }

    [Fact]
    public void The_trial_folder_persists_across_attempts_for_checkpoints()
    {
        using var storage = new MemoryStudyStorage();
        using var dir = new TemporaryFolder();
        string results = Path.Combine(dir.Path, "results");
        var study = Study.Create(storage, StudyFixtures.RandomSpec("s", budget: 1));
        // The first attempt leaves a checkpoint and fails; the retry finds it in {trial_dir}.
        string command = "if [ -f {trial_dir}/ckpt ]; then echo \"{\\\"accuracy\\\": $(cat {trial_dir}/ckpt)}\"; else echo 42 > \"$WEAKNAS_TRIAL_DIR/ckpt\"; exit 1; fi";
        var report = new StudyWorker(study, new CommandTrialEvaluator(command, TimeSpan.FromSeconds(20), results), "w", StudyFixtures.FastPolling() with { Retries = 1 }).Run();
        Assert.Equal(new WorkerReport(1, 0, 0), report);
        Assert.Equal(42.0, study.Trials()[0].Value);
    }
}
