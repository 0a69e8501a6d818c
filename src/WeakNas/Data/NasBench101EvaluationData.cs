namespace WeakNas.Data;

/// <summary>
/// One evaluation of a trained NAS-Bench-101 model (the <c>EvaluationData</c> message of the benchmark's
/// <c>model_metrics.proto</c>). Accuracies are fractions; times are seconds.
/// </summary>
public sealed record NasBench101EvaluationData
{
    /// <summary>Field 1: the epoch the evaluation was made at.</summary>
    public double CurrentEpoch { get; init; }

    /// <summary>Field 2: training time so far.</summary>
    public double TrainingTime { get; init; }

    /// <summary>Field 3.</summary>
    public double TrainAccuracy { get; init; }

    /// <summary>Field 4.</summary>
    public double ValidationAccuracy { get; init; }

    /// <summary>Field 5.</summary>
    public double TestAccuracy { get; init; }

    /// <summary>Field 6: where the checkpoint was saved.</summary>
    public string CheckpointPath { get; init; } = "";
}
