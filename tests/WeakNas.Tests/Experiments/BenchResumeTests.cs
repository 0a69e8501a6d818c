using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;

namespace WeakNas.Tests.Experiments;

public class BenchResumeTests
{
    private static BenchRunner<NasBench201Cell> Runner() => new()
    {
        Benchmarks = new Dictionary<string, ITabularBenchmark<NasBench201Cell>> { ["cifar10"] = NasBench201Benchmark.Load(TestData.Folder, "cifar10") },
        CreateStrategy = job => StrategyFactory.Create(job.Strategy, NasBench201Space.Instance, NasBench201Setup.Encodings, job.Seed, new WeakNasOptions { Budget = 40, Predictor = new() { HiddenLayers = [16], MaxEpochs = 5 } }),
        Budget = 40,
        Workers = 2,
    };

    private static List<string> Content(RunLog log) =>
        log.Read().Select(r => (r with { Seconds = 0 }).Key + ":" + string.Join(',', r.Search) + "|" + string.Join(',', r.Test) + "|" + r.FoundOptimumAt)
            .Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void An_interrupted_bench_resumed_ends_with_the_same_runs_as_an_uninterrupted_one()
    {
        using var dir = new TemporaryFolder();
        var plan = BenchJob.Plan(["cifar10"], ["random", "evolution", "local", "weaknas"], 0, 3);

        var whole = new RunLog(Path.Combine(dir.Path, "whole.jsonl"));
        Runner().Run(plan, whole, _ => { });

        var resumed = new RunLog(Path.Combine(dir.Path, "resumed.jsonl"));
        using (var cancel = new CancellationTokenSource())
        {
            int finished = 0;
            Runner().Run(plan, resumed, _ => { if (Interlocked.Increment(ref finished) == 4) cancel.Cancel(); }, cancel.Token);
        }
        int afterKill = resumed.Read().Count;
        Assert.InRange(afterKill, 4, plan.Count - 1);
        // A kill in the middle of writing a record leaves a torn line; the resume must cope with it.
        File.AppendAllText(resumed.Path, "{\"space\":\"nb20");
        var seen = new List<string>();
        Runner().Run(plan, resumed, r => seen.Add(r.Key));

        Assert.Equal(plan.Count - afterKill, seen.Count);
        Assert.Equal(Content(whole), Content(resumed));
        Assert.Equal(plan.Count, File.ReadAllLines(resumed.Path).Length);
    }
}
