namespace WeakNas.Experiments;

/// <summary>One run of a benchmark: a strategy on a dataset with a seed.</summary>
public sealed record BenchJob(string Dataset, string Strategy, ulong Seed)
{
    public string Key => RunRecord.RunKey(Dataset, Strategy, Seed);
}
