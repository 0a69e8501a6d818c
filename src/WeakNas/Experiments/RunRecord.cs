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

    /// <summary>The key that identifies the run in a log, for resuming.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Key => RunKey(Dataset, Strategy, Seed);

    public static string RunKey(string dataset, string strategy, ulong seed) => $"{dataset}/{strategy}/{seed}";

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
    };

    /// <summary>
    /// Test accuracy after <paramref name="queries"/> queries: of the best-validation architecture so far
    /// (<paramref name="optimistic"/> false, as BANANAS and NASLib report), or the maximum test accuracy queried so far
    /// (true, the WeakNAS notebook's definition). A run that stopped at the optimum keeps its final value.
    /// </summary>
    public double TestAccuracyAt(int queries, bool optimistic)
    {
        int count = Math.Min(queries, Search.Length);
        if (count == 0) return double.NaN;
        if (optimistic) return Test.Take(count).Max();
        int best = 0;
        for (int i = 1; i < count; i++) if (Search[i] > Search[best]) best = i;
        return Test[best];
    }
}
