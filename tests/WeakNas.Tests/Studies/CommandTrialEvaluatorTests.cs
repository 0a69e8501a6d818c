using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using WeakNas.Spaces.NasBench201;
using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

/// <summary>The user's own evaluation command: its input file, its output, its failures, its timeout, and retries in a worker.</summary>
public class CommandTrialEvaluatorTests
{
    public static TheoryData<string> Backends => Studies.Backends.All();

    private static readonly StudySpec Spec = StudyFixtures.RandomSpec("cmd-study");

    private static Trial TrialOf(int number, int index) =>
        new(number, 0, index, NasBench201Space.Instance.Format(NasBench201Space.Instance[index]), TrialState.Running, null, null, "w",
            0, 1, null, 0, 0, null);

    private static string Evaluate(string command, double timeoutSeconds = 20, CancellationToken cancel = default) =>
        new CommandTrialEvaluator(command, TimeSpan.FromSeconds(timeoutSeconds)).Evaluate(Spec, TrialOf(4, 1234), cancel);

    private static EvaluationException Fails(string command, double timeoutSeconds = 20) =>
        Assert.Throws<EvaluationException>(() => Evaluate(command, timeoutSeconds));

    [Fact]
    public void The_command_gets_the_architecture_file_and_its_last_line_is_the_result()
    {
        using var dir = new TemporaryFolder();
        string copy = Path.Combine(dir.Path, "arch.json"), env = Path.Combine(dir.Path, "env.txt"), file = Path.Combine(dir.Path, "file.txt");
        string result = Evaluate(
            $"cp {{arch_json_file}} '{copy}'; echo {{arch_json_file}} > '{file}'; echo \"$WEAKNAS_TRIAL $WEAKNAS_STUDY\" {{trial}} {{study}} > '{env}'; " +
            "echo 'epoch 1: loss 2.3'; echo '{\"accuracy\": 91.25, \"loss\": 0.5}'; echo; echo 'progress on stderr' >&2");
        Assert.Equal("{\"accuracy\": 91.25, \"loss\": 0.5}", result);

        using var json = JsonDocument.Parse(File.ReadAllText(copy));
        var root = json.RootElement;
        Assert.Equal("cmd-study", root.GetProperty("study").GetString());
        Assert.Equal(4, root.GetProperty("trial").GetInt32());
        Assert.Equal(1234, root.GetProperty("index").GetInt32());
        Assert.Equal("nb201", root.GetProperty("space").GetString());
        Assert.Equal("accuracy", root.GetProperty("metric").GetString());
        string arch = root.GetProperty("arch").GetString()!;
        Assert.Equal(NasBench201Space.Instance.Format(NasBench201Space.Instance[1234]), arch);
        var edges = root.GetProperty("edges").EnumerateArray().ToList();
        Assert.Equal(6, edges.Count);
        Assert.All(edges, e => Assert.Contains(e.GetProperty("op").GetString()!, arch));
        Assert.Equal("4 cmd-study 4 cmd-study", File.ReadAllText(env).Trim());
        Assert.False(File.Exists(File.ReadAllText(file).Trim()), "the architecture file is deleted after the evaluation");
    }

    [Theory]
    [InlineData("echo hello", "metrics are not JSON: hello")]
    [InlineData("echo '{\"loss\": 1}'", "metrics have no 'accuracy'")]
    [InlineData("echo '{\"accuracy\": \"NaN\"}'", "metric 'accuracy' is NaN, not a finite number")]
    [InlineData("echo '{\"accuracy\": NaN}'", "metrics are not JSON")]
    [InlineData("echo '{\"accuracy\": 1e999}'", "not a finite number")]
    [InlineData("echo '{\"accuracy\": \"high\"}'", "metric 'accuracy' is not a number")]
    [InlineData("echo '[91.5]'", "metrics must be a JSON object")]
    [InlineData("echo '{\"accuracy\": 91.5}'; echo done", "metrics are not JSON: done")]
    [InlineData("true", "command printed nothing on stdout")]
    public void Unusable_output_fails_with_the_reason(string command, string expected)
    {
        var e = Fails(command);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_nonzero_exit_fails_with_the_code_and_the_end_of_stderr()
    {
        var e = Fails("echo 'loading data' >&2; echo 'CUDA error: out of memory' >&2; echo '{\"accuracy\": 1}'; exit 3");
        Assert.StartsWith("command exited with code 3", e.Message);
        Assert.Contains("CUDA error: out of memory", e.Message);
        Assert.Contains("loading data", e.Message);

        e = Fails("echo 'Traceback: bad output' >&2; echo nonsense");
        Assert.Contains("not JSON", e.Message);
        Assert.Contains("stderr: Traceback: bad output", e.Message);

        // A long stderr is cut to its end.
        e = Fails("i=0; while [ $i -lt 500 ]; do echo \"line $i of noise\" >&2; i=$((i+1)); done; echo 'the real error' >&2; exit 1");
        Assert.EndsWith("the real error", e.Message);
        Assert.True(e.Message.Length < 2200, $"message of {e.Message.Length} characters");
    }

    [Fact]
    public void A_command_that_does_not_finish_in_time_is_killed()
    {
        using var dir = new TemporaryFolder();
        string pidFile = Path.Combine(dir.Path, "pid");
        var e = Fails($"sleep 10 & echo $! > '{pidFile}'; wait", timeoutSeconds: 0.5);
        Assert.StartsWith("timed out after 0.5 s", e.Message);

        int pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        Assert.True(StudyFixtures.WaitFor(() => !IsAlive(pid), TimeSpan.FromSeconds(5)), $"the command's child {pid} is still running");
    }

    [Fact]
    public void Cancelling_stops_the_command()
    {
        using var dir = new TemporaryFolder();
        string pidFile = Path.Combine(dir.Path, "pid");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.ThrowsAny<OperationCanceledException>(() => Evaluate($"sleep 10 & echo $! > '{pidFile}'; wait", cancel: cancel.Token));
        // Cancelled means killed: the command's child is gone, not left to finish its 10 s.
        int pid = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);
        Assert.True(StudyFixtures.WaitFor(() => !IsAlive(pid), TimeSpan.FromSeconds(5)), $"the command's child {pid} is still running");
    }

