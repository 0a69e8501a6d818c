namespace WeakNas.Experiments;

/// <summary>The outcome of one search run on a tabular benchmark.</summary>
public sealed record SearchResult
{
    public required string Strategy { get; init; }
    public required string Space { get; init; }
    public required string Dataset { get; init; }
    public required string Noise { get; init; }
    public required ulong Seed { get; init; }
    public required int Budget { get; init; }
    public required double Seconds { get; init; }
    public required IReadOnlyList<QueryRecord> Queries { get; init; }
    /// <summary>The query with the best search accuracy (the first among ties).</summary>
    public required QueryRecord? Best { get; init; }
    public required int OptimumIndex { get; init; }
    public required string OptimumArch { get; init; }
    public required double OptimumSearchAccuracy { get; init; }
    /// <summary>Query number that evaluated the optimum, or null when it was not found.</summary>
    public required int? FoundOptimumAt { get; init; }

    /// <summary>
    /// The constraint of a constrained search, or null. Then <see cref="Best"/> is the best feasible query, and the
    /// optimum is the constrained optimum: the best search metric among feasible architectures.
    /// </summary>
    public ConstraintOutcome? Constraint { get; init; }

    /// <summary>True when the search was stopped (Ctrl-C) before its budget: the queries so far, written as incomplete.</summary>
    public bool Interrupted { get; init; }

    /// <summary>A multi-objective search's found front and hypervolume, or null.</summary>
    public MultiObjectiveOutcome? Objectives { get; init; }
}
