namespace WeakNas.Experiments;

/// <summary>
/// One run of a benchmark: a strategy on a dataset with a seed, under a constraint (its label) or none, searching for
/// one objective or for several (<see cref="Objectives"/>, their label).
/// </summary>
public sealed record BenchJob(string Dataset, string Strategy, ulong Seed, string? Constraint = null, string? Objectives = null)
{
    public string Key => RunRecord.RunKey(Dataset, Strategy, Seed, Constraint, Objectives);

    /// <summary>Jobs in an order that keeps partial results balanced: seed-major, then dataset, then strategy.</summary>
    public static List<BenchJob> Plan(IEnumerable<string> datasets, IEnumerable<string> strategies, ulong firstSeed, int runs)
    {
        var jobs = new List<BenchJob>();
        for (int r = 0; r < runs; r++)
            foreach (string d in datasets)
                foreach (string s in strategies)
                    jobs.Add(new BenchJob(d, s, firstSeed + (ulong)r));
        return jobs;
    }

    /// <summary>
    /// Jobs for every constraint too (null: unconstrained), seed-major, then dataset, constraint and strategy, so that
    /// partial results stay balanced across the cells of the comparison.
    /// </summary>
    public static List<BenchJob> Plan(IEnumerable<string> datasets, IReadOnlyList<string?> constraints, IEnumerable<string> strategies, ulong firstSeed, int runs)
    {
        var jobs = new List<BenchJob>();
        for (int r = 0; r < runs; r++)
            foreach (string d in datasets)
                foreach (string? c in constraints)
                    foreach (string s in strategies)
                        jobs.Add(new BenchJob(d, s, firstSeed + (ulong)r, c));
        return jobs;
    }
}
