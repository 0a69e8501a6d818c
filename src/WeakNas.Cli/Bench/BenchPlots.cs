using ScottPlot;
using WeakNas.Spaces;
using WeakNas.Experiments;

namespace WeakNas.Cli.Bench;

/// <summary>PNG plots of a benchmark: accuracy against queries, and the spread of queries to the optimum.</summary>
internal static class BenchPlots
{
    internal static readonly Color[] Palette =
    [
        Colors.C0, Colors.C1, Colors.C2, Colors.C3, Colors.C4, Colors.C5, Colors.C6, Colors.C7, Colors.C8, Colors.C9,
    ];

    /// <summary>
    /// Writes one accuracy plot and one queries-to-optimum plot per dataset and constraint (files named after the
    /// dataset, plus the constraint when there is one); returns the files written.
    /// </summary>
    public static List<string> Write(IReadOnlyList<RunRecord> runs, string folder)
    {
        var files = new List<string>();
        foreach (var cell in runs.GroupBy(r => (r.Dataset, r.Constraint))
                     .OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Constraint, StringComparer.Ordinal))
        {
            var strategies = cell.GroupBy(r => r.Strategy).OrderBy(g => Order(g.Key)).ToList();
            string name = cell.Key.Constraint == null ? cell.Key.Dataset : cell.Key.Dataset + "-" + Slug(cell.Key.Constraint);
            string space = SpaceTitle(cell.First().Space);
            string title = (space == cell.Key.Dataset ? space : space + " " + cell.Key.Dataset) + (cell.Key.Constraint == null ? "" : ", " + cell.Key.Constraint);
            bool ofa = cell.First().Space == Spaces.MobileNetV3.OfaMobileNetV3Provider.Instance.Name;
            string accuracyLabel = ofa ? "predicted top-1 of the best subnet so far (%)" : "test accuracy of best-validation architecture (%)";
            string queriesLabel = ofa
                ? cell.Key.Dataset == Spaces.MobileNetV3.OfaMobileNetV3Provider.PoolDataset ? "queries to reach the pool's optimum" : "queries to match the pool's optimum"
                : cell.Key.Constraint != null ? "queries to reach the constrained optimum" : "queries to reach the global optimum";
            files.Add(AccuracyPlot(name, title, strategies, folder, accuracyLabel));
            files.Add(QueriesPlot(name, title, queriesLabel, strategies, folder));
        }
        return files;
    }

    /// <summary>The benchmark's name for titles: NAS-Bench-201 and -101 by their names, a declared space by its own.</summary>
    internal static string SpaceTitle(string space) => SpaceRegistry.Find(space)?.Title ?? space;

    /// <summary>A file-name form of a constraint label: <c>latency:pixel3&lt;=p25</c> becomes <c>latency-pixel3-le-p25</c>.</summary>
    internal static string Slug(string label)
    {
        var text = label.Replace("<=", "-le-", StringComparison.Ordinal).Replace("<", "-lt-", StringComparison.Ordinal)
            .Replace("&", "-and-", StringComparison.Ordinal);
        var sb = new System.Text.StringBuilder();
        foreach (char c in text) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' ? c : '-');
        var slug = sb.ToString();
        while (slug.Contains("--", StringComparison.Ordinal)) slug = slug.Replace("--", "-", StringComparison.Ordinal);
        return slug.Trim('-');
    }

    internal static int Order(string strategy)
    {
        int i = StrategyFactory.Names.ToList().IndexOf(strategy);
        return i < 0 ? 100 : i;
    }

    private static string AccuracyPlot(string name, string title, List<IGrouping<string, RunRecord>> strategies, string folder, string label)
    {
        var plot = new Plot();
        // Under a model-judged constraint a run may have no feasible query yet: it has no value there (NaN).
        var (lowest, highest) = AddMeanBands(plot, strategies, (r, q) => r.TestAccuracyAt(q, optimistic: false));
        plot.Axes.Bottom.Label.Text = "queries";
        plot.Axes.Left.Label.Text = label;
        plot.Title($"{title}: mean ± 1 std over runs");
        plot.Axes.AutoScale();
        if (AccuracyLimits(lowest, highest) is var (bottom, top)) plot.Axes.SetLimitsY(bottom, top);
        plot.ShowLegend(Alignment.LowerRight);
        string path = Path.Combine(folder, $"accuracy-{name}.png");
        plot.SavePng(path, 1000, 620);
        return path;
    }

    /// <summary>
    /// The y range of an accuracy plot: the bands from query 20 on plus a 3 % margin, never above 100 % (the first
    /// queries' wide bands would otherwise stretch the axis far past it); null when no band has a value there.
    /// </summary>
    internal static (double Bottom, double Top)? AccuracyLimits(double lowest, double highest)
    {
        if (!double.IsFinite(lowest) || !double.IsFinite(highest)) return null;
        double margin = 0.03 * Math.Max(highest - lowest, 0.1);
        return (lowest - margin, Math.Min(100, highest + margin));
    }

    /// <summary>
    /// Per strategy, the mean over runs of <paramref name="valueAt"/> (run, query count) at every query count up to the
    /// budget, with a ±1 std band; NaN values are left out. Returns the lowest band edge at query 20 (where curves become
    /// comparable) and the highest band edge from query 20 on, for the axis.
    /// </summary>
    internal static (double Lowest, double Highest) AddMeanBands(Plot plot, List<IGrouping<string, RunRecord>> strategies, Func<RunRecord, int, double> valueAt)
    {
        int colour = 0;
        double lowest = double.PositiveInfinity, highest = double.NegativeInfinity;
        foreach (var group in strategies)
        {
            int budget = group.Max(r => r.Budget);
            var xs = new double[budget];
            var mean = new double[budget];
            var low = new double[budget];
            var high = new double[budget];
            for (int q = 1; q <= budget; q++)
            {
                var values = group.Select(r => valueAt(r, q)).Where(v => !double.IsNaN(v)).ToArray();
                double m = values.Length > 0 ? values.Average() : double.NaN;
                double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - m) * (v - m)) / (values.Length - 1)) : 0;
                xs[q - 1] = q;
                mean[q - 1] = m;
                low[q - 1] = m - sd;
                high[q - 1] = m + sd;
            }
            lowest = Math.Min(lowest, low[Math.Min(budget - 1, 19)]);
            for (int i = Math.Min(budget - 1, 19); i < budget; i++)
                if (!double.IsNaN(high[i])) highest = Math.Max(highest, high[i]);
            AddBand(plot, xs, mean, low, high, Palette[colour++ % Palette.Length], $"{group.Key} ({group.Count()} runs)");
        }
        return (lowest, highest);
    }

    /// <summary>A mean curve with a shaded band from <paramref name="low"/> to <paramref name="high"/>.</summary>
    internal static void AddBand(Plot plot, double[] xs, double[] mean, double[] low, double[] high, Color color, string label)
    {
        var band = plot.Add.FillY(xs, low, high);
        band.FillStyle.Color = color.WithAlpha(0.15);
        band.LineStyle.Width = 0;
        var line = plot.Add.Scatter(xs, mean);
        line.Color = color;
        line.MarkerSize = 0;
        line.LineWidth = 2;
        line.LegendText = label;
    }

    /// <summary>A strategy's queries to the optimum, sorted: the runs that reached it, and the budgets of those that did not.</summary>
    internal static (double[] Reached, double[] Missed) QueriesToOptimum(IEnumerable<RunRecord> runs)
    {
        var list = runs.ToList();
        return (
            list.Where(r => r.FoundOptimumAt != null).Select(r => (double)r.FoundOptimumAt!.Value).Order().ToArray(),
            list.Where(r => r.FoundOptimumAt == null).Select(r => (double)r.Budget).Order().ToArray());
    }

    private static string QueriesPlot(string name, string title, string label, List<IGrouping<string, RunRecord>> strategies, string folder)
    {
        var plot = new Plot();
        var positions = new List<double>();
        var labels = new List<string>();
        int index = 0;
        bool missedInLegend = false;
        foreach (var group in strategies)
        {
            var (found, missed) = QueriesToOptimum(group);
            double x = index;
            positions.Add(x);
            labels.Add($"{group.Key}\n{found.Length}/{group.Count()} reached");
            var color = Palette[index % Palette.Length];
            if (found.Length > 0)
            {
                var rng = new Numerics.Rng((ulong)index + 1);
                var jitter = found.Select(_ => x + (rng.NextDouble() - 0.5) * 0.3).ToArray();
                var points = plot.Add.Markers(jitter, found);
                points.Color = color.WithAlpha(0.5);
                points.MarkerSize = 5;
                var box = new Box
                {
                    Position = x,
                    BoxMin = Numerics.Statistics.Quantile(found, 0.25),
                    BoxMax = Numerics.Statistics.Quantile(found, 0.75),
                    BoxMiddle = Numerics.Statistics.Quantile(found, 0.5),
                    WhiskerMin = found[0],
                    WhiskerMax = found[^1],
                    Width = 0.5,
                };
                var boxes = plot.Add.Box(box);
                boxes.FillColor = color.WithAlpha(0.2);
            }
            if (missed.Length > 0)
            {
                // Runs that never reached it sit at their budget as crosses, so a strategy that misses is not an empty column.
                var rng = new Numerics.Rng((ulong)index + 1001);
                var crosses = plot.Add.Markers(missed.Select(_ => x + (rng.NextDouble() - 0.5) * 0.3).ToArray(), missed);
                crosses.Color = color;
                crosses.MarkerShape = MarkerShape.Cross;
                crosses.MarkerSize = 9;
                crosses.MarkerLineWidth = 2;
                if (!missedInLegend)
                {
                    crosses.LegendText = "did not reach it (at the budget); boxes: quartiles of the runs that did";
                    missedInLegend = true;
                }
            }
            index++;
        }
        if (missedInLegend) plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions.ToArray(), labels.ToArray());
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        // Queries start at 1: no negative axis; room above the budget for the crosses of the runs that missed.
        double budget = strategies.SelectMany(g => g).Max(r => r.Budget);
        plot.Axes.SetLimits(-0.6, strategies.Count - 0.4, 0, missedInLegend ? Math.Max(limits.Top, budget * 1.05) : limits.Top);
        plot.Axes.Left.Label.Text = label;
        plot.Title($"{title}: queries to the optimum");
        string path = Path.Combine(folder, $"queries-to-optimum-{name}.png");
        plot.SavePng(path, 1000, 620);
        return path;
    }
}
