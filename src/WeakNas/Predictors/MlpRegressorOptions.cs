namespace WeakNas.Predictors;

/// <summary>
/// Settings of <see cref="MlpRegressor"/>. Defaults follow scikit-learn's MLPRegressor (Adam solver)
/// with the WeakNAS paper's 4×1000 hidden layers and at most 100 epochs.
/// </summary>
public sealed record MlpRegressorOptions : IRegressorOptions
{
    public IReadOnlyList<int> HiddenLayers { get; init; } = [1000, 1000, 1000, 1000];
    public int MaxEpochs { get; init; } = 100;
    public float LearningRate { get; init; } = 1e-3f;
    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.999f;
    public float Epsilon { get; init; } = 1e-8f;
    /// <summary>L2 penalty (scikit-learn's alpha), divided by the batch size as scikit-learn does.</summary>
    public float L2 { get; init; } = 1e-4f;
    /// <summary>Minibatch size is min(this, number of samples).</summary>
    public int MaxBatchSize { get; init; } = 200;
    /// <summary>An epoch improves when its training loss falls below the best so far minus this.</summary>
    public double Tolerance { get; init; } = 1e-4;
    /// <summary>Training stops after more than this many consecutive epochs without improvement.</summary>
    public int NoImprovementEpochs { get; init; } = 10;

    /// <summary>Training loss: squared error / 2 (scikit-learn) or absolute error (BANANAS's MAE).</summary>
    public RegressionLoss Loss { get; init; } = RegressionLoss.Squared;

    public void Validate()
    {
        if (HiddenLayers.Count == 0 || HiddenLayers.Any(h => h <= 0))
            throw new ArgumentException($"hidden layers must be positive sizes, got [{string.Join(",", HiddenLayers)}]");
        if (MaxEpochs <= 0) throw new ArgumentException($"epochs must be positive, got {MaxEpochs}");
        if (MaxBatchSize <= 0) throw new ArgumentException($"batch size must be positive, got {MaxBatchSize}");
        if (!(LearningRate > 0)) throw new ArgumentException($"learning rate must be positive, got {LearningRate}");
        if (L2 < 0) throw new ArgumentException($"L2 penalty must be non-negative, got {L2}");
    }

    public IRegressor Create() => new MlpRegressor(this);
}
