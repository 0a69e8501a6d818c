using ScottPlot;
using WeakNas.Experiments;
using WeakNas.MultiObjective;

namespace WeakNas.Cli.Bench;

/// <summary>
/// PNG plots of a multi-objective benchmark: the hypervolume ratio against queries (mean and ±1 std band per strategy), and
/// the true front with one run's found front per strategy after a given number of queries, in (first cost, accuracy) axes.
/// </summary>
internal static class MultiObjectivePlots
{
    /// <summary>
    /// Writes, per (dataset, objectives, constraint) of the runs, a hypervolume plot; and for the cells
    /// <paramref name="problem"/> describes (null: none), a front plot of the lowest seed's runs after <paramref name="frontAt"/>
    /// queries. Returns the files written.
    /// </summary>
    public static List<string> Write(IReadOnlyList<RunRecord> runs, string folder, Func<string, string, string?, MultiObjectiveProblem?> problem, int frontAt)
    {
        var files = new List<string>();
        foreach (var cell in runs.Where(r => r.Hypervolume != null).GroupBy(r => (r.Dataset, Objectives: r.Objectives!, r.Constraint))
                     .OrderBy(g => g.Key.Dataset, StringComparer.Ordinal).ThenBy(g => g.Key.Objectives, StringComparer.Ordinal).ThenBy(g => g.Key.Constraint, StringComparer.Ordinal))
        {
            var strategies = cell.GroupBy(r => r.Strategy).OrderBy(g => MultiObjectiveSummary.StrategyOrder(g.Key)).ToList();
            string name = BenchPlots.Slug(cell.Key.Dataset + "-" + cell.Key.Objectives + (cell.Key.Constraint == null ? "" : "-" + cell.Key.Constraint));
            string title = $"{cell.Key.Dataset}, {cell.Key.Objectives}{(cell.Key.Constraint == null ? "" : ", " + cell.Key.Constraint)}";
            files.Add(HypervolumePlot(name, title, strategies, folder));
            if (problem(cell.Key.Dataset, cell.Key.Objectives, cell.Key.Constraint) is { } p) files.Add(FrontPlot(name, title, strategies, p, frontAt, folder));
        }
        return files;
    }

    private static string HypervolumePlot(string name, string title, List<IGrouping<string, RunRecord>> strategies, string folder)
    {
        var plot = new Plot();
        double lowest = BenchPlots.AddMeanBands(plot, strategies, MultiObjectiveSummary.RatioAt).Lowest;
        plot.Axes.Bottom.Label.Text = "queries";
        plot.Axes.Left.Label.Text = "hypervolume of found front / true front";
        plot.Title($"NAS-Bench-201 {title}: mean ± 1 std over runs");
        plot.Axes.AutoScale();
        if (double.IsFinite(lowest)) plot.Axes.SetLimitsY(Math.Max(0, lowest), 1.002);
        plot.ShowLegend(Alignment.LowerRight);
        string path = Path.Combine(folder, $"hypervolume-{name}.png");
        plot.SavePng(path, 1000, 620);
        return path;
    }

    private static string FrontPlot(string name, string title, List<IGrouping<string, RunRecord>> strategies, MultiObjectiveProblem problem, int frontAt, string folder)
    {
        var plot = new Plot();
        var truth = problem.TrueFront.OrderBy(i => problem.Cost(0, i)).ToArray();
        AddFront(plot, truth, problem, Colors.Black, 7, $"true front ({truth.Length})", MarkerShape.OpenCircle);
        int colour = 0;
        ulong? seed = null;
        foreach (var group in strategies)
        {
            var run = group.OrderBy(r => r.Seed).First();
            seed ??= run.Seed;
            var evaluated = run.Indices!.Take(frontAt).ToArray();
            var found = problem.FrontOf(evaluated).OrderBy(i => problem.Cost(0, i)).ToArray();
            double ratio = MultiObjectiveSummary.RatioAt(run, frontAt);
            var color = BenchPlots.Palette[colour++ % BenchPlots.Palette.Length];
            AddFront(plot, found, problem, color, 6, $"{group.Key}, seed {run.Seed}: {found.Length} on front, HV ratio {ratio:F4}", MarkerShape.FilledCircle);
        }
        plot.Axes.Bottom.Label.Text = $"{problem.Names[1]} ({Hardware.ArchitectureMetrics.Unit(problem.Names[1])})";
        plot.Axes.Left.Label.Text = "search metric (mean validation accuracy, %)";
        plot.Title($"NAS-Bench-201 {title}: fronts after {frontAt} queries");
        plot.Axes.AutoScale();
        // Chance-level cells (about 10 %) sit on the front at near-zero latency; the interesting part is above them.
        double top = problem.Range(0).High;
        var accurate = problem.TrueFront.Select(problem.Accuracy).Where(a => a > (problem.Range(0).Low + top) / 2).DefaultIfEmpty(problem.Range(0).Low).Min();
        plot.Axes.SetLimitsY(accurate - 0.1 * (top - accurate), top + 0.05 * (top - accurate));
        plot.ShowLegend(Alignment.LowerRight);
        string path = Path.Combine(folder, $"front-{name}.png");
        plot.SavePng(path, 1000, 620);
        return path;
    }

    private static void AddFront(Plot plot, int[] front, MultiObjectiveProblem problem, Color color, float size, string label, MarkerShape shape)
    {
        var xs = front.Select(i => problem.Cost(0, i)).ToArray();
        var ys = front.Select(problem.Accuracy).ToArray();
        var line = plot.Add.Scatter(xs, ys);
        line.Color = color;
        // A staircase is the attained boundary only with two objectives; with more, the plot is a projection: points only.
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.LineWidth = problem.Dimensions == 2 ? 1.5f : 0;
        line.MarkerSize = size;
        line.MarkerShape = shape;
        line.LegendText = label;
    }
}
