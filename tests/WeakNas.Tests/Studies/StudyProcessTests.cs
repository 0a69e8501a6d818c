using System.Text.RegularExpressions;
using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

/// <summary>The tests that start worker processes run one at a time, so their timing does not depend on each other.</summary>
[CollectionDefinition(Name)]
public sealed class StudyProcessCollection
{
    public const string Name = "study worker processes";
}

/// <summary>`weaknas worker` in separate processes sharing one storage, and a worker killed with SIGKILL.</summary>
[Collection(StudyProcessCollection.Name)]
public partial class StudyProcessTests
{
    public static TheoryData<string> SharedBackends => Backends.Shared();

    [GeneratedRegex(@"^trial (\d+) \S+: (complete|failed)", RegexOptions.Multiline)]
    private static partial Regex FinishedLine();

    [Theory]
    [MemberData(nameof(SharedBackends))]
    public void Eight_worker_processes_complete_the_study_evaluating_each_architecture_once(string backend)
    {
        using var test = new TestStorage(backend);
        string name = test.NewName();
        Study.Create(test.Storage, StudyFixtures.WeakNasSpec(name));

        var workers = Enumerable.Range(0, 8)
            .Select(_ => new CliProcess("worker", name, "--storage", test.Url!, "--benchmark", "cifar10", "--data", TestData.Folder))
            .ToList();
        try
        {
            foreach (var w in workers) Assert.True(w.WaitForExit(TimeSpan.FromSeconds(90)), $"a worker did not finish: {w}");
            foreach (var w in workers) Assert.True(w.ExitCode == 0, w.ToString());

            var trials = test.Storage.Trials(name);
            Assert.Equal(StudyFixtures.Budget, trials.Count);
            Assert.All(trials, t => Assert.Equal((TrialState.Complete, 1), (t.State, t.Attempts)));
            Assert.All(trials, t => Assert.Equal(StudyFixtures.Cifar10.SearchAccuracy(t.ArchIndex!.Value), t.Value));
            Assert.Equal(StudyFixtures.Budget, trials.Select(t => t.ArchIndex!.Value).Distinct().Count());

            // Every evaluation any process reported, once per trial across all of them.
            var evaluated = workers.SelectMany(w => FinishedLine().Matches(w.Stderr)).ToList();
            Assert.All(evaluated, m => Assert.Equal("complete", m.Groups[2].Value));
            Assert.Equal(Enumerable.Range(0, StudyFixtures.Budget), evaluated.Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order());
            Assert.Equal(StudyFixtures.Budget, workers.Sum(w => Regex.Matches(w.Stdout, @"worker: (\d+) complete").Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))));
            Assert.All(workers, w => Assert.Contains("0 failed, 0 results arrived after another worker's", w.Stdout));

            Assert.Equal(StudyFixtures.ReferenceSequence, StudyFixtures.Sequence(trials));
        }
        finally
        {
            workers.ForEach(w => w.Dispose());
        }
    }

    [Theory]
    [MemberData(nameof(SharedBackends))]
    public void A_killed_workers_trial_is_requeued_and_its_running_command_is_waited_for_not_run_again(string backend)
    {
        using var test = new TestStorage(backend);
        using var dir = new TemporaryFolder();
        string name = test.NewName(), log = Path.Combine(dir.Path, "log"), results = Path.Combine(dir.Path, "results"), go = Path.Combine(dir.Path, "go");
        Study.Create(test.Storage, StudyFixtures.RandomSpec(name, budget: 12) with { GraceSeconds = 2, MaxAttempts = 3 });

        Trial victim;
        using (var doomed = new CliProcess("worker", name, "--storage", test.Url!, "--results", results,
            "--evaluate", $"echo {{trial}} >> '{log}'; while [ ! -f '{go}' ]; do sleep 0.1; done; echo '{{\"accuracy\": 1000}}'"))
        {
            Assert.True(StudyFixtures.WaitFor(() => File.Exists(Path.Combine(results, "trial-0", "claim-1.0", "pid")), TimeSpan.FromSeconds(30)),
                $"the worker never started its command: {doomed}");
            doomed.KillAlone();
            victim = Assert.Single(test.Storage.Trials(name), t => t.State == TrialState.Running);
            Assert.Equal(1, victim.Attempts);
            Assert.StartsWith($"{Environment.MachineName}-{doomed.Id}-", victim.Worker);
        }
        Assert.Equal(0, victim.Number);
        Assert.All(test.Storage.Trials(name).Where(t => t.Number != victim.Number), t => Assert.Equal(TrialState.Waiting, t.State));

        // The killed worker's command goes on; the next worker to take its trial waits for it and records its result.
        using (var rescuer = new CliProcess("worker", name, "--storage", test.Url!, "--results", results,
            "--evaluate", $"echo {{trial}} >> '{log}'; echo '{{\"accuracy\": {{trial}}}}'"))
        {
            // The command finishes only once the rescuer holds the trial (its second claim): the rescuer must wait for it.
            Assert.True(StudyFixtures.WaitFor(() => test.Storage.Trials(name)[0] is { State: TrialState.Running, Attempts: 2 }, TimeSpan.FromSeconds(60)), rescuer.ToString());
            Thread.Sleep(1000);
            File.WriteAllText(go, "");
            Assert.True(rescuer.WaitForExit(TimeSpan.FromSeconds(60)), $"the second worker did not finish: {rescuer}");
            Assert.True(rescuer.ExitCode == 0, rescuer.ToString());
            Assert.Contains("worker: 12 complete, 0 failed", rescuer.Stdout);
            // Waited for (the usual case), or, on a machine so slow that the command ended between the claim and the look,
            // recorded as finished: either way from the first claim's folder, as the value below shows.
            Assert.True(rescuer.Stderr.Contains(": waited for claim-1.0, still running after its worker stopped, and recorded its result", StringComparison.Ordinal)
                || rescuer.Stderr.Contains(": recorded the result claim-1.0 finished before its worker stopped", StringComparison.Ordinal), rescuer.Stderr);
        }

        var trials = test.Storage.Trials(name);
        Assert.Equal(12, trials.Count);
        Assert.All(trials, t => Assert.Equal((TrialState.Complete, t.Number == 0 ? 1000.0 : t.Number), (t.State, t.Value!.Value)));
        var retried = trials[victim.Number];
        Assert.Equal(2, retried.Attempts);
        Assert.NotEqual(victim.Worker, retried.Worker);
        Assert.All(trials.Where(t => t.Number != victim.Number), t => Assert.Equal(1, t.Attempts));
        Assert.Equal(12, trials.Select(t => t.ArchIndex!.Value).Distinct().Count());
        // Every architecture was evaluated once: the killed worker's command was not started again.
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), File.ReadAllLines(log).Order(StringComparer.Ordinal).OrderBy(l => l.Length));
    }
}
