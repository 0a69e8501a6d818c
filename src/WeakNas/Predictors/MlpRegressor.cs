using System.Numerics.Tensors;
using WeakNas.Numerics;

namespace WeakNas.Predictors;

/// <summary>
/// Multi-layer perceptron regressor trained with Adam on squared error plus an L2 penalty, following
/// scikit-learn's MLPRegressor step for step (minibatches of min(200, n), shuffling every epoch, loss-based
/// stopping), in single precision on the project's own GEMM. Labels are standardised with the mean and
/// standard deviation of the training labels; predictions are mapped back.
/// </summary>
public sealed class MlpRegressor(MlpRegressorOptions? options = null) : IRegressor
{
    public MlpRegressorOptions Options { get; } = options ?? new MlpRegressorOptions();

    IRegressionModel IRegressor.Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels, Rng rng)
        => Fit(features, featureCount, labels, rng);

    /// <summary>Starts from <paramref name="warmStart"/>'s weights when it is an MLP of this regressor's.</summary>
    IRegressionModel IRegressor.Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels, Rng rng, IRegressionModel? warmStart)
        => Fit(features, featureCount, labels, rng, warmStart as MlpModel);

    /// <param name="warmStart">
    /// When given (a model of the same layer sizes), training starts from its weights instead of a fresh
    /// Glorot initialisation, with a fresh optimiser, as scikit-learn's warm_start does.
    /// </param>
    public MlpModel Fit(ReadOnlySpan<float> features, int featureCount, ReadOnlySpan<float> labels, Rng rng, MlpModel? warmStart = null)
    {
        Options.Validate();
        int n = FitInput.Rows(features, featureCount, labels);

        double mean = 0;
        for (int i = 0; i < n; i++) mean += labels[i];
        mean /= n;
        double variance = 0;
        for (int i = 0; i < n; i++) variance += (labels[i] - mean) * (labels[i] - mean);
        double std = Math.Sqrt(variance / n);
        if (!(std > 1e-12)) std = 1;

        var y = new float[n];
        for (int i = 0; i < n; i++) y[i] = (float)((labels[i] - mean) / std);

        int[] sizes = [featureCount, .. Options.HiddenLayers, 1];
        var network = new MlpNetwork(sizes);
        if (warmStart != null)
        {
            if (!warmStart.Network.Sizes.SequenceEqual(sizes))
                throw new ArgumentException($"warm start model has layers [{string.Join(",", warmStart.Network.Sizes)}], expected [{string.Join(",", sizes)}]", nameof(warmStart));
            warmStart.Network.Parameters.CopyTo(network.Parameters, 0);
        }
        else
        {
            network.InitialiseGlorot(rng);
        }
        var trainer = new MlpTrainer(network, Options, Math.Min(Options.MaxBatchSize, n));
        var report = trainer.Train(features.ToArray(), y, rng);
        return new MlpModel(network, (float)mean, (float)std, report);
    }
}
