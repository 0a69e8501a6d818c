namespace WeakNas.Experiments;

/// <summary>
/// One query of a search: its number (1-based), the architecture and what the benchmark returned; under a constraint,
/// whether the architecture meets it (always true without one).
/// </summary>
public sealed record QueryRecord(int N, int Index, string Arch, double SearchAccuracy, double TestAccuracy, bool Feasible = true);
