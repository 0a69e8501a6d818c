using System.Globalization;
using WeakNas.Benchmarks;
using WeakNas.Experiments;
using WeakNas.Hardware;
using WeakNas.MultiObjective;
using WeakNas.Spaces.NasBench201;
using WeakNas.Strategies;

namespace WeakNas.Cli;

/// <summary>`weaknas search --objectives ...`: one multi-objective search; prints the found front and its hypervolume ratio.</summary>
internal static class MultiObjectiveSearch
{
    public static SearchResult Run(TextWriter stdout, TextWriter stderr, NasBench201Benchmark benchmark, ObjectiveSet objectives, ArchitectureMetrics metrics,
        ConstraintSetup? setup, string strategyName, ulong seed, WeakNasOptions options, int budget, NoiseMode noise, bool progress)
    {
        if (budget > benchmark.Space.Count)
            throw new InvalidInputException($"--budget {budget} exceeds the {benchmark.Space.Count} architectures of this nb201 table");
        var problem = ObjectiveCliOptions.Problem(objectives, benchmark, metrics, setup);
        var strategy = MultiObjectiveStrategyFactory.Create(strategyName, NasBench201Space.Instance, NasBench201Setup.Encodings, problem, seed, options,
            constraint: setup?.Start(seed));
        using var bar = new ProgressBar(stderr, budget, enabled: progress);
        using var interrupt = new Interruption();
        var result = SearchRunner.Run(benchmark, strategy, budget, seed, noise, (record, best) => bar.Update(record.N, best.SearchAccuracy, best.N),
            interrupt: interrupt.Token);
        bar.Finish();
        result = result with { Objectives = MultiObjectiveOutcome.Of(problem, objectives.Label, result) };
        WriteSummary(stdout, result, benchmark.SearchMetric, problem);
        return result;
    }

    /// <summary>A multi-objective search over any tabular benchmark (the ofa-mbv3 pool), its problem already resolved.</summary>
    public static SearchResult Run<TArch>(TextWriter stdout, TextWriter stderr, ITabularBenchmark<TArch> benchmark, ObjectiveSet objectives, MultiObjectiveProblem problem,
        string strategyName, ulong seed, WeakNasOptions options, int budget, bool progress) where TArch : notnull, IEquatable<TArch>
    {
        if (budget > benchmark.Space.Count)
            throw new InvalidInputException($"--budget {budget} exceeds the {benchmark.Space.Count} architectures of {benchmark.Space.Name}/{benchmark.Dataset}");
        var strategy = MultiObjectiveStrategyFactory.Create(strategyName, benchmark.Space, SpaceEncodings.Own(benchmark.Space), problem, seed, options);
        using var bar = new ProgressBar(stderr, budget, enabled: progress);
        using var interrupt = new Interruption();
        var result = SearchRunner.Run(benchmark, strategy, budget, seed, NoiseMode.Mean, (record, best) => bar.Update(record.N, best.SearchAccuracy, best.N),
            interrupt: interrupt.Token);
        bar.Finish();
        result = result with { Objectives = MultiObjectiveOutcome.Of(problem, objectives.Label, result) };
        WriteSummary(stdout, result, benchmark.SearchMetric, problem);
        return result;
    }

    private static void WriteSummary(TextWriter stdout, SearchResult result, string searchMetric, MultiObjectiveProblem problem)
    {
        var o = result.Objectives!;
        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine(string.Create(inv, $"{result.Strategy} (multi-objective) on {result.Space}/{result.Dataset} (noise {result.Noise}), seed {result.Seed}: {result.Queries.Count} queries in {result.Seconds:F1} s"));
        if (result.Constraint is { } c)
            stdout.WriteLine(string.Create(inv, $"constraint {c.Constraints} ({c.Bounds}): {c.FeasibleCount:N0} feasible architectures"));
        var box = string.Join(", ", problem.Names.Select((name, k) => string.Create(inv, $"{(k == 0 ? searchMetric : name)} {problem.Range(k).Low:G5}–{problem.Range(k).High:G5}")));
        stdout.WriteLine(string.Create(inv,
            $"objectives {o.Objectives}: true front {o.TrueFrontSize} architectures; reference point ({string.Join(", ", o.Reference.Select(r => r.ToString("G3", inv)))}) after normalising to {box}"));
        stdout.WriteLine(string.Create(inv, $"found front: {o.Front.Count} architectures, hypervolume ratio {o.HypervolumeRatio:F4} ({o.Hypervolume:F4} of {o.TrueHypervolume:F4})"));
        stdout.WriteLine($"{"query",6} {"index",6} {searchMetric,20} {string.Join(" ", o.Costs.Select(n => $"{n,16}"))}  arch");
        foreach (var m in o.Front)
            stdout.WriteLine(string.Create(inv, $"{m.Query.N,6} {m.Query.Index,6} {m.Accuracy,20:F4} {string.Join(" ", m.Costs.Select(v => $"{v,16:G6}"))}  {m.Query.Arch}"));
    }
}
