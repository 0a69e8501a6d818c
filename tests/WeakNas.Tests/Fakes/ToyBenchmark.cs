using WeakNas.Benchmarks;
using WeakNas.Numerics;
using WeakNas.Spaces;

namespace WeakNas.Tests.Fakes;

/// <summary>Accuracies for the toy space: a fixed pseudo-random table with a unique optimum.</summary>
public sealed class ToyBenchmark : ITabularBenchmark<ToyArch>
{
    private readonly double[] _accuracy;

    public ToyBenchmark(ulong seed)
    {
        var rng = new Rng(seed);
        _accuracy = Enumerable.Range(0, 27).Select(_ => 50 + 40 * rng.NextDouble()).ToArray();
        OptimumIndex = Array.IndexOf(_accuracy, _accuracy.Max());
    }

    public IEnumerableSearchSpace<ToyArch> Space { get; } = new ToySpace();
    public string Dataset => "toy";
    public string SearchMetric => "valid";
    public string TestMetric => "test";
    public double SearchAccuracy(int index) => _accuracy[index];
    public double TestAccuracy(int index) => _accuracy[index] - 1;
    public bool HasPerSeedSearchAccuracy => false;
    public double SampleSearchAccuracy(int index, Rng rng) => _accuracy[index];
    public int OptimumIndex { get; }
}
