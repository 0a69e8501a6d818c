using WeakNas.MultiObjective;
using WeakNas.Numerics;
using WeakNas.Tests.Hardware;

namespace WeakNas.Tests.MultiObjective;

public class MultiObjectiveProblemTests
{
    // Accuracy 10, 50, 90, 70 and latency 1, 2, 5, 5: normalised (accuracy from 90 down to 10, latency from 1 up to 5)
    // the points are (1, 0), (0.5, 0.25), (0, 1), (0.25, 1); the last is dominated by the third.
    private static readonly double[] Accuracy = [10, 50, 90, 70];
    private static readonly double[] Latency = [1, 2, 5, 5];

    private static MultiObjectiveProblem Small(Func<int, bool>? admissible = null) =>
        new(4, i => Accuracy[i], [("latency:toy", Latency)], admissible);

    [Fact]
    public void Normalises_to_the_box_of_the_space_and_puts_the_reference_just_beyond_its_nadir()
    {
        var problem = Small();
        Assert.Equal([1.0, 0.0], problem.Point(0, 10));
        Assert.Equal([0.5, 0.25], problem.Point(1, 50));
        Assert.Equal([0.0, 1.0], problem.Point(2, 90));
        Assert.Equal([1.1, 1.1], problem.Reference);
        Assert.Equal((10.0, 90.0), problem.Range(0));
        Assert.Equal((1.0, 5.0), problem.Range(1));
    }

    [Fact]
    public void True_front_and_its_hypervolume_by_hand()
    {
        var problem = Small();
        Assert.Equal([0, 1, 2], problem.TrueFront);
        // Sweep by normalised accuracy, each point adding the slab below the previous one: (0,1) adds 1.1 x (1.1 - 1),
        // (0.5,0.25) adds (1.1 - 0.5) x (1 - 0.25), (1,0) adds (1.1 - 1) x (0.25 - 0).
        double expected = 1.1 * 0.1 + 0.6 * 0.75 + 0.1 * 0.25;
        Assert.Equal(expected, problem.TrueHypervolume, 12);
        Assert.Equal(1, problem.HypervolumeRatio([3, 2, 1, 0]), 12);
        Assert.Equal(1.1 * 0.1 / expected, problem.HypervolumeRatio([2, 3]), 12);
        Assert.Equal([2], problem.FrontOf([3, 2, 2]));
    }

    [Fact]
    public void A_constraint_restricts_the_box_and_the_true_front_to_admissible_architectures()
    {
        var problem = Small(i => i != 2);
        Assert.Equal([0, 1, 3], problem.Admissible);
        Assert.Equal((10.0, 70.0), problem.Range(0));
        // Architecture 3 is now the most accurate admissible one, so it is on the front.
        Assert.Equal([0, 1, 3], problem.TrueFront);
    }

    [Fact]
    public void The_trace_is_the_ratio_of_every_prefix()
    {
        var rng = new Rng(11);
        const int Count = 300;
        var accuracy = Enumerable.Range(0, Count).Select(_ => 50 + 40 * rng.NextDouble()).ToArray();
        var latency = Enumerable.Range(0, Count).Select(_ => rng.NextInt(30) * 0.5).ToArray();
        var parameters = Enumerable.Range(0, Count).Select(_ => rng.NextDouble()).ToArray();
        var problem = new MultiObjectiveProblem(Count, i => accuracy[i], [("latency:toy", latency), ("params", parameters)]);
        var order = Enumerable.Range(0, Count).ToArray();
        rng.Shuffle(order.AsSpan());
        var evaluated = order.Take(120).Concat(order.Take(5)).ToArray();
        var trace = problem.HypervolumeTrace(evaluated);
        for (int q = 1; q <= evaluated.Length; q++) Assert.Equal(problem.HypervolumeRatio(evaluated.Take(q)), trace[q - 1], 12);
        Assert.True(trace.Zip(trace.Skip(1)).All(p => p.Second >= p.First));
        Assert.Equal(1, problem.HypervolumeTrace(order)[^1], 12);
    }

    [Fact]
    public void The_true_front_of_nas_bench_201_on_the_pixel3_dominates_every_other_cell_and_holds_the_optimum()
    {
        var problem = ObjectiveSet.Parse("accuracy,latency:pixel3").Resolve(HardwareData.Cifar10.SearchAccuracy, HardwareData.Metrics);
        var front = problem.TrueFront;
        Assert.Contains(HardwareData.Cifar10.OptimumIndex, front);
        var points = front.Select(i => problem.Point(i, problem.Accuracy(i))).ToArray();
        var onFront = front.ToHashSet();
        for (int i = 0; i < problem.Count; i++)
        {
            var p = problem.Point(i, problem.Accuracy(i));
            if (onFront.Contains(i)) Assert.DoesNotContain(points, f => Pareto.Dominates(f, p));
            else Assert.Contains(points, f => Pareto.Dominates(f, p) || f.AsSpan().SequenceEqual(p));
        }
        // The fastest cell (no path from input to output, so chance accuracy) is on the front too.
        var latency = HardwareData.LatencyOf("pixel3");
        Assert.Contains(Array.IndexOf(latency, latency.Min()), front);
    }

    [Theory]
    [InlineData("accuracy,macs", "--objectives 'accuracy,macs': unknown metric 'macs'; expected accuracy, params, flops or latency:DEVICE")]
    [InlineData("latency:pixel3", "accuracy must be one of the objectives")]
    [InlineData("accuracy", "needs a cost to trade accuracy against")]
    [InlineData("accuracy,params,params", "params given twice")]
    [InlineData("accuracy,accuracy,params", "accuracy given twice")]
    [InlineData("accuracy,,params", "an empty name")]
    [InlineData("accuracy,latency:", "no device after 'latency:'")]
    public void Parse_errors_name_the_problem(string text, string expected)
    {
        var e = Assert.Throws<InvalidInputException>(() => ObjectiveSet.Parse(text));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Parse_puts_accuracy_first_and_keeps_the_costs_in_order()
    {
        var set = ObjectiveSet.Parse(" params , accuracy,latency:pixel3");
        Assert.Equal("accuracy,params,latency:pixel3", set.Label);
        Assert.True(set.HasLatency);
        Assert.False(ObjectiveSet.Parse("accuracy,params").HasLatency);
    }
}
