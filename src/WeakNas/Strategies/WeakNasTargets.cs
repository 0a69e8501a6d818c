namespace WeakNas.Strategies;

/// <summary>What WeakNAS's weak predictor learns to predict.</summary>
public enum WeakNasTargets
{
    /// <summary>The search metric of each evaluated architecture (the paper's).</summary>
    Value,
    /// <summary>
    /// Each evaluated architecture's rank among those evaluated, scaled to [0, 1] (ties share their mean rank): only
    /// the order matters, so a few broken architectures far below the rest do not dominate the squared error.
    /// </summary>
    Rank,
}
