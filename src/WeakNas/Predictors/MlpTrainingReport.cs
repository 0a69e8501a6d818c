namespace WeakNas.Predictors;

/// <summary>What happened during a fit: epochs run and the training loss after each.</summary>
public sealed record MlpTrainingReport(int Epochs, IReadOnlyList<double> LossCurve, bool StoppedEarly);
