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
    public void A_killed_workers_trial_is_requeued_and_the_study_completes(string backend)
    {
        using var test = new TestStorage(backend);
        string name = test.NewName();
        Study.Create(test.Storage, StudyFixtures.RandomSpec(name, budget: 12) with { GraceSeconds = 2, MaxAttempts = 3 });

        Trial victim;
        using (var doomed = new CliProcess("worker", name, "--storage", test.Url!, "--evaluate", "sleep 30; echo '{\"accuracy\": 1}'"))
        {
            Assert.True(StudyFixtures.WaitFor(() => test.Storage.Trials(name).Any(t => t.State == TrialState.Running), TimeSpan.FromSeconds(30)),
                $"the worker never started a trial: {doomed}");
            doomed.Kill();
            victim = Assert.Single(test.Storage.Trials(name), t => t.State == TrialState.Running);
            Assert.Equal(1, victim.Attempts);
            Assert.StartsWith($"{Environment.MachineName}-{doomed.Id}-", victim.Worker);

            // Killed, it could not delete the architecture file it wrote for its command.
            foreach (string file in Directory.GetFiles(Path.GetTempPath(), $"weaknas-{doomed.Id}-*.json")) File.Delete(file);
        }
        Assert.Equal(0, victim.Number);
        Assert.All(test.Storage.Trials(name).Where(t => t.Number != victim.Number), t => Assert.Equal(TrialState.Waiting, t.State));

        using (var rescuer = new CliProcess("worker", name, "--storage", test.Url!, "--evaluate", "echo '{\"accuracy\": {trial}}'"))
        {
            Assert.True(rescuer.WaitForExit(TimeSpan.FromSeconds(60)), $"the second worker did not finish: {rescuer}");
            Assert.True(rescuer.ExitCode == 0, rescuer.ToString());
            Assert.Contains("worker: 12 complete, 0 failed", rescuer.Stdout);
        }

        var trials = test.Storage.Trials(name);
        Assert.Equal(12, trials.Count);
        Assert.All(trials, t => Assert.Equal((TrialState.Complete, (double)t.Number), (t.State, t.Value!.Value)));
        var retried = trials[victim.Number];
        Assert.Equal(2, retried.Attempts);
        Assert.NotEqual(victim.Worker, retried.Worker);
        Assert.All(trials.Where(t => t.Number != victim.Number), t => Assert.Equal(1, t.Attempts));
        Assert.Equal(12, trials.Select(t => t.ArchIndex!.Value).Distinct().Count());
    }
}
