using WeakNas.Studies;
using WeakNas.Tests.Cli;

namespace WeakNas.Tests.Studies;

/// <summary>A broken evaluator stops the study after K failures in a row, instead of burning its budget.</summary>
public sealed class CircuitBreakerTests : IDisposable
{
    public static TheoryData<string> Backends => Studies.Backends.All();

    private readonly TemporaryFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [MemberData(nameof(Backends))]
    public void Five_failures_in_a_row_pause_the_study_and_nothing_more_is_spent_until_it_is_resumed(string backend)
    {
        using var test = new TestStorage(backend);
        string name = test.NewName();
        var study = Study.Create(test.Storage, StudyFixtures.RandomSpec(name, budget: 40));
        // Prints 42, not a metrics object: every attempt fails.
        var broken = new CommandTrialEvaluator("echo 42", TimeSpan.FromSeconds(20), Path.Combine(_dir.Path, "r"));
        var report = new StudyWorker(study, broken, "w", StudyFixtures.FastPolling() with { Retries = 1 }).Run();

        Assert.Equal(5, report.Failed);
        Assert.Equal(0, report.Completed);
        Assert.StartsWith("5 trials in a row failed, the last (trial 4): attempt 2 of 2: last stdout line: metrics must be a JSON object, got 42", report.Paused);
        Assert.Equal(report.Paused, study.Paused());
        Assert.Equal(5, study.Trials().Count(t => t.State == TrialState.Failed));
        Assert.Empty(study.Ask(1, "other"));
        Assert.False(study.IsDone());
        Assert.Contains("PAUSED: 5 trials in a row failed", study.Status().ToText());

        // Another worker on the paused study stops at once, spending nothing.
        var second = new StudyWorker(study, broken, "w2", StudyFixtures.FastPolling()).Run();
        Assert.Equal(new WorkerReport(0, 0, 0, report.Paused), second);

        study.Resume();
        Assert.Null(study.Paused());
        var good = new CommandTrialEvaluator("echo '{\"accuracy\": {trial}}'", TimeSpan.FromSeconds(20), Path.Combine(_dir.Path, "r"));
        var fixedRun = new StudyWorker(study, good, "w3", StudyFixtures.FastPolling()).Run();
        Assert.Equal(new WorkerReport(35, 0, 0), fixedRun);
        Assert.True(study.IsDone());
    }

    [Fact]
    public void Failures_that_are_not_in_a_row_do_not_trip_it_and_zero_turns_it_off()
    {
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, StudyFixtures.RandomSpec("flaky", budget: 20));
        // Four of every five fail: never five in a row.
        var flaky = new CommandTrialEvaluator("if [ $(({trial} % 5)) -ne 4 ]; then exit 1; fi; echo '{\"accuracy\": 1}'", TimeSpan.FromSeconds(20));
        var report = new StudyWorker(study, flaky, "w", StudyFixtures.FastPolling() with { Retries = 0 }).Run();
        Assert.Equal(new WorkerReport(4, 16, 0), report);

        var off = Study.Create(storage, StudyFixtures.RandomSpec("off", budget: 8));
        var all = new StudyWorker(off, new CommandTrialEvaluator("exit 1", TimeSpan.FromSeconds(20)), "w",
            StudyFixtures.FastPolling() with { Retries = 0, MaxConsecutiveFailures = 0 }).Run();
        Assert.Equal(new WorkerReport(0, 8, 0), all);
        Assert.Null(off.Paused());
    }

    [Fact]
    public void The_worker_command_exits_3_with_the_reason_and_status_ask_and_resume_say_so()
    {
        using var test = new TestStorage(Studies.Backends.Sqlite);
        string name = test.NewName(), url = test.Url!, results = Path.Combine(_dir.Path, "r");
        Assert.Equal(0, CliRunner.Run("study", "create", name, "--storage", url, "--strategy", "random", "--budget", "30", "--batch", "10").Code);

        var worker = CliRunner.Run("worker", name, "--storage", url, "--evaluate", "echo 42", "--results", results, "--max-failures", "3", "--retries", "0");
        Assert.Equal(3, worker.Code);
        Assert.Contains("worker: 0 complete, 3 failed", worker.Out);
        Assert.EndsWith($"weaknas: study '{name}' is paused: 3 trials in a row failed, the last (trial 2): last stdout line: metrics must be a JSON object, got 42; fix the evaluator, then run `weaknas study resume {name}`\n",
            worker.Err);
        Assert.Contains("PAUSED: 3 trials in a row failed", CliRunner.Run("study", "status", name, "--storage", url).Out);

        var again = CliRunner.Run("worker", name, "--storage", url, "--evaluate", "echo 42", "--results", results);
        Assert.Equal(3, again.Code);
        Assert.Equal("", again.Out);
        var ask = CliRunner.Run("study", "ask", name, "--storage", url);
        Assert.Equal((3, ""), (ask.Code, ask.Out));
        Assert.Contains("is paused", ask.Err);

        var resume = CliRunner.Run("study", "resume", name, "--storage", url);
        Assert.Equal(0, resume.Code);
        Assert.Contains($"study {name} resumed (it was paused: 3 trials in a row failed", resume.Out);
        var done = CliRunner.Run("worker", name, "--storage", url, "--evaluate", "echo '{\"accuracy\": 1}'", "--results", results);
        Assert.True(done.Code == 0, done.Err);
        Assert.Contains("worker: 27 complete, 0 failed", done.Out);
    }
}
