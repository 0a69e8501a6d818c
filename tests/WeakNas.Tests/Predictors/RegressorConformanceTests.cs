using WeakNas.Numerics;
using WeakNas.Predictors;
using WeakNas.Predictors.Gbdt;
using static WeakNas.Tests.Predictors.RegressionProblem;

namespace WeakNas.Tests.Predictors;

/// <summary>
/// What every weak predictor owes the strategies, whatever its algorithm: it learns, it repeats itself for a seed, it
/// predicts a row the same alone or in a batch, it leaves its inputs alone, it ranks well enough to search with, and it
/// refuses malformed input. One subclass per regressor.
/// </summary>
public abstract class RegressorConformanceTests
{
    /// <summary>The regressor under test, in a size that fits the suite's few hundred samples quickly.</summary>
    protected abstract IRegressor Create();

    /// <summary>Held-out R² the regressor must reach on 1,000 samples of <see cref="RegressionProblem"/>.</summary>
    protected abstract double RequiredR2 { get; }

    /// <summary>Absolute difference (labels span about ±5) allowed between a row's prediction alone and in a batch (0: bit-identical).</summary>
    protected virtual float BatchTolerance => 0;

    [Fact]
    public void Learns_the_problem_on_held_out_points()
    {
        var (trainX, trainY) = Sample(1000, new Rng(1));
        var (testX, testY) = Sample(300, new Rng(2));
        var model = Create().Fit(trainX, Features, trainY, new Rng(3));
        double r2 = R2(testY, Predict(model, testX));
        Assert.True(r2 > RequiredR2, $"held-out R² {r2:F3}, required {RequiredR2}");
    }

    [Fact]
    public void Ranks_held_out_points_well_enough_to_search_with()
    {
        var (trainX, trainY) = Sample(300, new Rng(21));
        var (testX, testY) = Sample(300, new Rng(22));
        var model = Create().Fit(trainX, Features, trainY, new Rng(23));
        double tau = RankCorrelation.KendallTau(testY.Select(v => (double)v).ToArray(), Predict(model, testX).Select(v => (double)v).ToArray());
        Assert.True(tau > 0.5, $"Kendall tau {tau:F3}");
    }

    [Fact]
    public void The_same_seed_gives_identical_predictions()
    {
        var (x, y) = Sample(200, new Rng(5));
        var (testX, _) = Sample(50, new Rng(6));
        Assert.Equal(Predict(Create().Fit(x, Features, y, new Rng(7)), testX), Predict(Create().Fit(x, Features, y, new Rng(7)), testX));
    }

    [Fact]
    public void A_row_predicts_the_same_alone_as_in_a_batch()
    {
        var (x, y) = Sample(200, new Rng(8));
        var (testX, _) = Sample(40, new Rng(9));
        var model = Create().Fit(x, Features, y, new Rng(10));
        var batch = Predict(model, testX);
        for (int r = 0; r < 40; r++)
        {
            var one = new float[1];
            model.Predict(testX.AsSpan(r * Features, Features), one);
            Assert.True(Math.Abs(batch[r] - one[0]) <= BatchTolerance, $"row {r}: {one[0]} alone, {batch[r]} in the batch");
        }
    }

    [Fact]
    public void Fitting_and_predicting_leave_the_inputs_unchanged()
    {
        var (x, y) = Sample(100, new Rng(11));
        var (xCopy, yCopy) = ((float[])x.Clone(), (float[])y.Clone());
        var model = Create().Fit(x, Features, y, new Rng(12));
        Predict(model, x);
        Assert.Equal(xCopy, x);
        Assert.Equal(yCopy, y);
    }

    [Fact]
    public void Constant_labels_predict_that_constant()
    {
        var (x, _) = Sample(30, new Rng(13));
        var y = Enumerable.Repeat(91.5f, 30).ToArray();
        Assert.All(Predict(Create().Fit(x, Features, y, new Rng(1)), x), v => Assert.InRange(v, 91.0f, 92.0f));
    }

    [Fact]
    public void Labels_far_from_zero_are_learnt_as_well_as_near_it()
    {
        // Accuracy in percent sits near 90; the predictor must not need labels centred for it.
        var (x, y) = Sample(300, new Rng(14));
        var (testX, testY) = Sample(100, new Rng(15));
        var shifted = y.Select(v => v + 90f).ToArray();
        double near = R2(testY, Predict(Create().Fit(x, Features, y, new Rng(16)), testX));
        double far = R2(testY.Select(v => v + 90f).ToArray(), Predict(Create().Fit(x, Features, shifted, new Rng(16)), testX));
        Assert.True(far > near - 0.05, $"R² {far:F3} with labels near 90, {near:F3} near 0");
    }

    [Fact]
    public void Rejects_bad_shapes_and_labels()
    {
        var regressor = Create();
        Assert.Throws<ArgumentException>(() => regressor.Fit(new float[10], 3, new float[3], new Rng(1)));
        Assert.Throws<ArgumentException>(() => regressor.Fit([], 3, [], new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => regressor.Fit(new float[3], 0, new float[1], new Rng(1)));
        var model = regressor.Fit(new float[6], 3, new float[2], new Rng(1));
        Assert.Throws<ArgumentException>(() => model.Predict(new float[4], new float[2]));
    }
}

public sealed class MlpConformanceTests : RegressorConformanceTests
{
    protected override IRegressor Create() => new MlpRegressor(new MlpRegressorOptions { HiddenLayers = [64, 64], MaxEpochs = 200 });

    protected override double RequiredR2 => 0.9;

    // The GEMM blocks a batch's rows by its size, so a row's sums may round differently alone: within float precision.
    protected override float BatchTolerance => 1e-5f;
}

public sealed class GbdtConformanceTests : RegressorConformanceTests
{
    protected override IRegressor Create() => new GbdtRegressor(new GbdtRegressorOptions { Trees = 500, MaxDepth = 3, MaxLeaves = 8, LearningRate = 0.1 });

    // Trees fit the interactions of binary inputs less smoothly than an MLP; 0.8 is still a good weak predictor.
    protected override double RequiredR2 => 0.8;
}
