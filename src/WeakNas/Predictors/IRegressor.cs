using WeakNas.Numerics;

namespace WeakNas.Predictors;

/// <summary>A learning algorithm: fits a model to row-major features and labels.</summary>
public interface IRegressor
{
    /// <summary>
    /// Fits a model. <paramref name="features"/> is rows × <paramref name="featureCount"/>, row-major;
    /// <paramref name="labels"/> has one value per row. The regressor's randomness comes only from <paramref name="rng"/>.
    /// </summary>
    IRegressionModel Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels, Rng rng);

    /// <summary>
    /// Fits a model starting from <paramref name="warmStart"/>, a model this regressor fitted before, when it can (an
    /// MLP starts from its weights); a regressor that cannot fits afresh, as <see cref="Fit(ReadOnlySpan{float}, int, ReadOnlySpan{float}, Rng)"/>.
    /// </summary>
    IRegressionModel Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels, Rng rng, IRegressionModel? warmStart) =>
        Fit(features, featureCount, labels, rng);
}

/// <summary>A fitted predictor.</summary>
public interface IRegressionModel
{
    int FeatureCount { get; }

    /// <summary>Writes one prediction per row of <paramref name="features"/> into <paramref name="destination"/>.</summary>
    void Predict(ReadOnlySpan<float> features, Span<float> destination);

    /// <summary>Epochs the fit ran, for progress and diagnostics; null for a regressor that does not train in epochs.</summary>
    int? Epochs => null;
}

/// <summary>The checks every regressor makes of what it is asked to fit.</summary>
internal static class FitInput
{
    /// <summary>The number of rows; an <see cref="ArgumentException"/> when the shapes disagree or there are none.</summary>
    public static int Rows(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        int n = labels.Length;
        if (n == 0) throw new ArgumentException("cannot fit a predictor on zero samples", nameof(labels));
        if (features.Length != n * featureCount)
            throw new ArgumentException($"features has {features.Length} values; expected {n} rows × {featureCount}", nameof(features));
        return n;
    }
}
