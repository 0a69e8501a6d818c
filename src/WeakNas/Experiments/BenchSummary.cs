using System.Globalization;
using System.Text;
using WeakNas.Numerics;

namespace WeakNas.Experiments;

/// <summary>
/// Per dataset, constraint (or none) and strategy: queries to the optimum and test accuracy at fixed budgets, over runs.
/// Under a constraint the optimum is the constrained optimum (the best search metric among feasible architectures) and
/// only feasible queries count.
/// </summary>
public sealed class BenchSummary
{
    public static readonly int[] Checkpoints = [50, 100, 150, 200, 500, 1000];

    public sealed record Row(
        string Dataset, string Strategy, int Runs, int Reached, int Budget,
        double MeanQueries, double StdQueries, double MedianQueries, double CiLow, double CiHigh,
        IReadOnlyDictionary<int, (double Mean, double Std)> Test,
        IReadOnlyDictionary<int, (double Mean, double Std)> OptimisticTest,
        double MeanSeconds,
        string? Constraint = null, string? ConstraintBounds = null, int? FeasibleCount = null,
        double MeanDeviceQueries = double.NaN, double MeanInfeasible = double.NaN);

    public IReadOnlyList<Row> Rows { get; }

    public BenchSummary(IEnumerable<RunRecord> runs)
    {
        Rows = runs.GroupBy(r => (r.Dataset, r.Constraint, r.Strategy))
            .OrderBy(g => g.Key.Dataset, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Constraint != null).ThenBy(g => g.Key.Constraint, StringComparer.Ordinal)
            .ThenBy(g => StrategyOrder(g.Key.Strategy))
            .Select(g => Summarise(g.Key.Dataset, g.Key.Strategy, g.OrderBy(r => r.Seed).ToList()))
            .ToList();
    }

    private static int StrategyOrder(string s)
    {
        int i = StrategyFactory.Names.ToList().IndexOf(s);
        return i < 0 ? int.MaxValue : i;
    }

    private static Row Summarise(string dataset, string strategy, List<RunRecord> runs)
    {
        // A run that never reached the optimum counts as its whole budget (a lower bound on what it would need).
        var found = runs.Select(r => (double)(r.FoundOptimumAt ?? r.Budget)).ToList();
        int reached = runs.Count(r => r.FoundOptimumAt != null);
        var ci = Statistics.BootstrapMeanInterval(found);
        int budget = runs.Max(r => r.Budget);
        var test = new Dictionary<int, (double, double)>();
        var optimistic = new Dictionary<int, (double, double)>();
        foreach (int q in Checkpoints.Where(q => q <= budget))
        {
            var a = runs.Select(r => r.TestAccuracyAt(q, false)).Where(v => !double.IsNaN(v)).ToList();
            var b = runs.Select(r => r.TestAccuracyAt(q, true)).Where(v => !double.IsNaN(v)).ToList();
            test[q] = (Statistics.Mean(a), Statistics.StandardDeviation(a));
            optimistic[q] = (Statistics.Mean(b), Statistics.StandardDeviation(b));
        }
        var first = runs[0];
        var device = runs.Where(r => r.DeviceQueries != null).Select(r => (double)r.DeviceQueries!.Value).ToList();
        var infeasible = runs.Where(r => r.Constraint != null).Select(r => (double)(r.Infeasible?.Length ?? 0)).ToList();
        return new Row(dataset, strategy, runs.Count, reached, budget,
            Statistics.Mean(found), Statistics.StandardDeviation(found), Statistics.Median(found), ci.Low, ci.High,
            test, optimistic, runs.Average(r => r.Seconds),
            first.Constraint, first.ConstraintBounds, first.FeasibleCount, Statistics.Mean(device), Statistics.Mean(infeasible));
    }

