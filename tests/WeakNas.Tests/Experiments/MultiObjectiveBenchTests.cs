using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.MultiObjective;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;
using WeakNas.Tests.Hardware;

namespace WeakNas.Tests.Experiments;

public class MultiObjectiveBenchTests
{
    private const string Label = "accuracy,latency:pixel3";

    private static readonly Lazy<MultiObjectiveProblem> Problem = new(() => ObjectiveSet.Parse(Label).Resolve(HardwareData.Cifar10.SearchAccuracy, HardwareData.Metrics));

    private static BenchRunner<NasBench201Cell> Runner() => new()
    {
        Benchmarks = new Dictionary<string, ITabularBenchmark<NasBench201Cell>> { ["cifar10"] = HardwareData.Cifar10 },
        CreateStrategy = job => MultiObjectiveStrategyFactory.Create(job.Strategy, NasBench201Space.Instance, NasBench201Setup.Encodings, Problem.Value, job.Seed,
            new WeakNasOptions { Budget = 40, Predictor = new() { HiddenLayers = [16], MaxEpochs = 5 } }),
        Complete = (job, result, record) => MultiObjectiveOutcome.Complete(Problem.Value, job.Objectives!, result, record),
        Budget = 40,
        Workers = 2,
    };

    private static List<BenchJob> Plan() => BenchJob.Plan(["cifar10"], ["random", "nsga2", "weaknas"], 0, 3).Select(j => j with { Objectives = Label }).ToList();

    private static List<string> Content(RunLog log) =>
        log.Read().Select(r => r.Key + ":" + string.Join(',', r.Indices!) + "|" + string.Join(',', r.Hypervolume!)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void An_interrupted_multi_objective_bench_resumed_ends_with_the_same_runs_as_an_uninterrupted_one()
    {
        using var dir = new TemporaryFolder();
        var plan = Plan();
        var whole = new RunLog(Path.Combine(dir.Path, "whole.jsonl"));
        Runner().Run(plan, whole, _ => { });

        var resumed = new RunLog(Path.Combine(dir.Path, "resumed.jsonl"));
        using (var cancel = new CancellationTokenSource())
        {
            int finished = 0;
            Runner().Run(plan, resumed, _ => { if (Interlocked.Increment(ref finished) == 3) cancel.Cancel(); }, cancel.Token);
        }
        int afterKill = resumed.Read().Count;
        Assert.InRange(afterKill, 3, plan.Count - 1);
        File.AppendAllText(resumed.Path, "{\"space\":\"nb20");
        var seen = new List<string>();
        Runner().Run(plan, resumed, r => seen.Add(r.Key));

        Assert.Equal(plan.Count - afterKill, seen.Count);
        Assert.Equal(Content(whole), Content(resumed));
        Assert.All(whole.Read(), r =>
        {
            Assert.Equal(Label, r.Objectives);
            Assert.Equal(40, r.Hypervolume!.Length);
            Assert.Equal(Problem.Value.HypervolumeRatio(r.Indices!), r.Hypervolume[^1], 12);
        });
    }

    [Fact]
    public void Run_keys_of_multi_objective_runs_differ_from_single_objective_ones()
    {
        Assert.Equal("cifar10/random/3", RunRecord.RunKey("cifar10", "random", 3, null, null));
        Assert.NotEqual(RunRecord.RunKey("cifar10", "random", 3, null, null), RunRecord.RunKey("cifar10", "random", 3, null, Label));
        Assert.NotEqual(RunRecord.RunKey("cifar10", "random", 3, null, Label), RunRecord.RunKey("cifar10", "random", 3, null, "accuracy,params"));
        Assert.NotEqual(RunRecord.RunKey("cifar10", "random", 3, "params<=1", Label), RunRecord.RunKey("cifar10", "random", 3, null, Label));
    }

    private static RunRecord Run(string strategy, ulong seed, params double[] trace) => new()
    {
        Space = "nb201", Dataset = "cifar10", Strategy = strategy, Seed = seed, Budget = trace.Length, StopAtOptimum = false, FoundOptimumAt = null,
        Seconds = 1, Search = new double[trace.Length], Test = new double[trace.Length], Objectives = Label,
        Indices = Enumerable.Range(0, trace.Length).ToArray(), Hypervolume = trace,
    };

    [Fact]
    public void Summary_of_hand_made_traces()
    {
        // Budget 60: ratio 0.5 until query 49, 0.92 from 50, 0.96 from 55 (run a); run b 0.95 from query 10, 0.99 at 60.
        double[] a = Enumerable.Range(1, 60).Select(q => q >= 55 ? 0.96 : q >= 50 ? 0.92 : 0.5).ToArray();
        double[] b = Enumerable.Range(1, 60).Select(q => q == 60 ? 0.99 : q >= 10 ? 0.95 : 0.5).ToArray();
        var summary = new MultiObjectiveSummary([Run("random", 0, a), Run("random", 1, b), Run("other", 0, b)]);
        var row = summary.Rows.Single(r => r.Strategy == "random");
        Assert.Equal([50, 60], row.Ratio.Keys.Order());
        Assert.Equal((0.92 + 0.95) / 2, row.Ratio[50].Mean, 12);
        Assert.Equal(Math.Sqrt(2 * Math.Pow(0.015, 2)), row.Ratio[50].Std, 12);
        Assert.Equal((0.96 + 0.99) / 2, row.Ratio[60].Mean, 12);
        // 90 %: queries 50 and 10; 95 %: 55 and 10; 99 %: never (counts as 60) and 60.
        Assert.Equal((30.0, 30.0, 2), row.ToTarget[0.90]);
        Assert.Equal((32.5, 32.5, 2), row.ToTarget[0.95]);
        Assert.Equal((60.0, 60.0, 1), row.ToTarget[0.99]);
        string markdown = summary.ToMarkdown();
        Assert.Contains("| random | 2 | 0.935 ± 0.021 | 0.975 ± 0.021 |", markdown);
        Assert.Contains("| random | 30.0, median 30.0 (2/2) | 32.5, median 32.5 (2/2) | 60.0, median 60.0 (1/2) |", markdown);
        var csv = summary.ToCsv().Split('\n');
        Assert.StartsWith("cifar10,\"accuracy,latency:pixel3\",,random,2,60,1,0.935,", csv[1]);
    }
}
