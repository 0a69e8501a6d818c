namespace WeakNas.Benchmarks;

/// <summary>What a tabular query returns as the search metric.</summary>
public enum NoiseMode
{
    /// <summary>The mean over the benchmark's training seeds.</summary>
    Mean,
    /// <summary>One training seed's result drawn at random, as a real training run would give.</summary>
    Seed,
}
