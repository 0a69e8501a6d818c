using WeakNas.Numerics;
using WeakNas.Predictors;
using static WeakNas.Tests.Predictors.RegressionProblem;

namespace WeakNas.Tests.Predictors;

public class MlpRegressorTests
{
    [Fact]
    public void Fits_a_smooth_function_of_30_binary_inputs_on_held_out_points()
    {
        var (trainX, trainY) = Sample(1000, new Rng(1));
        var (testX, testY) = Sample(300, new Rng(2));
        var regressor = new MlpRegressor(new MlpRegressorOptions { HiddenLayers = [64, 64], MaxEpochs = 200 });
        var model = regressor.Fit(trainX, 30, trainY, new Rng(3));
        var predicted = new float[testY.Length];
        model.Predict(testX, predicted);

        double r2 = R2(testY, predicted);
        Assert.True(r2 > 0.9, $"held-out R² {r2:F3}");
    }

    [Fact]
    public void Same_seed_gives_identical_predictions_and_another_seed_differs()
    {
        var (x, y) = Sample(100, new Rng(5));
        var options = new MlpRegressorOptions { HiddenLayers = [32, 32], MaxEpochs = 20 };
        float[] Predict(ulong seed)
        {
            var model = new MlpRegressor(options).Fit(x, 30, y, new Rng(seed));
            var p = new float[y.Length];
            model.Predict(x, p);
            return p;
        }
        Assert.Equal(Predict(7), Predict(7));
        Assert.NotEqual(Predict(7), Predict(8));
    }

    [Fact]
    public void Results_do_not_depend_on_how_many_cores_the_kernels_may_use()
    {
        var (x, y) = Sample(450, new Rng(6));
        var options = new MlpRegressorOptions { HiddenLayers = [300, 300], MaxEpochs = 5 };
        float[] Fit()
        {
            var model = new MlpRegressor(options).Fit(x, 30, y, new Rng(2));
            var p = new float[y.Length];
            model.Predict(x, p);
            return p;
        }
        var all = Fit();
        float[] one;
        using (Parallelism.Limit(1)) one = Fit();
        Assert.Equal(all, one);
    }

    [Fact]
    public void Warm_start_continues_from_the_given_model()
    {
        var (x, y) = Sample(300, new Rng(13));
        var options = new MlpRegressorOptions { HiddenLayers = [64, 64], MaxEpochs = 20 };
        var first = new MlpRegressor(options).Fit(x, 30, y, new Rng(1));
        var fresh = new MlpRegressor(options with { MaxEpochs = 1 }).Fit(x, 30, y, new Rng(2));
        var warm = new MlpRegressor(options with { MaxEpochs = 1 }).Fit(x, 30, y, new Rng(2), first);
        Assert.True(warm.Report.LossCurve[0] < 0.5 * fresh.Report.LossCurve[0],
            $"warm first-epoch loss {warm.Report.LossCurve[0]:F4} vs fresh {fresh.Report.LossCurve[0]:F4}");
        var other = new MlpRegressor(new MlpRegressorOptions { HiddenLayers = [32] });
        Assert.Throws<ArgumentException>(() => other.Fit(x, 30, y, new Rng(2), first));
    }

    [Fact]
    public void Stops_when_the_loss_stops_improving_and_respects_the_epoch_limit()
    {
        var (x, y) = Sample(50, new Rng(9));
        var limited = new MlpRegressor(new MlpRegressorOptions { HiddenLayers = [16], MaxEpochs = 7 }).Fit(x, 30, y, new Rng(1));
        Assert.Equal(7, limited.Report.Epochs);
        Assert.False(limited.Report.StoppedEarly);

        // A tolerance no epoch can beat: the 12th epoch is the 11th without improvement.
        var stalled = new MlpRegressor(new MlpRegressorOptions { HiddenLayers = [16], MaxEpochs = 100, Tolerance = 1e9 }).Fit(x, 30, y, new Rng(1));
        Assert.True(stalled.Report.StoppedEarly);
        Assert.Equal(12, stalled.Report.Epochs);
    }

    [Fact]
    public void Training_loss_decreases()
    {
        var (x, y) = Sample(300, new Rng(11));
        var model = new MlpRegressor(new MlpRegressorOptions { HiddenLayers = [64, 64], MaxEpochs = 30 }).Fit(x, 30, y, new Rng(1));
        var curve = model.Report.LossCurve;
        Assert.True(curve[^1] < 0.5 * curve[0], $"loss went from {curve[0]:F4} to {curve[^1]:F4}");
    }

    [Fact]
    public void Constant_labels_predict_that_constant()
    {
        var (x, _) = Sample(20, new Rng(12));
        var y = Enumerable.Repeat(91.5f, 20).ToArray();
        var model = new MlpRegressor(new MlpRegressorOptions { HiddenLayers = [8], MaxEpochs = 400, Tolerance = 0 }).Fit(x, 30, y, new Rng(1));
        var p = new float[20];
        model.Predict(x, p);
        Assert.All(p, v => Assert.InRange(v, 91.0f, 92.0f));
    }

    [Fact]
    public void Rejects_bad_shapes()
    {
        var regressor = new MlpRegressor(new MlpRegressorOptions { HiddenLayers = [8] });
        Assert.Throws<ArgumentException>(() => regressor.Fit(new float[10], 3, new float[3], new Rng(1)));
        Assert.Throws<ArgumentException>(() => regressor.Fit([], 3, [], new Rng(1)));
        Assert.Throws<ArgumentException>(() => new MlpRegressor(new MlpRegressorOptions { HiddenLayers = [0] }).Fit(new float[3], 3, new float[1], new Rng(1)));
    }
}
