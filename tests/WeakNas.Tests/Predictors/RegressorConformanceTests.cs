using WeakNas.Numerics;
using WeakNas.Predictors;

namespace WeakNas.Tests.Predictors;

/// <summary>What every regressor behind <see cref="IRegressor"/> must do, as a theory over all of them.</summary>
public class RegressorConformanceTests
{
    public static TheoryData<string> Regressors() => new("mlp", "mlp-warm");

    private static IRegressor Create(string name) => name switch
    {
        "mlp" or "mlp-warm" => new MlpRegressor(new MlpRegressorOptions { HiddenLayers = [32, 32], MaxEpochs = 200 }),
        _ => throw new ArgumentException(name),
    };

    /// <summary>A smooth function of 6 features in [0, 1], and some rows of it.</summary>
    private static (float[] X, float[] Y) Data(int rows, ulong seed)
    {
        var rng = new Rng(seed);
        var x = new float[rows * 6];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 6; c++) x[r * 6 + c] = (float)rng.NextDouble();
            y[r] = 2 * x[r * 6] - x[r * 6 + 1] + x[r * 6 + 2] * x[r * 6 + 3] + 0.5f;
        }
        return (x, y);
    }

    private static IRegressionModel Fit(string name, IRegressor regressor, float[] x, float[] y, ulong seed)
    {
        var model = regressor.Fit(x, 6, y, new Rng(seed));
        // The warm variant fits once more from the first model, as WeakNAS's --warm-start does.
        return name.EndsWith("-warm", StringComparison.Ordinal) ? regressor.Fit(x, 6, y, new Rng(seed + 1), model) : model;
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Predictions_have_one_value_per_row_and_the_same_seed_gives_the_same_bits(string name)
    {
        var (x, y) = Data(200, 1);
        var a = Fit(name, Create(name), x, y, 7);
        var b = Fit(name, Create(name), x, y, 7);
        var c = Fit(name, Create(name), x, y, 8);
        Assert.Equal(6, a.FeatureCount);
        var (test, _) = Data(50, 2);
        var pa = new float[50];
        var pb = new float[50];
        var pc = new float[50];
        a.Predict(test, pa);
        b.Predict(test, pb);
        c.Predict(test, pc);
        Assert.Equal(pa, pb);
        Assert.NotEqual(pa, pc);
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void It_learns_a_simple_function(string name)
    {
        var (x, y) = Data(400, 3);
        var model = Fit(name, Create(name), x, y, 9);
        var (test, truth) = Data(200, 4);
        var predicted = new float[200];
        model.Predict(test, predicted);
        double mse = 0, variance = 0, mean = truth.Average();
        for (int i = 0; i < 200; i++)
        {
            mse += (predicted[i] - truth[i]) * (predicted[i] - truth[i]);
            variance += (truth[i] - mean) * (truth[i] - mean);
        }
        Assert.True(mse / variance < 0.1, $"{name}: explained only {1 - mse / variance:P1} of the variance");
        Assert.True(RankCorrelation.KendallTau(predicted.Select(v => (double)v).ToArray(), truth.Select(v => (double)v).ToArray()) > 0.8);
    }
}
