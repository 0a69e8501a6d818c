using System.Globalization;
using System.Text;
using WeakNas.Numerics;

namespace WeakNas.Experiments;

/// <summary>
/// Per dataset, objectives, constraint (or none) and strategy of multi-objective runs: the hypervolume ratio (found front
/// over true front) at fixed query counts, and the queries needed to reach 90, 95 and 99 % of the true hypervolume.
/// </summary>
public sealed class MultiObjectiveSummary
{
    public static readonly int[] Checkpoints = [50, 100, 200, 500];
    public static readonly double[] Targets = [0.90, 0.95, 0.99];

    /// <param name="Ratio">Per query count: mean and std over runs of the hypervolume ratio.</param>
    /// <param name="ToTarget">Per target: mean and median queries to reach it (a run that never did counts as its budget) and runs that reached it.</param>
    public sealed record Row(
        string Dataset, string Objectives, string? Constraint, string Strategy, int Runs, int Budget,
        IReadOnlyDictionary<int, (double Mean, double Std)> Ratio,
        IReadOnlyDictionary<double, (double Mean, double Median, int Reached)> ToTarget,
        double MeanSeconds);

    public IReadOnlyList<Row> Rows { get; }

    /// <summary>Summarises the multi-objective runs among <paramref name="runs"/>; single-objective runs are left out.</summary>
    public MultiObjectiveSummary(IEnumerable<RunRecord> runs)
    {
        Rows = runs.Where(r => r.Objectives != null && r.Hypervolume != null)
            .GroupBy(r => (r.Dataset, Objectives: r.Objectives!, r.Constraint, r.Strategy))
            .OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Objectives, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Constraint != null).ThenBy(g => g.Key.Constraint, StringComparer.Ordinal)
            .ThenBy(g => StrategyOrder(g.Key.Strategy))
            .Select(g => Summarise(g.Key.Dataset, g.Key.Objectives, g.Key.Constraint, g.Key.Strategy, g.ToList()))
            .ToList();
    }

    internal static int StrategyOrder(string s)
    {
        int i = MultiObjectiveStrategyFactory.Names.ToList().IndexOf(s);
        return i < 0 ? int.MaxValue : i;
    }

    /// <summary>The query counts reported: the fixed checkpoints within the budget, and the budget.</summary>
    public static int[] CheckpointsFor(int budget) => Checkpoints.Where(q => q < budget).Append(budget).ToArray();

    /// <summary>The hypervolume ratio of a run after <paramref name="queries"/> queries (a run that ended early keeps its last value).</summary>
    public static double RatioAt(RunRecord run, int queries)
    {
        var trace = run.Hypervolume!;
        return trace.Length == 0 ? 0 : trace[Math.Min(queries, trace.Length) - 1];
    }

    /// <summary>The first query at which the run's ratio reached <paramref name="target"/>, or null.</summary>
    public static int? QueriesTo(RunRecord run, double target)
    {
        int at = Array.FindIndex(run.Hypervolume!, v => v >= target);
        return at < 0 ? null : at + 1;
    }

    private static Row Summarise(string dataset, string objectives, string? constraint, string strategy, List<RunRecord> runs)
    {
        int budget = runs.Max(r => r.Budget);
        var ratio = new Dictionary<int, (double, double)>();
        foreach (int q in CheckpointsFor(budget))
        {
            var values = runs.Select(r => RatioAt(r, q)).ToList();
            ratio[q] = (Statistics.Mean(values), Statistics.StandardDeviation(values));
        }
        var toTarget = new Dictionary<double, (double, double, int)>();
        foreach (double t in Targets)
        {
            var reached = runs.Select(r => QueriesTo(r, t)).ToList();
            var counted = reached.Select((q, i) => (double)(q ?? runs[i].Budget)).ToList();
            toTarget[t] = (Statistics.Mean(counted), Statistics.Median(counted), reached.Count(q => q != null));
        }
        return new Row(dataset, objectives, constraint, strategy, runs.Count, budget, ratio, toTarget, runs.Average(r => r.Seconds));
    }

    private static string F(double v, string format) => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        foreach (var cell in Rows.GroupBy(r => (r.Dataset, r.Objectives, r.Constraint)))
        {
            var rows = cell.ToList();
            sb.AppendLine(CultureInfo.InvariantCulture, $"### {cell.Key.Dataset}: {cell.Key.Objectives}{(cell.Key.Constraint == null ? "" : ", under " + cell.Key.Constraint)}");
            sb.AppendLine();
            var checkpoints = rows.SelectMany(r => r.Ratio.Keys).Distinct().Order().ToArray();
            sb.AppendLine("Hypervolume of the found front (evaluated architectures, by their mean search metric and costs) over the true front's, after N queries (mean ± std over runs):");
            sb.AppendLine();
            sb.AppendLine("| strategy | runs | " + string.Join(" | ", checkpoints.Select(q => $"N = {q}")) + " | seconds per run |");
            sb.AppendLine("| --- | ---: |" + string.Concat(checkpoints.Select(_ => " ---: |")) + " ---: |");
            foreach (var r in rows)
            {
                var cells = checkpoints.Select(q => r.Ratio.TryGetValue(q, out var v) ? $"{F(v.Mean, "F3")} ± {F(v.Std, "F3")}" : "–");
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Strategy} | {r.Runs} | {string.Join(" | ", cells)} | {F(r.MeanSeconds, "F1")} |");
            }
            sb.AppendLine();
            sb.AppendLine("Queries to reach 90 / 95 / 99 % of the true hypervolume: mean (a run that did not reach it counts as its budget), median, and runs that reached it:");
            sb.AppendLine();
            sb.AppendLine("| strategy | " + string.Join(" | ", Targets.Select(t => $"{t * 100:F0} %")) + " |");
            sb.AppendLine("| --- |" + string.Concat(Targets.Select(_ => " --- |")));
            foreach (var r in rows)
            {
                var cells = Targets.Select(t => $"{F(r.ToTarget[t].Mean, "F1")}, median {F(r.ToTarget[t].Median, "F1")} ({r.ToTarget[t].Reached}/{r.Runs})");
                sb.AppendLine($"| {r.Strategy} | {string.Join(" | ", cells)} |");
            }
            sb.AppendLine();
        }
        return sb.ToString();
    }

    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append("dataset,objectives,constraint,strategy,runs,budget,mean_seconds");
        foreach (int q in Checkpoints) sb.Append(CultureInfo.InvariantCulture, $",hv_ratio_at_{q}_mean,hv_ratio_at_{q}_std");
        sb.Append(",hv_ratio_at_budget_mean,hv_ratio_at_budget_std");
        foreach (double t in Targets)
        {
            string p = (t * 100).ToString("F0", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $",queries_to_{p}_mean,queries_to_{p}_median,queries_to_{p}_reached");
        }
        sb.AppendLine();
        foreach (var r in Rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Dataset},{BenchSummary.Quote(r.Objectives)},{BenchSummary.Quote(r.Constraint)},{r.Strategy},{r.Runs},{r.Budget},{BenchSummary.N(r.MeanSeconds)}");
            foreach (int q in Checkpoints.Append(r.Budget))
                sb.Append(r.Ratio.TryGetValue(q, out var v) && q <= r.Budget ? $",{BenchSummary.N(v.Mean)},{BenchSummary.N(v.Std)}" : ",,");
            foreach (double t in Targets)
            {
                var v = r.ToTarget[t];
                sb.Append(CultureInfo.InvariantCulture, $",{BenchSummary.N(v.Mean)},{BenchSummary.N(v.Median)},{v.Reached}");
            }
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
