namespace WeakNas.Predictors;

/// <summary>The per-sample loss a regressor minimises.</summary>
public enum RegressionLoss
{
    /// <summary>(prediction − target)² / 2.</summary>
    Squared,
    /// <summary>|prediction − target|.</summary>
    Absolute,
}
