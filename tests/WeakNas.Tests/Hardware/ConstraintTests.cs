using WeakNas.Hardware;

namespace WeakNas.Tests.Hardware;

public class ConstraintTests
{
    [Theory]
    [InlineData("latency:pixel3<=12.5", "latency:pixel3", false, 12.5, null)]
    [InlineData("params<0.8", "params", true, 0.8, null)]
    [InlineData(" latency:fpga <= p25 ", "latency:fpga", false, null, 25.0)]
    [InlineData("latency:1080ti_1<P50", "latency:1080ti_1", true, null, 50.0)]
    [InlineData("params<=1e-1", "params", false, 0.1, null)]
    public void Parses_metric_operator_and_bound(string text, string metric, bool strict, double? value, double? percentile)
    {
        var c = Constraint.Parse(text);
        Assert.Equal(metric, c.Metric);
        Assert.Equal(strict, c.Strict);
        Assert.Equal(value, c.Value);
        Assert.Equal(percentile, c.Percentile);
        Assert.Equal(c, Constraint.Parse(c.Text));
    }

    [Fact]
    public void Latency_constraints_name_their_device_and_labels_join_with_and()
    {
        var set = ConstraintSet.Parse(["latency:pixel3<=p25", "params<=0.8"])!;
        Assert.Equal("pixel3", set.Items[0].Device);
        Assert.Null(set.Items[1].Device);
        Assert.True(set.HasLatency);
        Assert.Equal("latency:pixel3<=p25 & params<=0.8", set.Label);
        Assert.Null(ConstraintSet.Parse([]));
    }

    [Theory]
    [InlineData("pixel3<=12", "unknown metric 'pixel3'; expected params, flops or latency:DEVICE")]
    [InlineData("macs<=300", "unknown metric 'macs'")]
    [InlineData("params=0.8", "expected METRIC<=BOUND, METRIC<BOUND")]
    [InlineData("params<>0.8", "expected METRIC<=BOUND, METRIC<BOUND")]
    [InlineData("params>=0.8<=1", "expected METRIC<=BOUND, METRIC<BOUND")]
    [InlineData("params", "expected METRIC<=BOUND, METRIC<BOUND")]
    [InlineData("params<=", "expected METRIC<=BOUND, METRIC<BOUND")]
    [InlineData("params<=1<=2", "expected METRIC<=BOUND, METRIC<BOUND")]
    [InlineData("latency:<=3", "no device after 'latency:'")]
    [InlineData("params<=abc", "bound 'abc' is not a positive number or a percentile")]
    [InlineData("params<=-1", "bound '-1' is not a positive number")]
    [InlineData("params<=NaN", "bound 'NaN' is not a positive number")]
    [InlineData("latency:pixel3<=p150", "percentile 'p150' must be p0 to p100")]
    [InlineData("latency:pixel3<=pfast", "percentile 'pfast' must be p0 to p100")]
    public void Syntax_errors_name_the_constraint_and_the_problem_on_one_line(string text, string expected)
    {
        var e = Assert.Throws<InvalidInputException>(() => Constraint.Parse(text));
        Assert.StartsWith($"--constraint '{text}': ", e.Message);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("flops>=550", ">=", 550.0, true, false)]
    [InlineData("flops > 550", ">", 550.0, false, false)]
    [InlineData("flops<=600", "<=", 600.0, true, true)]
    public void Lower_and_upper_bounds_admit_what_they_say(string text, string op, double bound, bool admitsBound, bool admitsBelow)
    {
        var c = Constraint.Parse(text);
        Assert.Equal(op, c.Operator);
        Assert.Equal(Constraint.Flops, c.Metric);
        Assert.Equal(op[0] == '>', c.Lower);
        Assert.Equal("flops" + op + bound.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Text);
        Assert.Equal(admitsBound, c.Admits(bound, bound));
        Assert.Equal(admitsBelow, c.Admits(bound - 1, bound));
        Assert.Equal(!admitsBelow, c.Admits(bound + 1, bound));
    }

