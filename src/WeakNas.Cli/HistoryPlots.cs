using System.Globalization;
using ScottPlot;
using WeakNas.Cli.Bench;
using WeakNas.Experiments;
using WeakNas.Spaces;
using WeakNas.Studies;

namespace WeakNas.Cli;

/// <summary>
/// PNG plots of one search or study (`search --plot`, `study plot`): every evaluated architecture's value against its
/// query (or trial) number with the best so far, failures marked; the found front of a multi-objective search; and,
/// for several studies, their best so far against trials and against wall-clock seconds, grouped by strategy.
/// </summary>
internal static class HistoryPlots
{
    private const int Width = 1000, Height = 620;

    /// <summary>One run's history: (number, value) of every evaluated architecture, and the numbers of failed evaluations.</summary>
    internal sealed record History(string Title, string ValueLabel, string NumberLabel, IReadOnlyList<(int Number, double Value)> Values, IReadOnlyList<int> Failed)
    {
        /// <summary>The running maximum at each value's number (the values in number order).</summary>
        public (double[] Numbers, double[] Best) BestSoFar()
        {
            var ordered = Values.OrderBy(v => v.Number).ToList();
            var best = new double[ordered.Count];
            double running = double.NegativeInfinity;
            for (int i = 0; i < ordered.Count; i++) best[i] = running = Math.Max(running, ordered[i].Value);
            return (ordered.Select(v => (double)v.Number).ToArray(), best);
        }
    }

    /// <summary>A table search's history: the search metric of every query (1-based).</summary>
    public static History Of(SearchResult result) => new(
        string.Create(CultureInfo.InvariantCulture, $"{result.Strategy} on {BenchPlots.SpaceTitle(result.Space)} {result.Dataset}, seed {result.Seed}: {result.Queries.Count} queries")
            + (result.FoundOptimumAt is { } at ? $", optimum at query {at}" : ""),
        result.Space == Spaces.MobileNetV3.OfaMobileNetV3Provider.Instance.Name ? "predicted top-1 of the query (%)"
            : SpaceRegistry.Find(result.Space) != null ? "search metric of the query (validation accuracy, %)" : "search metric of the query",
        "query", result.Queries.Select(q => (q.N, q.SearchAccuracy)).ToList(), []);

    /// <summary>
    /// Checks, before a search starts, that `--plot FILE.png` can be written (and, with several objectives, the front's
    /// file beside it).
    /// </summary>
    public static void CheckPlotPath(string? path, bool objectives)
    {
        if (path == null) return;
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new InvalidInputException($"--plot '{path}' must name a .png file");
        OutputFile.CheckWritable(path, "--plot");
        if (objectives) OutputFile.CheckWritable(FrontPath(path), "--plot");
    }

    /// <summary>Where `--plot FILE.png` puts the front of a multi-objective search: FILE-front.png.</summary>
    public static string FrontPath(string path) => path[..^".png".Length] + "-front.png";

    /// <summary>`search --plot FILE.png`: the history, and with several objectives the found front in FILE-front.png.</summary>
    public static void WriteSearch(string? path, SearchResult result)
    {
        if (path == null) return;
        Write(path, Draw(Of(result), result.FoundOptimumAt));
        if (result.Objectives != null) Write(FrontPath(path), DrawFront(result));
    }

    /// <summary>`search --evaluate --plot FILE.png`: the study's history.</summary>
    public static void WriteStudy(string? path, StudySpec spec, IReadOnlyList<Trial> trials)
    {
        if (path != null) Write(path, Draw(Of(spec, trials)));
    }

    private static void Write(string path, byte[] png) => OutputFile.Write(path, "--plot", stream => stream.Write(png));

    /// <summary>A study's history: the metric of every complete trial (by trial number), its failed trials marked.</summary>
    public static History Of(StudySpec spec, IReadOnlyList<Trial> trials) => new(
        string.Create(CultureInfo.InvariantCulture, $"{spec.Name}: {spec.Strategy} on {spec.Space}, seed {spec.Seed}: {trials.Count(t => t.State == TrialState.Complete)} of {spec.Budget} complete"),
        spec.Metric, "trial",
        trials.Where(t => t.State == TrialState.Complete && t.Value != null).Select(t => (t.Number, t.Value!.Value)).ToList(),
        trials.Where(t => t.State == TrialState.Failed).Select(t => t.Number).ToList());

