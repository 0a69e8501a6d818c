using WeakNas.Numerics;

namespace WeakNas.Benchmarks;

/// <summary>What one evaluation of an architecture gave.</summary>
public readonly record struct Evaluation(int Index, double SearchAccuracy, double TestAccuracy);

/// <summary>
/// Answers queries against a tabular benchmark and counts them: each distinct architecture costs one query;
/// asking again returns the same result for free (with seed noise, the seed drawn the first time).
/// </summary>
public sealed class TabularEvaluator<TArch> where TArch : notnull, IEquatable<TArch>
{
    private readonly ITabularBenchmark<TArch> _benchmark;
    private readonly NoiseMode _noise;
    private readonly Rng _rng;
    private readonly Dictionary<int, Evaluation> _done = [];

    public TabularEvaluator(ITabularBenchmark<TArch> benchmark, NoiseMode noise, Rng rng)
    {
        if (noise == NoiseMode.Seed && !benchmark.HasPerSeedSearchAccuracy)
            throw new InvalidInputException($"--noise seed: no per-seed search accuracies for {benchmark.Dataset}");
        _benchmark = benchmark;
        _noise = noise;
        _rng = rng;
    }

    public int Queries => _done.Count;

    public Evaluation Evaluate(int index)
    {
        if (_done.TryGetValue(index, out var known)) return known;
        double search = _noise == NoiseMode.Seed ? _benchmark.SampleSearchAccuracy(index, _rng) : _benchmark.SearchAccuracy(index);
        var result = new Evaluation(index, search, _benchmark.TestAccuracy(index));
        _done.Add(index, result);
        return result;
    }
}
