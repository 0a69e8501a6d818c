namespace WeakNas.Experiments;

/// <summary>One run of a benchmark: a strategy on a dataset with a seed.</summary>
public sealed record BenchJob(string Dataset, string Strategy, ulong Seed)
{
    public string Key => RunRecord.RunKey(Dataset, Strategy, Seed);

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
}
