namespace WeakNas.Strategies;

/// <summary>One predictor iteration of WeakNAS: what it was fitted on and how it sampled.</summary>
/// <param name="Iteration">0-based predictor iteration.</param>
/// <param name="TrainingSamples">Architectures the predictor was fitted on.</param>
/// <param name="TopN">Size of the predicted top set sampled from.</param>
/// <param name="UnevaluatedInTop">How many of the top set were not yet evaluated.</param>
/// <param name="FitSeconds">Time to fit the predictor.</param>
/// <param name="RankSeconds">Time to predict every architecture of the space.</param>
/// <param name="Epochs">Training epochs the MLP ran, when the predictor is an MLP.</param>
public sealed record WeakNasIteration(int Iteration, int TrainingSamples, int TopN, int UnevaluatedInTop, double FitSeconds, double RankSeconds, int? Epochs);