    private static string F(double v, string format = "F1") => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        foreach (var dataset in Rows.GroupBy(r => r.Dataset))
        {
            var constrained = dataset.Where(r => r.Constraint != null).ToList();
            if (constrained.Count > 0 && constrained.Select(r => r.Constraint).Distinct().Count() > 1) AppendOverview(sb, dataset.Key, constrained);
            foreach (var group in dataset.GroupBy(r => r.Constraint))
            {
                var rows = group.ToList();
                if (group.Key == null)
                {
                    sb.AppendLine(CultureInfo.InvariantCulture, $"### {dataset.Key}");
                    sb.AppendLine();
                    sb.AppendLine("Queries to reach the global optimum (best mean validation accuracy); a run that did not reach it within its budget counts as the budget:");
                }
                else
                {
                    var r0 = rows[0];
                    sb.AppendLine(CultureInfo.InvariantCulture, $"### {dataset.Key}, {group.Key}");
                    sb.AppendLine();
                    sb.AppendLine(CultureInfo.InvariantCulture, $"Constraint {r0.ConstraintBounds}: {r0.FeasibleCount:N0} feasible architectures.");
                    sb.AppendLine();
                    sb.AppendLine("Queries to reach the constrained optimum (best mean validation accuracy among feasible architectures); a run that did not reach it within its budget counts as the budget:");
                }
                sb.AppendLine();
                // Device columns only where feasibility was measured (a runtime model); with the table both are always 0.
                bool device = rows.Any(r => r.MeanDeviceQueries > 0 || r.MeanInfeasible > 0);
                string extraHeader = device ? " device queries | infeasible evaluated |" : "";
                string extraRule = device ? " ---: | ---: |" : "";
                sb.AppendLine("| strategy | runs | reached | mean | std | median | 95% bootstrap CI of mean | seconds per run |" + extraHeader);
                sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |" + extraRule);
                foreach (var r in rows)
                {
                    string extra = device ? $" {F(r.MeanDeviceQueries)} | {F(r.MeanInfeasible)} |" : "";
                    sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Strategy} | {r.Runs} | {r.Reached} | {F(r.MeanQueries)} | {F(r.StdQueries)} | {F(r.MedianQueries)} | {(double.IsNaN(r.CiLow) ? "–" : $"{F(r.CiLow)}–{F(r.CiHigh)}")} | {F(r.MeanSeconds)} |{extra}");
                }
                sb.AppendLine();
                string which = group.Key == null ? "" : " feasible";
                AppendAccuracy(sb, rows, optimistic: false,
                    $"Test accuracy of the best-validation{which} architecture after N queries (mean ± std; BANANAS/NASLib definition), and change against random search in points:");
                AppendAccuracy(sb, rows, optimistic: true,
                    $"Highest test accuracy among the{which} architectures queried after N queries (mean ± std; the WeakNAS notebook's optimistic definition):");
            }
        }
        return sb.ToString();
    }

    /// <summary>One line per constraint: mean queries to the constrained optimum of each strategy, and how many runs reached it.</summary>
    private static void AppendOverview(StringBuilder sb, string dataset, List<Row> rows)
    {
        var strategies = rows.Select(r => r.Strategy).Distinct().OrderBy(StrategyOrder).ToList();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### {dataset}: queries to the constrained optimum");
        sb.AppendLine();
        sb.AppendLine("Mean queries to reach the constrained optimum (runs that did not reach it count as their budget), and runs that reached it:");
        sb.AppendLine();
        sb.AppendLine("| constraint | bound | feasible | " + string.Join(" | ", strategies) + " |");
        sb.AppendLine("| --- | --- | ---: |" + string.Concat(strategies.Select(_ => " ---: |")));
        foreach (var group in rows.GroupBy(r => r.Constraint))
        {
            var r0 = group.First();
            var cells = strategies.Select(s => group.FirstOrDefault(r => r.Strategy == s) is { } r ? $"{F(r.MeanQueries)} ({r.Reached}/{r.Runs})" : "–");
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {r0.ConstraintBounds} | {r0.FeasibleCount:N0} | {string.Join(" | ", cells)} |");
        }
        sb.AppendLine();
    }

    private static void AppendAccuracy(StringBuilder sb, List<Row> rows, bool optimistic, string caption)
    {
        var checkpoints = Checkpoints.Where(q => rows.Any(r => (optimistic ? r.OptimisticTest : r.Test).ContainsKey(q))).ToArray();
        if (checkpoints.Length == 0) return;
        var random = rows.FirstOrDefault(r => r.Strategy == "random");
        sb.AppendLine(caption);
        sb.AppendLine();
        sb.AppendLine("| strategy | " + string.Join(" | ", checkpoints.Select(q => $"N = {q}")) + " |");
        sb.AppendLine("| --- |" + string.Concat(checkpoints.Select(_ => " ---: |")));
        foreach (var r in rows)
        {
            var table = optimistic ? r.OptimisticTest : r.Test;
            var cells = checkpoints.Select(q =>
            {
                if (!table.TryGetValue(q, out var v)) return "–";
                string cell = $"{F(v.Mean, "F2")} ± {F(v.Std, "F2")}";
                var baseline = random == null ? null : (optimistic ? random.OptimisticTest : random.Test);
                if (random != null && r != random && baseline!.TryGetValue(q, out var b) && !double.IsNaN(v.Mean) && !double.IsNaN(b.Mean))
                    cell += string.Create(CultureInfo.InvariantCulture, $" ({v.Mean - b.Mean:+0.00;-0.00;0.00})");
                return cell;
            });
            sb.AppendLine($"| {r.Strategy} | {string.Join(" | ", cells)} |");
        }
        sb.AppendLine();
    }

    public string ToCsv()
    {
        var sb = new StringBuilder();
        sb.Append("dataset,strategy,runs,reached,budget,mean_queries,std_queries,median_queries,ci_low,ci_high,mean_seconds");
        foreach (int q in Checkpoints) sb.Append(CultureInfo.InvariantCulture, $",test_at_{q}_mean,test_at_{q}_std,max_test_at_{q}_mean,max_test_at_{q}_std");
        // Constraint columns come last, so readers of the unconstrained layout keep working.
        sb.Append(",constraint,constraint_bounds,feasible_architectures,mean_device_queries,mean_infeasible_evaluated");
        sb.AppendLine();
        foreach (var r in Rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Dataset},{r.Strategy},{r.Runs},{r.Reached},{r.Budget},{N(r.MeanQueries)},{N(r.StdQueries)},{N(r.MedianQueries)},{N(r.CiLow)},{N(r.CiHigh)},{N(r.MeanSeconds)}");
            foreach (int q in Checkpoints)
            {
                var a = r.Test.TryGetValue(q, out var x) ? x : (double.NaN, double.NaN);
                var b = r.OptimisticTest.TryGetValue(q, out var y) ? y : (double.NaN, double.NaN);
                sb.Append(CultureInfo.InvariantCulture, $",{N(a.Item1)},{N(a.Item2)},{N(b.Item1)},{N(b.Item2)}");
            }
            sb.Append(CultureInfo.InvariantCulture, $",{Quote(r.Constraint)},{Quote(r.ConstraintBounds)},{r.FeasibleCount},{N(r.MeanDeviceQueries)},{N(r.MeanInfeasible)}");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>A CSV number: empty for NaN, else six significant digits.</summary>
    internal static string N(double v) => double.IsNaN(v) ? "" : v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A CSV field: empty for null, quoted when it holds a comma or a quote.</summary>
    internal static string Quote(string? text) =>
        text == null ? "" : text.Contains(',', StringComparison.Ordinal) || text.Contains('"', StringComparison.Ordinal)
            ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