    [Fact]
    public void Unknown_device_lists_every_device_of_the_table()
    {
        var e = Assert.Throws<InvalidInputException>(() => HardwareData.Resolve("latency:pixel4<=12"));
        Assert.StartsWith("unknown device 'pixel4'; devices in NAS-Bench-201 cifar10: 1080ti_1, 1080ti_256,", e.Message);
        foreach (string device in new[] { "pixel3", "raspi4", "fpga", "eyeriss", "titan_rtx_32", "silver_4210r" }) Assert.Contains(device, e.Message);
        // 27 columns: 5 GPUs at batch 1, 32 and 256, 4 server CPUs, 5 phones, raspi4, fpga, eyeriss.
        Assert.Equal(27, HardwareData.Latency.Count);
    }

    [Fact]
    public void Latency_without_a_latency_table_is_refused_with_the_metrics_there_are()
    {
        var metrics = NasBench201Hardware.Metrics(HardwareData.Cifar10, null);
        var e = Assert.Throws<InvalidInputException>(() => ConstraintSet.Parse(["latency:pixel3<=10"])!.Resolve(metrics));
        Assert.Contains("no latency is known for NAS-Bench-201 cifar10", e.Message);
        Assert.Contains("metrics: params", e.Message);
    }

    [Fact]
    public void Numeric_bounds_select_exactly_the_cells_that_meet_every_constraint()
    {
        var feasible = HardwareData.Resolve("latency:pixel3<=12.5", "params<0.8");
        var pixel3 = HardwareData.LatencyOf("pixel3");
        int expected = 0;
        for (int i = 0; i < pixel3.Length; i++)
        {
            bool ok = pixel3[i] <= 12.5 && HardwareData.Cifar10.Parameters(i) < 0.8;
            Assert.Equal(ok, feasible.Contains(i));
            if (ok) expected++;
        }
        Assert.Equal(expected, feasible.Count);
        Assert.InRange(feasible.Count, 1000, 15000);
        Assert.Equal([12.5, 0.8], feasible.Bounds);
    }

    [Fact]
    public void Percentile_bounds_are_quantiles_of_the_device_over_all_cells()
    {
        var pixel3 = HardwareData.LatencyOf("pixel3");
        var sorted = pixel3.Order().ToArray();
        foreach (var (q, share) in new[] { (25, 0.25), (50, 0.5), (75, 0.75) })
        {
            var feasible = HardwareData.Resolve($"latency:pixel3<=p{q}");
            Assert.Equal(WeakNas.Numerics.Statistics.Quantile(sorted, q / 100.0), feasible.Bounds[0], 12);
            Assert.InRange(feasible.Count, share * pixel3.Length - 5, share * pixel3.Length + 5);
        }
        Assert.Equal(pixel3.Length, HardwareData.Resolve("latency:pixel3<=p100").Count);
        Assert.StartsWith("latency:pixel3<=p50 = latency:pixel3<=10.676 ms: 7,81", HardwareData.Resolve("latency:pixel3<=p50").Describe());
    }

    [Fact]
    public void A_bound_nothing_meets_says_what_the_smallest_value_is()
    {
        var e = Assert.Throws<InvalidInputException>(() => HardwareData.Resolve("params<=0.0001"));
        Assert.StartsWith("no architecture of NAS-Bench-201 cifar10 satisfies params<=0.0001: the smallest params is 0.07", e.Message);
        var both = Assert.Throws<InvalidInputException>(() => HardwareData.Resolve("latency:fpga<=p0", "latency:pixel3<=p0"));
        Assert.Equal("no architecture of NAS-Bench-201 cifar10 satisfies all of latency:fpga<=p0 & latency:pixel3<=p0 together", both.Message);
    }

    [Fact]
    public void Constrained_optimum_is_the_best_search_metric_among_feasible_cells()
    {
        var benchmark = HardwareData.Cifar10;
        var feasible = HardwareData.Resolve("latency:fpga<=p25");
        int optimum = feasible.Optimum(benchmark.SearchAccuracy);
        Assert.True(feasible.Contains(optimum));
        for (int i = 0; i < benchmark.Space.Count; i++)
            if (feasible.Contains(i)) Assert.True(benchmark.SearchAccuracy(i) <= benchmark.SearchAccuracy(optimum));
        // The global optimum (index 6111) is slow on the FPGA, so the constrained optimum is another cell.
        Assert.False(feasible.Contains(benchmark.OptimumIndex));
        Assert.NotEqual(benchmark.OptimumIndex, optimum);
    }
}
