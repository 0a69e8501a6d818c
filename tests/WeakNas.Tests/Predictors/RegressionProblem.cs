using WeakNas.Numerics;

namespace WeakNas.Tests.Predictors;

/// <summary>
/// A smooth function of 30 binary inputs with pairwise interactions, like accuracy over one-hot cells: the regression
/// problem the predictor tests share. scikit-learn's MLPRegressor (64, 64) reaches held-out R² 0.93 to 0.95 on it with
/// 1,000 samples.
/// </summary>
internal static class RegressionProblem
{
    public const int Features = 30;

    public static float Target(ReadOnlySpan<float> x)
    {
        double y = 0;
        for (int i = 0; i < 30; i++) y += Math.Sin(i + 1) * x[i];
        for (int i = 0; i < 29; i += 3) y += 0.5 * x[i] * x[i + 1] - 0.3 * x[i + 1] * x[i + 2];
        return (float)(5 * Math.Tanh(y / 3));
    }

    public static (float[] X, float[] Y) Sample(int rows, Rng rng)
    {
        var x = new float[rows * 30];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 30; c++) x[r * 30 + c] = rng.NextInt(2);
            y[r] = Target(x.AsSpan(r * 30, 30));
        }
        return (x, y);
    }

    /// <summary>The model's prediction for every row of <paramref name="x"/>.</summary>
    public static float[] Predict(WeakNas.Predictors.IRegressionModel model, float[] x)
    {
        var p = new float[x.Length / model.FeatureCount];
        model.Predict(x, p);
        return p;
    }

    /// <summary>Coefficient of determination of <paramref name="predicted"/> against <paramref name="actual"/>.</summary>
    public static double R2(IReadOnlyList<float> actual, IReadOnlyList<float> predicted)
    {
        double mean = actual.Average(v => (double)v);
        double residual = 0, total = 0;
        for (int i = 0; i < actual.Count; i++)
        {
            residual += Math.Pow(actual[i] - predicted[i], 2);
            total += Math.Pow(actual[i] - mean, 2);
        }
        return 1 - residual / total;
    }
}
