using WeakNas.Experiments;

namespace WeakNas.Tests.Experiments;

public class ConstrainedRecordTests
{
    private static RunRecord Run(string strategy, ulong seed, string? constraint, int? found, double[] search, double[] test, int[]? infeasible = null) => new()
    {
        Space = "nb201", Dataset = "cifar10", Strategy = strategy, Seed = seed, Budget = search.Length, StopAtOptimum = false,
        FoundOptimumAt = found, Seconds = 1, Search = search, Test = test,
        Constraint = constraint, ConstraintBounds = constraint == null ? null : constraint + " ms", FeasibleCount = constraint == null ? null : 4000,
        DeviceQueries = infeasible == null ? null : 60, Infeasible = constraint == null ? null : infeasible ?? [],
    };

    [Fact]
    public void An_unconstrained_run_is_logged_as_before_and_a_constrained_one_keeps_its_constraint()
    {
        using var dir = new TemporaryFolder();
        var log = new RunLog(Path.Combine(dir.Path, "runs.jsonl"));
        log.Append(Run("random", 1, null, 2, [1, 2], [1, 2]));
        log.Append(Run("random", 1, "latency:pixel3<=p25 via model (margin 0.05, 50 calibration)", null, [1, 2], [1, 2], [2]));
        var lines = File.ReadAllLines(log.Path);
        Assert.DoesNotContain("constraint", lines[0]);
        Assert.DoesNotContain("infeasible", lines[0]);
        Assert.Contains("\"infeasible\":[2]", lines[1]);
        var runs = log.Read();
        Assert.Equal("cifar10/random/1", runs[0].Key);
        Assert.Equal("cifar10/latency:pixel3<=p25 via model (margin 0.05, 50 calibration)/random/1", runs[1].Key);
        Assert.Equal(60, runs[1].DeviceQueries);
        Assert.Equal([2], runs[1].Infeasible!);
    }

    [Fact]
    public void Infeasible_queries_never_count_as_the_best_found()
    {
        // Query 2 has the best validation and test accuracy but breaks the constraint.
        var run = Run("random", 0, "latency:fpga<=p50", null, [80, 95, 85, 84], [81, 99, 83, 90], infeasible: [2]);
        Assert.Equal(81, run.TestAccuracyAt(1, optimistic: false));
        Assert.Equal(81, run.TestAccuracyAt(2, optimistic: false));
        Assert.Equal(83, run.TestAccuracyAt(4, optimistic: false));
        Assert.Equal(90, run.TestAccuracyAt(4, optimistic: true));
        var onlyInfeasible = Run("random", 0, "latency:fpga<=p50", null, [95, 85], [99, 83], infeasible: [1]);
        Assert.True(double.IsNaN(onlyInfeasible.TestAccuracyAt(1, optimistic: false)));
    }

    [Fact]
    public void Summary_groups_by_constraint_with_an_overview_and_keeps_the_unconstrained_layout()
    {
        var up = Enumerable.Range(0, 60).Select(i => 50.0 + i).ToArray();
        var runs = new[]
        {
            Run("weaknas", 0, null, 10, up, up),
            Run("random", 0, null, null, up, up),
            Run("weaknas", 0, "latency:pixel3<=p25", 20, up, up),
            Run("random", 0, "latency:pixel3<=p25", null, up, up),
            Run("weaknas", 0, "latency:pixel3<=p50", 30, up, up, infeasible: [1, 2]),
            Run("weaknas", 1, "latency:pixel3<=p50", 40, up, up, infeasible: []),
        };
        var summary = new BenchSummary(runs);
        Assert.Equal(5, summary.Rows.Count);
        Assert.Equal([null, null, "latency:pixel3<=p25", "latency:pixel3<=p25", "latency:pixel3<=p50"], summary.Rows.Select(r => r.Constraint));
        var p50 = summary.Rows.Last();
        Assert.Equal(35, p50.MeanQueries);
        Assert.Equal(1, p50.MeanInfeasible);
        Assert.Equal(60, p50.MeanDeviceQueries);

        string markdown = summary.ToMarkdown();
        Assert.Contains("### cifar10\n", markdown.Replace("\r", "", StringComparison.Ordinal));
        Assert.Contains("Queries to reach the global optimum", markdown);
        Assert.Contains("### cifar10: queries to the constrained optimum", markdown);
        Assert.Contains("| latency:pixel3<=p25 | latency:pixel3<=p25 ms | 4,000 | 20.0 (1/1) | 60.0 (0/1) |", markdown);
        Assert.Contains("### cifar10, latency:pixel3<=p50", markdown);
        Assert.Contains("Queries to reach the constrained optimum", markdown);
        Assert.Contains("| weaknas | 2 | 2 | 35.0 |", markdown);
        Assert.Contains("| 60.0 | 1.0 |", markdown);

        var csv = summary.ToCsv().Trim().Split('\n');
        Assert.Equal(6, csv.Length);
        Assert.StartsWith("dataset,strategy,runs,reached", csv[0]);
        Assert.EndsWith(",constraint,constraint_bounds,feasible_architectures,mean_device_queries,mean_infeasible_evaluated", csv[0]);
        Assert.EndsWith(",latency:pixel3<=p50,latency:pixel3<=p50 ms,4000,60,1", csv[5]);
    }

    [Fact]
    public void Table_constrained_runs_show_no_device_columns()
    {
        var up = Enumerable.Range(0, 10).Select(i => 50.0 + i).ToArray();
        var table = Run("random", 0, "latency:fpga<=p50", 4, up, up) with { DeviceQueries = 0, Infeasible = [] };
        string markdown = new BenchSummary([table]).ToMarkdown();
        Assert.Contains("### cifar10, latency:fpga<=p50", markdown);
        Assert.DoesNotContain("device queries", markdown);
    }

    [Fact]
    public void Plan_covers_every_constraint_cell_seed_major()
    {
        var plan = BenchJob.Plan(["cifar10"], ["a", null], ["weaknas", "random"], 5, 2);
        Assert.Equal(8, plan.Count);
        Assert.Equal(new BenchJob("cifar10", "weaknas", 5, "a"), plan[0]);
        Assert.Equal(new BenchJob("cifar10", "random", 5, null), plan[3]);
        Assert.Equal(6UL, plan[4].Seed);
        Assert.Equal("cifar10/a/weaknas/5", plan[0].Key);
        Assert.Equal("cifar10/random/5", plan[3].Key);
    }
}
