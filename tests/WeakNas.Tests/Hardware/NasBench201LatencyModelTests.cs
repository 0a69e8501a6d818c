using WeakNas.Hardware;
using WeakNas.Numerics;
using WeakNas.Spaces.NasBench201;

namespace WeakNas.Tests.Hardware;

public class NasBench201LatencyModelTests
{
    private static readonly NasBench201Space Space = NasBench201Space.Instance;

    /// <summary>A synthetic device whose latency is exactly a constant plus a cost per (edge, op).</summary>
    private static (double Constant, double[,] Cost, double[] Latency) AdditiveDevice(ulong seed, bool sameCostOnEveryEdge = false)
    {
        var rng = new Rng(seed);
        double constant = 1 + 5 * rng.NextDouble();
        var cost = new double[NasBench201Cell.EdgeCount, NasBench201Cell.OpCount];
        for (int e = 0; e < NasBench201Cell.EdgeCount; e++)
            for (int op = 1; op < NasBench201Cell.OpCount; op++)
                cost[e, op] = sameCostOnEveryEdge && e > 0 ? cost[0, op] : 3 * rng.NextDouble() - 0.5;
        var latency = new double[Space.Count];
        for (int i = 0; i < Space.Count; i++)
        {
            latency[i] = constant;
            for (int e = 0; e < NasBench201Cell.EdgeCount; e++) latency[i] += cost[e, (int)Space[i][e]];
        }
        return (constant, cost, latency);
    }

    [Fact]
    public void Recovers_an_exactly_additive_latency_from_a_few_measured_cells()
    {
        var (constant, cost, latency) = AdditiveDevice(7);
        var measured = new Rng(3).Choose(Enumerable.Range(0, Space.Count).ToArray(), 40);
        var model = NasBench201LatencyModel.Fit(measured.Select(i => Space[i]), measured.Select(i => latency[i]));

        Assert.True(model.Identified);
        Assert.Equal(40, model.Samples);
        Assert.Equal(constant, model.Constant, 1e-9);
        for (int e = 0; e < NasBench201Cell.EdgeCount; e++)
        {
            Assert.Equal(0, model.Cost(e, NasBench201Op.None));
            for (int op = 1; op < NasBench201Cell.OpCount; op++) Assert.Equal(cost[e, op], model.Cost(e, (NasBench201Op)op), 1e-9);
        }
        var predicted = new double[Space.Count];
        model.PredictAll(predicted);
        for (int i = 0; i < Space.Count; i++) Assert.Equal(latency[i], predicted[i], 1e-9);
    }

    [Fact]
    public void Refitting_after_each_measurement_ends_where_one_fit_on_all_of_them_does()
    {
        var (_, _, latency) = AdditiveDevice(11);
        var builder = new NasBench201LatencyModel.Builder();
        var measured = new Rng(5).Choose(Enumerable.Range(0, Space.Count).ToArray(), 60);
        NasBench201LatencyModel? last = null;
        foreach (int i in measured)
        {
            builder.Add(Space[i], latency[i] + 0.01 * (i % 7));
            last = builder.Fit();
            Assert.True(double.IsFinite(last.Predict(Space[0])));
        }
        var once = NasBench201LatencyModel.Fit(measured.Select(i => Space[i]), measured.Select(i => latency[i] + 0.01 * (i % 7)));
        for (int i = 0; i < Space.Count; i += 97) Assert.Equal(once.Predict(Space[i]), last!.Predict(Space[i]), 1e-9);
    }

    [Fact]
    public void An_op_never_measured_on_an_edge_costs_what_it_costs_on_average_elsewhere()
    {
        // Costs that do not depend on the edge (as on the FPGA and Eyeriss columns): then that guess is right.
        var (_, cost, latency) = AdditiveDevice(13, sameCostOnEveryEdge: true);
        // No measured cell has a 3x3 convolution on edge 2→3, so that term is never seen and the design is singular.
        var measured = new Rng(8).Choose(Enumerable.Range(0, Space.Count).Where(i => Space[i][5] != NasBench201Op.Conv3x3).ToArray(), 80);
        var model = NasBench201LatencyModel.Fit(measured.Select(i => Space[i]), measured.Select(i => latency[i]));
        Assert.False(model.Identified);
        Assert.Equal(cost[5, 3], model.Cost(5, NasBench201Op.Conv3x3), 1e-4);
        for (int i = 0; i < Space.Count; i += 31) Assert.Equal(latency[i], model.Predict(Space[i]), 1e-3);
    }