    [Fact]
    public void An_empty_command_is_an_input_error()
    {
        Assert.Throws<InvalidInputException>(() => new CommandTrialEvaluator("  ", TimeSpan.FromSeconds(1)));
    }

    /// <summary>A process that is gone or a zombie (killed, not yet reaped by whoever inherited it) no longer runs.</summary>
    private static bool IsAlive(int pid)
    {
        string stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            string text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void A_worker_retries_a_failed_evaluation_and_completes_the_trial(string backend)
    {
        using var test = new TestStorage(backend);
        using var dir = new TemporaryFolder();
        string name = test.NewName();
        var study = Study.Create(test.Storage, StudyFixtures.RandomSpec(name, budget: 12));
        // Fails the first time it sees a trial, succeeds the second: a counter file per trial.
        string command = $"f='{dir.Path}'/count-{{trial}}; echo run >> \"$f\"; " +
            "if [ $(wc -l < \"$f\") -lt 2 ]; then echo 'flaky node' >&2; exit 1; fi; echo \"{\\\"accuracy\\\": {trial}.5}\"";
        var report = new StudyWorker(study, new CommandTrialEvaluator(command, TimeSpan.FromSeconds(20)), "w", StudyFixtures.FastPolling()).Run();

        Assert.Equal(new WorkerReport(12, 0, 0), report);
        var trials = test.Storage.Trials(name);
        Assert.Equal(12, trials.Count);
        Assert.All(trials, t => Assert.Equal((TrialState.Complete, t.Number + 0.5, 1), (t.State, t.Value!.Value, t.Attempts)));
        Assert.All(trials, t => Assert.Null(t.Error));
        Assert.All(trials, t => Assert.Equal(2, File.ReadAllLines(Path.Combine(dir.Path, $"count-{t.Number}")).Length));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Trials_whose_every_attempt_fails_are_failed_with_the_reason_and_the_study_goes_on(string backend)
    {
        using var test = new TestStorage(backend);
        string name = test.NewName();
        var study = Study.Create(test.Storage, StudyFixtures.RandomSpec(name, budget: 12));
        string command = "if [ $(({trial} % 3)) -eq 0 ]; then echo 'loss diverged' >&2; exit 1; fi; echo '{\"accuracy\": 50}'";
        var report = new StudyWorker(study, new CommandTrialEvaluator(command, TimeSpan.FromSeconds(20)), "w", StudyFixtures.FastPolling() with { Retries = 2 }).Run();

        Assert.Equal(new WorkerReport(8, 4, 0), report);
        var trials = test.Storage.Trials(name);
        Assert.Equal(12, trials.Count);
        foreach (var t in trials)
        {
            if (t.Number % 3 == 0)
            {
                Assert.Equal(TrialState.Failed, t.State);
                Assert.Equal("attempt 3 of 3: command exited with code 1; stderr: loss diverged", t.Error);
                Assert.Null(t.Value);
                Assert.NotNull(t.FinishedMs);
            }
            else
            {
                Assert.Equal((TrialState.Complete, 50.0), (t.State, t.Value!.Value));
            }
        }
        Assert.True(study.IsDone());
        Assert.Equal((8, 4), (study.Status().Complete, study.Status().Failed));
    }

    [Fact]
    public void A_timed_out_evaluation_fails_the_trial_without_retries_when_none_are_asked_for()
    {
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, StudyFixtures.RandomSpec("timeouts", budget: 2));
        string command = "if [ {trial} -eq 0 ]; then sleep 10; fi; echo '{\"accuracy\": 7}'";
        var report = new StudyWorker(study, new CommandTrialEvaluator(command, TimeSpan.FromSeconds(0.5)), "w", StudyFixtures.FastPolling() with { Retries = 0 }).Run();
        Assert.Equal(new WorkerReport(1, 1, 0), report);
        Assert.Equal("timed out after 0.5 s", study.Trials()[0].Error);
        Assert.Equal(7, study.Trials()[1].Value);
    }
}
