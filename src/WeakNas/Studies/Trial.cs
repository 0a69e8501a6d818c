namespace WeakNas.Studies;

/// <summary>Where a trial is in its life. Complete and failed are final: a finished trial never changes again.</summary>
public enum TrialState
{
    /// <summary>Proposed by the strategy (or re-queued after its worker vanished), not yet claimed.</summary>
    Waiting,

    /// <summary>Claimed by a worker that is evaluating it and sending heartbeats.</summary>
    Running,

    /// <summary>Evaluated; <see cref="Trial.Value"/> holds the search metric.</summary>
    Complete,

    /// <summary>Given up on; <see cref="Trial.Error"/> says why.</summary>
    Failed,
}

/// <summary>
/// One architecture of a study and what happened to it. Trials are numbered in the order the strategy proposed
/// them; each architecture appears at most once in a study. Times are Unix milliseconds.
/// </summary>
/// <param name="Number">0-based proposal order.</param>
/// <param name="Batch">The strategy proposal this trial came from; a batch strategy proposes again only when every trial of the previous batch has finished.</param>
/// <param name="ArchIndex">Index of the architecture where the study's space is listed (NAS-Bench-201, a pool); null in an open space.</param>
/// <param name="Arch">The architecture as the space formats it: what identifies it in the study.</param>
/// <param name="Value">The search metric, once complete.</param>
/// <param name="Metrics">Every metric the evaluator reported, as a JSON object, once complete.</param>
/// <param name="Worker">The worker that holds (or last held) the trial.</param>
/// <param name="Attempts">How many times the trial has been claimed.</param>
/// <param name="Error">Why the trial failed, or why its last attempt was abandoned.</param>
public sealed record Trial(
    int Number, int Batch, int? ArchIndex, string Arch, TrialState State, double? Value, string? Metrics, string? Worker,
    long? HeartbeatMs, int Attempts, string? Error, long CreatedMs, long? StartedMs, long? FinishedMs)
{
    public bool IsFinished => State is TrialState.Complete or TrialState.Failed;

    public static string StateName(TrialState state) => state switch
    {
        TrialState.Waiting => "waiting",
        TrialState.Running => "running",
        TrialState.Complete => "complete",
        _ => "failed",
    };

    public static TrialState ParseState(string text) => text switch
    {
        "waiting" => TrialState.Waiting,
        "running" => TrialState.Running,
        "complete" => TrialState.Complete,
        "failed" => TrialState.Failed,
        _ => throw new FormatException($"unknown trial state '{text}'"),
    };
}
