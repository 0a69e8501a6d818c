using WeakNas.Predictors;

namespace WeakNas.Strategies;

/// <summary>Acquisition functions for ensemble-predictor strategies.</summary>
public enum Acquisition
{
    /// <summary>Independent Thompson sampling: one draw from N(mean, std²) per candidate.</summary>
    ThompsonIndependent,
    /// <summary>Upper confidence bound: mean + 0.5·std.</summary>
    UpperConfidenceBound,
    /// <summary>Expected improvement over the best evaluated so far.</summary>
    ExpectedImprovement,
    /// <summary>The ensemble mean alone.</summary>
    Mean,
}

/// <summary>
/// Settings of <see cref="Bananas{TArch}"/>; defaults are the BANANAS paper's (White et al., AAAI 2021):
/// 10 random architectures, then 10 per iteration chosen by independent Thompson sampling from 100 candidates
/// made by mutating the best architecture (1 to 3 edits), predicted by an ensemble of 5 MLPs of 10 layers of
/// width 20, trained 150 epochs with Adam (lr 0.01, batch 32) on mean absolute error.
/// </summary>
public sealed record BananasOptions
{
    public int InitialSamples { get; init; } = 10;
    public int SamplesPerIteration { get; init; } = 10;
    public int EnsembleSize { get; init; } = 5;
    public int Candidates { get; init; } = 100;
    public int MutateTop { get; init; } = 1;
    public int MaxMutationEdits { get; init; } = 3;
    public Acquisition Acquisition { get; init; } = Acquisition.ThompsonIndependent;

    public MlpRegressorOptions Predictor { get; init; } = new()
    {
        HiddenLayers = Enumerable.Repeat(20, 10).ToArray(),
        MaxEpochs = 150,
        LearningRate = 0.01f,
        MaxBatchSize = 32,
        L2 = 0,
        Loss = RegressionLoss.Absolute,
        NoImprovementEpochs = int.MaxValue,
    };

    public void Validate()
    {
        if (InitialSamples <= 0 || SamplesPerIteration <= 0 || EnsembleSize <= 0 || Candidates <= 0 || MutateTop <= 0 || MaxMutationEdits <= 0)
            throw new InvalidInputException("BANANAS settings must all be positive");
        if (Candidates < SamplesPerIteration)
            throw new InvalidInputException($"BANANAS candidates ({Candidates}) must be at least the samples per iteration ({SamplesPerIteration})");
        Predictor.Validate();
    }
}
