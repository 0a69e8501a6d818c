namespace WeakNas.Strategies;

/// <summary>One predictor iteration of WeakNAS: what it was fitted on and how it sampled.</summary>
/// <param name="Iteration">0-based predictor iteration.</param>
/// <param name="TrainingSamples">Architectures the predictor was fitted on.</param>
/// <param name="TopN">Size of the predicted top set sampled from.</param>
/// <param name="UnevaluatedInTop">How many of the top set were not yet evaluated.</param>
/// <param name="Seconds">Time to fit and rank the space.</param>
/// <param name="Epochs">Training epochs the MLP ran, when the predictor is an MLP.</param>
public sealed record WeakNasIteration(int Iteration, int TrainingSamples, int TopN, int UnevaluatedInTop, double Seconds, int? Epochs);
