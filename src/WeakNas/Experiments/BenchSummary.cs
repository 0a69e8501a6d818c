using System.Globalization;
using System.Text;
using WeakNas.Numerics;

namespace WeakNas.Experiments;

/// <summary>Per dataset and strategy: queries to the optimum and test accuracy at fixed budgets, over runs.</summary>
public sealed class BenchSummary
{
    public static readonly int[] Checkpoints = [50, 100, 150, 200, 500, 1000];

    public sealed record Row(
        string Dataset, string Strategy, int Runs, int Reached, int Budget,
        double MeanQueries, double StdQueries, double MedianQueries, double CiLow, double CiHigh,
        IReadOnlyDictionary<int, (double Mean, double Std)> Test,
        IReadOnlyDictionary<int, (double Mean, double Std)> OptimisticTest,
        double MeanSeconds);

    public IReadOnlyList<Row> Rows { get; }

    public BenchSummary(IEnumerable<RunRecord> runs)
    {
        Rows = runs.GroupBy(r => (r.Dataset, r.Strategy))
            .OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => StrategyOrder(g.Key.Strategy))
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
            var a = runs.Select(r => r.TestAccuracyAt(q, false)).ToList();
            var b = runs.Select(r => r.TestAccuracyAt(q, true)).ToList();
            test[q] = (Statistics.Mean(a), Statistics.StandardDeviation(a));
            optimistic[q] = (Statistics.Mean(b), Statistics.StandardDeviation(b));
        }
        return new Row(dataset, strategy, runs.Count, reached, budget,
            Statistics.Mean(found), Statistics.StandardDeviation(found), Statistics.Median(found), ci.Low, ci.High,
            test, optimistic, runs.Average(r => r.Seconds));
    }

    private static string F(double v, string format = "F1") => double.IsNaN(v) ? "–" : v.ToString(format, CultureInfo.InvariantCulture);

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        foreach (var group in Rows.GroupBy(r => r.Dataset))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"### {group.Key}");
            sb.AppendLine();
            sb.AppendLine("Queries to reach the global optimum (best mean validation accuracy); a run that did not reach it within its budget counts as the budget:");
            sb.AppendLine();
            sb.AppendLine("| strategy | runs | reached | mean | std | median | 95% bootstrap CI of mean | seconds per run |");
            sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
            foreach (var r in group)
                sb.AppendLine(CultureInfo.InvariantCulture, $"| {r.Strategy} | {r.Runs} | {r.Reached} | {F(r.MeanQueries)} | {F(r.StdQueries)} | {F(r.MedianQueries)} | {(double.IsNaN(r.CiLow) ? "–" : $"{F(r.CiLow)}–{F(r.CiHigh)}")} | {F(r.MeanSeconds)} |");
            sb.AppendLine();
            AppendAccuracy(sb, group.ToList(), optimistic: false,
                "Test accuracy of the best-validation architecture after N queries (mean ± std; BANANAS/NASLib definition), and change against random search in points:");
            AppendAccuracy(sb, group.ToList(), optimistic: true,
                "Highest test accuracy among the architectures queried after N queries (mean ± std; the WeakNAS notebook's optimistic definition):");
        }
        return sb.ToString();
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
                if (random != null && r != random && baseline!.TryGetValue(q, out var b))
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
            sb.AppendLine();
        }
        return sb.ToString();

        static string N(double v) => double.IsNaN(v) ? "" : v.ToString("G6", CultureInfo.InvariantCulture);
    }
}
