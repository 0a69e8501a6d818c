using System.Collections.Concurrent;
using WeakNas.Benchmarks;
using WeakNas.Studies;

namespace WeakNas.Tests.Studies;

/// <summary>What the study tests share: the NAS-Bench-201 table, the small WeakNAS study, and its reference run.</summary>
internal static class StudyFixtures
{
    public const int Budget = 60;

    private static readonly Lazy<NasBench201Benchmark> LazyCifar10 = new(() => NasBench201Benchmark.Load(TestData.Folder, "cifar10"));

    public static NasBench201Benchmark Cifar10 => LazyCifar10.Value;

    /// <summary>A WeakNAS study small enough to run in a second: M0 = M = 10, a 32×32 predictor, 10 epochs, 6 batches.</summary>
    public static StudySpec WeakNasSpec(string name) => new()
    {
        Name = name, Space = "nb201", Strategy = "weaknas", Seed = 11, Budget = Budget, BatchSize = 10,
        // Batches of 10 (the paper's M), which the tests' batch arithmetic assumes.
        WeakNas = new WeakNasStudySettings { Hidden = [32, 32], Epochs = 10, SamplesPerIteration = 10 },
    };

    public static StudySpec RandomSpec(string name, int budget = 12) => new()
    {
        Name = name, Space = "nb201", Strategy = "random", Seed = 3, Budget = budget, BatchSize = 10,
    };

    /// <summary>Workers poll quickly in tests: a batch waits for its slowest member.</summary>
    public static WorkerOptions FastPolling(int? maxTrials = null) => new() { PollInterval = TimeSpan.FromMilliseconds(10), MaxTrials = maxTrials };

    /// <summary>The (number, architecture) sequence of the WeakNAS study run by one worker from start to end, in memory.</summary>
    public static IReadOnlyList<(int Number, int Arch)> ReferenceSequence => LazyReference.Value;

    private static readonly Lazy<IReadOnlyList<(int, int)>> LazyReference = new(() =>
    {
        using var storage = new MemoryStudyStorage();
        var study = Study.Create(storage, WeakNasSpec("reference"));
        var report = new StudyWorker(study, new TabularTrialEvaluator(Cifar10), "solo", FastPolling()).Run();
        Assert.Equal(new WorkerReport(Budget, 0, 0), report);
        return Sequence(study.Trials());
    });

    public static IReadOnlyList<(int Number, int Arch)> Sequence(IEnumerable<Trial> trials) =>
        trials.OrderBy(t => t.Number).Select(t => (t.Number, t.ArchIndex!.Value)).ToList();

    /// <summary>Polls until the condition holds; false after the timeout.</summary>
    public static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (condition()) return true;
            Thread.Sleep(25);
        }
        return condition();
    }
}

/// <summary>Wraps an evaluator and counts its calls per architecture.</summary>
internal sealed class CountingEvaluator(ITrialEvaluator inner) : ITrialEvaluator
{
    public ConcurrentDictionary<int, int> Calls { get; } = new();

    public string Evaluate(StudySpec study, Trial trial, CancellationToken cancel)
    {
        Calls.AddOrUpdate(trial.ArchIndex!.Value, 1, (_, n) => n + 1);
        return inner.Evaluate(study, trial, cancel);
    }
}

/// <summary>An evaluator defined by a function, for failures and fakes.</summary>
internal sealed class FuncEvaluator(Func<StudySpec, Trial, string> evaluate) : ITrialEvaluator
{
    public string Evaluate(StudySpec study, Trial trial, CancellationToken cancel) => evaluate(study, trial);
}

/// <summary>Runs a body on several threads started together; an exception on any of them fails the test (not the test run).</summary>
internal static class Concurrently
{
    public static void RunAll(int count, Action<int> body, TimeSpan timeout)
    {
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        using var start = new Barrier(count);
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            try
            {
                start.SignalAndWait();
                body(i);
            }
            catch (Exception e)
            {
                errors.Enqueue(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        foreach (var t in threads) Assert.True(t.Join(timeout), "a thread did not finish in time");
        if (!errors.IsEmpty) throw new AggregateException(errors);
    }
}
