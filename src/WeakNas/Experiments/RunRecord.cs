using System.Text.Json.Serialization;

namespace WeakNas.Experiments;

/// <summary>
/// One finished benchmark run: what was run and the search and test accuracy of every query in order.
/// </summary>
public sealed record RunRecord
{
    public required string Space { get; init; }
    public required string Dataset { get; init; }
    public required string Strategy { get; init; }
    public required ulong Seed { get; init; }
    public required int Budget { get; init; }
    /// <summary>True when the run stopped as soon as it found the optimum.</summary>
    public required bool StopAtOptimum { get; init; }
    public required int? FoundOptimumAt { get; init; }
    public required double Seconds { get; init; }
    public required double[] Search { get; init; }
    public required double[] Test { get; init; }

    // The constraint fields are absent from an unconstrained run's line, which reads as before.

    /// <summary>The constraint the run searched under (<see cref="Hardware.ConstraintSetup.Label"/>), or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Constraint { get; init; }

    /// <summary>The constraint's bounds as numbers with units, e.g. <c>latency:pixel3&lt;=6.4411 ms</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ConstraintBounds { get; init; }

    /// <summary>Architectures that meet the constraint.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? FeasibleCount { get; init; }

    /// <summary>Latency measurements on devices (a runtime model's calibration and measured evaluations).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? DeviceQueries { get; init; }

    /// <summary>Query numbers (1-based, ascending) of evaluated architectures that do not meet the constraint.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? Infeasible { get; init; }

    // The multi-objective fields are absent from a single-objective run's line, which reads as before.

    /// <summary>The objectives of a multi-objective run (<see cref="MultiObjective.ObjectiveSet.Label"/>), or null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Objectives { get; init; }

    /// <summary>Multi-objective runs: the architecture evaluated by each query, in order (to rebuild its found front).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int[]? Indices { get; init; }

    /// <summary>Multi-objective runs: hypervolume of the found front over the true front's, after each query.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double[]? Hypervolume { get; init; }

    /// <summary>The key that identifies the run in a log, for resuming.</summary>
    [JsonIgnore]
    public string Key => RunKey(Dataset, Strategy, Seed, Constraint, Objectives);

    public static string RunKey(string dataset, string strategy, ulong seed) => $"{dataset}/{strategy}/{seed}";

    /// <summary>The key of a run, constrained or not (without a constraint, the same as the three-part key).</summary>
    public static string RunKey(string dataset, string strategy, ulong seed, string? constraint) =>
        constraint == null ? RunKey(dataset, strategy, seed) : $"{dataset}/{constraint}/{strategy}/{seed}";

    /// <summary>The key of a run, multi-objective or not (without objectives, the same as the constrained key).</summary>
    public static string RunKey(string dataset, string strategy, ulong seed, string? constraint, string? objectives) =>
        objectives == null ? RunKey(dataset, strategy, seed, constraint) : RunKey(dataset + "/objectives " + objectives, strategy, seed, constraint);

    public static RunRecord From(SearchResult result, bool stopAtOptimum) => new()
    {
        Space = result.Space,
        Dataset = result.Dataset,
        Strategy = result.Strategy,
        Seed = result.Seed,
        Budget = result.Budget,
        StopAtOptimum = stopAtOptimum,
        FoundOptimumAt = result.FoundOptimumAt,
        Seconds = result.Seconds,
        Search = result.Queries.Select(q => q.SearchAccuracy).ToArray(),
        Test = result.Queries.Select(q => q.TestAccuracy).ToArray(),
        Constraint = result.Constraint?.Label,
        ConstraintBounds = result.Constraint?.Bounds,
        FeasibleCount = result.Constraint?.FeasibleCount,
        DeviceQueries = result.Constraint?.DeviceQueries,
        Infeasible = result.Constraint == null ? null : result.Queries.Where(q => !q.Feasible).Select(q => q.N).ToArray(),
    };

    /// <summary>
    /// Test accuracy after <paramref name="queries"/> queries: of the best-validation architecture so far
    /// (<paramref name="optimistic"/> false, as BANANAS and NASLib report), or the maximum test accuracy queried so far
    /// (true, the WeakNAS notebook's definition). A run that stopped at the optimum keeps its final value. Under a
    /// constraint only feasible queries count; NaN while there is none.
    /// </summary>
    public double TestAccuracyAt(int queries, bool optimistic)
    {
        int count = Math.Min(queries, Search.Length);
        if (count == 0) return double.NaN;
        if (Infeasible is not { Length: > 0 })
        {
            if (optimistic) return Test.Take(count).Max();
            int top = 0;
            for (int i = 1; i < count; i++) if (Search[i] > Search[top]) top = i;
            return Test[top];
        }
        int best = -1;
        for (int i = 0; i < count; i++)
        {
            if (Array.BinarySearch(Infeasible, i + 1) >= 0) continue;
            if (best < 0 || (optimistic ? Test[i] > Test[best] : Search[i] > Search[best])) best = i;
        }
        return best < 0 ? double.NaN : Test[best];
    }
}