    [Fact]
    public void Fewer_measurements_than_terms_still_give_a_model_through_the_measured_cells()
    {
        var (_, _, latency) = AdditiveDevice(17);
        var measured = new Rng(9).Choose(Enumerable.Range(0, Space.Count).ToArray(), 12);
        var model = NasBench201LatencyModel.Fit(measured.Select(i => Space[i]), measured.Select(i => latency[i]));
        Assert.False(model.Identified);
        Assert.All(measured, i => Assert.Equal(latency[i], model.Predict(Space[i]), 1e-3));
        Assert.All(Enumerable.Range(0, Space.Count), i => Assert.True(double.IsFinite(model.Predict(Space[i]))));
    }

    [Fact]
    public void Residual_standard_error_is_zero_for_exact_data_and_the_noise_level_for_noisy_data()
    {
        var (_, _, latency) = AdditiveDevice(19);
        var measured = new Rng(4).Choose(Enumerable.Range(0, Space.Count).ToArray(), 400);
        Assert.True(NasBench201LatencyModel.Fit(measured.Select(i => Space[i]), measured.Select(i => latency[i])).ResidualStandardError < 1e-12);
        var noise = new Rng(6);
        var noisy = measured.Select(i => latency[i] + 0.5 * noise.NextGaussian()).ToArray();
        double sigma = NasBench201LatencyModel.Fit(measured.Select(i => Space[i]), noisy).ResidualStandardError;
        Assert.InRange(sigma, 0.45, 0.55);
    }

    [Fact]
    public void Needs_a_measurement()
    {
        Assert.Throws<InvalidOperationException>(() => new NasBench201LatencyModel.Builder().Fit());
        Assert.Throws<ArgumentOutOfRangeException>(() => new NasBench201LatencyModel.Builder().Add(Space[0], double.NaN));
    }

    [Theory]
    [InlineData("fpga")]
    [InlineData("eyeriss")]
    public void The_fpga_and_eyeriss_columns_are_exactly_additive(string device)
    {
        // HW-NAS-Bench estimates these two from per-layer costs, so 100 measured cells give every cell's latency.
        var fit = LatencyModelFidelity.Measure(HardwareData.LatencyOf(device), 100, 0);
        Assert.True(fit.Model.Identified);
        Assert.True(fit.Rmse < 1e-6, $"RMSE {fit.Rmse}");
        Assert.Equal(1, fit.Spearman, 9);
        Assert.Equal(1, fit.KendallTau, 9);
    }

    [Fact]
    public void On_the_phone_the_additive_model_ranks_well_but_worse_than_on_a_batch_1_gpu()
    {
        // Measured with 100 cells (seed 0): pixel3 rho 0.92, 1080ti_1 rho 0.99 (docs/hardware-aware.md).
        var pixel3 = LatencyModelFidelity.Measure(HardwareData.LatencyOf("pixel3"), 100, 0);
        var gpu = LatencyModelFidelity.Measure(HardwareData.LatencyOf("1080ti_1"), 100, 0);
        Assert.InRange(pixel3.Spearman, 0.88, 0.97);
        Assert.InRange(gpu.Spearman, 0.97, 1.0);
        Assert.True(pixel3.KendallTau < gpu.KendallTau, $"pixel3 tau {pixel3.KendallTau:F3}, 1080ti_1 tau {gpu.KendallTau:F3}");
        // Cells with no path from input to output run in almost no time on the phone (the runtime drops the dead graph);
        // an additive model predicts them at several ms, so the mean relative error is dominated by them.
        Assert.True(pixel3.MeanRelativeError > 1, $"pixel3 mean relative error {pixel3.MeanRelativeError:F2}");
        Assert.True(pixel3.MedianRelativeError < 0.2, $"pixel3 median relative error {pixel3.MedianRelativeError:F3}");
        Assert.True(gpu.MeanRelativeError < 0.05, $"1080ti_1 mean relative error {gpu.MeanRelativeError:F3}");
    }
}
