using WeakNas.Numerics;
using WeakNas.Predictors;

namespace WeakNas.Strategies;

/// <summary>The weak predictor's training step, shared by single- and multi-objective WeakNAS.</summary>
internal static class WeakPredictor
{
    /// <summary>The rows of <paramref name="encoded"/> of the told architectures, in the order told.</summary>
    public static float[] Features(float[] encoded, int featureCount, List<int> told)
    {
        var features = new float[told.Count * featureCount];
        for (int i = 0; i < told.Count; i++)
            encoded.AsSpan(told[i] * featureCount, featureCount).CopyTo(features.AsSpan(i * featureCount));
        return features;
    }

    /// <summary>
    /// Fits on <paramref name="labels"/> (one per told architecture) with the random stream derived from the seed and the
    /// number told; with <paramref name="warmStart"/>, from <paramref name="previous"/> (as far as the regressor can start
    /// from a model), updating it.
    /// </summary>
    public static IRegressionModel Fit(IRegressor regressor, float[] features, int featureCount, float[] labels, ulong seed, bool warmStart, ref IRegressionModel? previous)
    {
        var rng = Rng.Derive(seed, 1_000_000UL + (ulong)labels.Length);
        if (warmStart) return previous = regressor.Fit(features, featureCount, labels, rng, previous);
        return regressor.Fit(features, featureCount, labels, rng);
    }
}
