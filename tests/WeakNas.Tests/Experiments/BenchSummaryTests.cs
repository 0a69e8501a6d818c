using WeakNas.Experiments;

namespace WeakNas.Tests.Experiments;

public class BenchSummaryTests
{
    private static RunRecord Run(string strategy, ulong seed, int? found, double[] search, double[] test) => new()
    {
        Space = "nb201", Dataset = "cifar10", Strategy = strategy, Seed = seed, Budget = search.Length, StopAtOptimum = false,
        FoundOptimumAt = found, Seconds = 1, Search = search, Test = test,
    };

    [Fact]
    public void Summarises_queries_to_optimum_and_accuracy_at_checkpoints()
    {
        var flat = Enumerable.Repeat(50.0, 60).ToArray();
        var up = Enumerable.Range(0, 60).Select(i => 50.0 + i).ToArray();
        var runs = new[]
        {
            Run("weaknas", 0, 10, up, up),
            Run("weaknas", 1, 30, up, up),
            Run("weaknas", 2, null, flat, flat),
            Run("random", 0, null, flat, flat),
        };
        var summary = new BenchSummary(runs);
        var weak = summary.Rows.Single(r => r.Strategy == "weaknas");
        Assert.Equal(3, weak.Runs);
        Assert.Equal(2, weak.Reached);
        // The run that never reached the optimum counts as its budget, 60: values 10, 30, 60.
        Assert.Equal(100 / 3.0, weak.MeanQueries, 9);
        Assert.Equal(Math.Sqrt((Math.Pow(10 - 100 / 3.0, 2) + Math.Pow(30 - 100 / 3.0, 2) + Math.Pow(60 - 100 / 3.0, 2)) / 2), weak.StdQueries, 9);
        Assert.Equal(30, weak.MedianQueries);
        // After 50 queries: two runs at 99, one at 50.
        Assert.Equal((99 + 99 + 50) / 3.0, weak.Test[50].Mean, 9);
        Assert.False(weak.Test.ContainsKey(100));

        string markdown = summary.ToMarkdown();
        Assert.Contains("| weaknas | 3 | 2 | 33.3 |", markdown);
        Assert.Contains("(+32.67)", markdown);
        string csv = summary.ToCsv();
        Assert.StartsWith("dataset,strategy,runs,reached", csv);
        Assert.Equal(3, csv.Trim().Split('\n').Length);
    }
}
