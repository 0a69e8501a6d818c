using WeakNas.Numerics;
using WeakNas.Predictors;

namespace WeakNas.Strategies;

/// <summary>Fits an ensemble of predictors and scores candidates with an acquisition function.</summary>
internal static class EnsemblePrediction
{
    /// <summary>
    /// Fits <paramref name="members"/> models on (features, labels), each with its own random stream, and
    /// predicts the <paramref name="candidates"/> rows: returns per-candidate mean and standard deviation.
    /// </summary>
    public static (double[] Mean, double[] Std) Predict(
        IRegressor regressor, int members, float[] trainFeatures, int featureCount, float[] labels,
        ReadOnlySpan<float> candidates, ulong seed, ulong stream) =>
        Moments(Fit(regressor, members, trainFeatures, featureCount, labels, seed, stream), candidates, featureCount);

    /// <summary>Fits <paramref name="members"/> models, member m on the stream <paramref name="stream"/> + m.</summary>
    public static IRegressionModel[] Fit(IRegressor regressor, int members, float[] trainFeatures, int featureCount, float[] labels, ulong seed, ulong stream)
    {
        var models = new IRegressionModel[members];
        for (int m = 0; m < members; m++) models[m] = regressor.Fit(trainFeatures, featureCount, labels, Rng.Derive(seed, stream + (ulong)m));
        return models;
    }

    /// <summary>Per-row mean and standard deviation of the members' predictions.</summary>
    public static (double[] Mean, double[] Std) Moments(IReadOnlyList<IRegressionModel> models, ReadOnlySpan<float> candidates, int featureCount)
    {
        int rows = candidates.Length / featureCount;
        var sum = new double[rows];
        var sumSquares = new double[rows];
        var buffer = new float[rows];
        foreach (var model in models)
        {
            model.Predict(candidates, buffer);
            for (int i = 0; i < rows; i++)
            {
                sum[i] += buffer[i];
                sumSquares[i] += (double)buffer[i] * buffer[i];
            }
        }
        var mean = new double[rows];
        var std = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            mean[i] = sum[i] / models.Count;
            std[i] = Math.Sqrt(Math.Max(0, sumSquares[i] / models.Count - mean[i] * mean[i]));
        }
        return (mean, std);
    }

    /// <summary>The members' mean prediction per row, as a float (for ranking candidates).</summary>
    public static void Mean(IReadOnlyList<IRegressionModel> models, ReadOnlySpan<float> rows, Span<float> destination)
    {
        var (mean, _) = Moments(models, rows, models[0].FeatureCount);
        for (int i = 0; i < destination.Length; i++) destination[i] = (float)mean[i];
    }

    /// <summary>Acquisition score per candidate; higher is better.</summary>
    public static double[] Score(Acquisition acquisition, double[] mean, double[] std, double best, Rng rng, double eiCalibration = 1)
    {
        var score = new double[mean.Length];
        for (int i = 0; i < mean.Length; i++)
        {
            score[i] = acquisition switch
            {
                Acquisition.ThompsonIndependent => mean[i] + std[i] * rng.NextGaussian(),
                Acquisition.UpperConfidenceBound => mean[i] + 0.5 * std[i],
                Acquisition.ExpectedImprovement => Normal.ExpectedImprovement(mean[i], std[i] / eiCalibration, best),
                _ => mean[i],
            };
        }
        return score;
    }

    /// <summary>Indices of the <paramref name="count"/> highest scores, best first (ties by position).</summary>
    public static int[] Top(double[] score, int count)
    {
        var order = Enumerable.Range(0, score.Length).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int c = score[b].CompareTo(score[a]);
            return c != 0 ? c : a.CompareTo(b);
        });
        return order[..Math.Min(count, order.Length)];
    }
}