    /// <summary>Draws <paramref name="history"/>; <paramref name="mark"/>: a query to mark with a vertical line (the optimum's).</summary>
    public static byte[] Draw(History history, int? mark = null)
    {
        var plot = new Plot();
        var (numbers, best) = history.BestSoFar();
        // The axis shows the top 95 % of the values (and the best so far once the first tenth is past): a few failed
        // networks at chance level would otherwise squash the region where the search is going on.
        var sorted = history.Values.Select(v => v.Value).Order().ToArray();
        double low = sorted.Length == 0 ? 0 : Math.Min(Numerics.Statistics.Quantile(sorted, 0.05), best[Math.Min(best.Length - 1, best.Length / 10)]);
        double high = sorted.Length == 0 ? 1 : sorted[^1];
        double margin = Margin(low, high);
        int below = sorted.Count(v => v < low - margin);
        var points = plot.Add.Markers(history.Values.Select(v => (double)v.Number).ToArray(), history.Values.Select(v => v.Value).ToArray());
        points.Color = BenchPlots.Palette[0].WithAlpha(0.55);
        points.MarkerSize = 6;
        points.LegendText = $"evaluated ({history.Values.Count}{(below > 0 ? $"; {below} below the axis" : "")})";
        if (numbers.Length > 0)
        {
            var line = plot.Add.Scatter(numbers, best);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.Color = BenchPlots.Palette[1];
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"best so far ({best[^1]:G6})");
        }
        if (history.Failed.Count > 0)
        {
            // Failed evaluations have no value: crosses along the bottom of the plot, at their numbers.
            var crosses = plot.Add.Markers(history.Failed.Select(n => (double)n).ToArray(), history.Failed.Select(_ => low - margin / 2).ToArray());
            crosses.Color = Colors.Red;
            crosses.MarkerShape = MarkerShape.Cross;
            crosses.MarkerSize = 9;
            crosses.MarkerLineWidth = 2;
            crosses.LegendText = $"failed ({history.Failed.Count})";
        }
        if (mark is { } m)
        {
            var vertical = plot.Add.VerticalLine(m);
            vertical.Color = Colors.Black.WithAlpha(0.5);
            vertical.LinePattern = LinePattern.Dashed;
            vertical.LegendText = $"optimum evaluated (query {m})";
        }
        plot.Axes.Bottom.Label.Text = history.NumberLabel;
        plot.Axes.Left.Label.Text = history.ValueLabel;
        plot.Title(history.Title);
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsY(low - margin, high + margin);
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>
    /// A multi-objective search's found front in (first cost, search metric): a staircase with two objectives, points
    /// with more (a projection).
    /// </summary>
    public static byte[] DrawFront(SearchResult result)
    {
        var outcome = result.Objectives ?? throw new ArgumentException("not a multi-objective search", nameof(result));
        var plot = new Plot();
        var front = outcome.Front;
        string cost = outcome.Costs[0];
        var line = plot.Add.Scatter(front.Select(m => m.Costs[0]).ToArray(), front.Select(m => m.Accuracy).ToArray());
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.LineWidth = outcome.Costs.Count == 1 ? 1.5f : 0;
        line.Color = BenchPlots.Palette[1];
        line.MarkerSize = 7;
        line.LegendText = string.Create(CultureInfo.InvariantCulture, $"found front ({front.Count}; hypervolume ratio {outcome.HypervolumeRatio:F4})");
        plot.Axes.Bottom.Label.Text = $"{cost} ({Hardware.ArchitectureMetrics.Unit(cost)})";
        plot.Axes.Left.Label.Text = "search metric (mean validation accuracy, %)";
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"{result.Strategy} on {BenchPlots.SpaceTitle(result.Space)} {result.Dataset}, seed {result.Seed}: {outcome.Objectives} after {result.Queries.Count} queries"));
        plot.Axes.AutoScale();
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>
    /// The best value so far after each of a study's finished trials (x: trial number + 1, failed trials included as
    /// spent), ending at the last finished trial.
    /// </summary>
    internal static (List<(double X, double Best)> Steps, double End) BestByTrials(IReadOnlyList<Trial> trials)
    {
        var steps = new List<(double, double)>();
        double best = double.NegativeInfinity;
        foreach (var t in trials.Where(t => t.IsFinished).OrderBy(t => t.Number))
        {
            if (t.State == TrialState.Complete && t.Value is { } v && v > best) best = v;
            if (!double.IsNegativeInfinity(best)) steps.Add((t.Number + 1, best));
        }
        return (steps, trials.Where(t => t.IsFinished).Select(t => t.Number + 1.0).DefaultIfEmpty().Max());
    }

    /// <summary>
    /// The best value so far against wall-clock seconds since the study's first trial started (at each result's finish),
    /// ending at the last finished trial.
    /// </summary>
    internal static (List<(double X, double Best)> Steps, double End) BestBySeconds(IReadOnlyList<Trial> trials)
    {
        var steps = new List<(double, double)>();
        var started = trials.Where(t => t.StartedMs != null).Select(t => t.StartedMs!.Value).DefaultIfEmpty().Min();
        double best = double.NegativeInfinity;
        foreach (var t in trials.Where(t => t.State == TrialState.Complete && t.Value != null && t.FinishedMs != null).OrderBy(t => t.FinishedMs))
        {
            if (t.Value!.Value <= best) continue;
            best = t.Value.Value;
            steps.Add(((t.FinishedMs!.Value - started) / 1000.0, best));
        }
        return (steps, trials.Where(t => t.IsFinished && t.FinishedMs != null).Select(t => (t.FinishedMs!.Value - started) / 1000.0).DefaultIfEmpty().Max());
    }

    /// <summary>A finished study's curve (every trial of its budget finished) holds its best after its end.</summary>
    internal static (List<(double X, double Best)> Steps, double End) Finished(StudySpec spec, IReadOnlyList<Trial> trials, (List<(double X, double Best)> Steps, double End) curve) =>
        trials.Count(t => t.IsFinished) >= spec.Budget ? (curve.Steps, double.PositiveInfinity) : curve;

    /// <summary>A step curve's value at <paramref name="x"/>: the last step at or before it; NaN before the first and after the curve's end.</summary>
    internal static double At((List<(double X, double Best)> Steps, double End) curve, double x)
    {
        var (steps, end) = curve;
        if (x > end) return double.NaN;
        double value = double.NaN;
        foreach (var (sx, best) in steps)
        {
            if (sx > x) break;
            value = best;
        }
        return value;
    }

    /// <summary>5 % of a value axis's span beyond each end (a sliver when the span is zero).</summary>
    private static double Margin(double low, double high) => 0.05 * Math.Max(high - low, 1e-9 + 0.001 * Math.Abs(high));

    /// <summary>
    /// Several studies' best so far, per strategy the mean ± 1 std over its studies, against trials or against seconds,
    /// drawn where every study of the strategy has a value (from its first result; a finished study keeps its best).
    /// </summary>
    public static byte[] DrawComparison(IReadOnlyList<(StudySpec Spec, IReadOnlyList<Trial> Trials)> studies, bool bySeconds)
    {
        var plot = new Plot();
        var raw = studies.Select(s => (s.Spec, Curve: bySeconds ? BestBySeconds(s.Trials) : BestByTrials(s.Trials), s.Trials)).ToList();
        // The horizon: the last finished trial of any study; a finished study keeps its best after its own end.
        double end = raw.Select(r => r.Curve.End).DefaultIfEmpty().Max();
        var curves = raw.Select(r => (r.Spec.Strategy, Curve: Finished(r.Spec, r.Trials, r.Curve))).ToList();
        int points = bySeconds ? 400 : (int)Math.Max(1, end);
        var xs = Enumerable.Range(1, points).Select(i => bySeconds ? end * i / points : i).ToArray();
        int colour = 0;
        // The first tenth of the horizon, where every curve climbs from its first value, would stretch the axis far below
        // where they are compared: the axis starts at the lowest band edge after it.
        int settled = xs.Length / 10;
        double lowest = double.PositiveInfinity, highest = double.NegativeInfinity;
        foreach (var group in curves.GroupBy(c => c.Strategy).OrderBy(g => BenchPlots.Order(g.Key)).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            // Only where every study of the strategy has a value: a mean over a changing set of studies would jump as one
            // joins or leaves.
            var (x, mean, low, high) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
            for (int i = 0; i < xs.Length; i++)
            {
                var values = group.Select(c => At(c.Curve, xs[i])).ToArray();
                if (values.Any(double.IsNaN)) continue;
                double m = Numerics.Statistics.Mean(values), sd = Numerics.Statistics.StandardDeviation(values);
                x.Add(xs[i]);
                mean.Add(m);
                low.Add(m - sd);
                high.Add(m + sd);
                if (i >= settled) (lowest, highest) = (Math.Min(lowest, m - sd), Math.Max(highest, m + sd));
            }
            var color = BenchPlots.Palette[colour++ % BenchPlots.Palette.Length];
            if (x.Count > 0) BenchPlots.AddBand(plot, [.. x], [.. mean], [.. low], [.. high], color, $"{group.Key} ({group.Count()} {(group.Count() == 1 ? "study" : "studies")})");
        }
        string metric = studies[0].Spec.Metric;
        plot.Axes.Bottom.Label.Text = bySeconds ? "seconds since the study's first trial started" : "trials";
        plot.Axes.Left.Label.Text = $"best {metric} so far";
        plot.Title($"{studies[0].Spec.Space}: best {metric} so far, mean ± 1 std over studies");
        plot.Axes.AutoScale();
        plot.Axes.SetLimitsX(0, Math.Max(end, 1) * 1.02);
        if (double.IsFinite(lowest) && double.IsFinite(highest))
        {
            double margin = Margin(lowest, highest);
            plot.Axes.SetLimitsY(lowest - margin, highest + margin);
        }
        plot.ShowLegend(Alignment.LowerRight);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
