using ScottPlot;
using WeakNas.Cli.Bench;
using WeakNas.Experiments;

namespace WeakNas.Tests.Cli;

public class BenchPlotsTests
{
    private static RunRecord Run(ulong seed, double[] test) => new()
    {
        Space = "nb201", Dataset = "cifar10", Strategy = "random", Seed = seed, Budget = test.Length,
        StopAtOptimum = false, FoundOptimumAt = null, Seconds = 0, Search = test, Test = test,
    };

    [Fact]
    public void Accuracy_axis_follows_the_bands_after_query_20_and_never_passes_100()
    {
        // Two runs that disagree wildly on the first queries (a band reaching past 100 %) and settle near 93-94 %.
        double[] Curve(double early, double late) => Enumerable.Range(1, 50).Select(q => q < 20 ? early : late).ToArray();
        var runs = new[] { Run(1, Curve(99.9, 93.0)), Run(2, Curve(60.0, 94.0)) };
        var groups = runs.GroupBy(r => r.Strategy).ToList();

        var (lowest, highest) = BenchPlots.AddMeanBands(new Plot(), groups, (r, q) => r.Test[q - 1]);

        double sd = Math.Sqrt(0.5); // sample std of {93, 94}
        Assert.Equal(93.5 - sd, lowest, 12);
        Assert.Equal(93.5 + sd, highest, 12);
        var (bottom, top) = BenchPlots.AccuracyLimits(lowest, highest)!.Value;
        Assert.Equal(lowest - 0.03 * 2 * sd, bottom, 12);
        Assert.Equal(highest + 0.03 * 2 * sd, top, 12);

        Assert.Equal(100, BenchPlots.AccuracyLimits(99.0, 99.99)!.Value.Top);
        Assert.Null(BenchPlots.AccuracyLimits(double.PositiveInfinity, double.NegativeInfinity));
    }

    [Fact]
    public void Runs_that_miss_the_optimum_are_plotted_at_their_budget()
    {
        var runs = new[]
        {
            Run(1, new double[300]) with { FoundOptimumAt = 120 },
            Run(2, new double[300]),
            Run(3, new double[300]) with { FoundOptimumAt = 40 },
            Run(4, new double[250]),
        };
        var (reached, missed) = BenchPlots.QueriesToOptimum(runs);
        Assert.Equal([40.0, 120.0], reached);
        Assert.Equal([250.0, 300.0], missed);

        // A strategy that never reaches it still draws its crosses.
        using var dir = new TemporaryFolder();
        var paths = BenchPlots.Write(runs.Select(r => r with { FoundOptimumAt = null }).ToList(), dir.Path);
        Assert.Contains(paths, p => p.EndsWith("queries-to-optimum-cifar10.png", StringComparison.Ordinal) && new FileInfo(p).Length > 0);
    }
}
