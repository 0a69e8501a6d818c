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

/// <summary>The targets' names on the command line and in a stored study: <c>value</c> and <c>rank</c>.</summary>
public static class WeakNasTargetNames
{
    public static string Name(WeakNasTargets targets) => targets == WeakNasTargets.Rank ? "rank" : "value";

    /// <summary>The targets a name stands for; null for a name that is neither.</summary>
    public static WeakNasTargets? Parse(string name) => name switch
    {
        "value" => WeakNasTargets.Value,
        "rank" => WeakNasTargets.Rank,
        _ => null,
    };
}
