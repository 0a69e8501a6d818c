namespace WeakNas.Experiments;

/// <summary>What a constrained search was constrained by, and what the constraint cost it.</summary>
/// <param name="Label">The name the run is recorded under: the constraints as written, plus the runtime model's settings.</param>
/// <param name="Constraints">The constraints as written, e.g. <c>latency:pixel3&lt;=p25</c>.</param>
/// <param name="Bounds">The bounds as numbers with units, e.g. <c>latency:pixel3&lt;=6.4411 ms</c>.</param>
/// <param name="Mode">"table", or the runtime model's settings.</param>
/// <param name="FeasibleCount">Architectures that meet the constraints.</param>
/// <param name="DeviceQueries">Latency measurements on devices (runtime model: calibration plus evaluated architectures).</param>
/// <param name="InfeasibleEvaluated">Evaluated architectures that turned out not to meet the constraints.</param>
public sealed record ConstraintOutcome(
    string Label, string Constraints, string Bounds, string Mode, int FeasibleCount, int DeviceQueries, int InfeasibleEvaluated);
