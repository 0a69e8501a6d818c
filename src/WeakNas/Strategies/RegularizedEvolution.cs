using WeakNas.Numerics;
using WeakNas.Spaces;

namespace WeakNas.Strategies;

/// <summary>
/// Regularized (aging) evolution (Real et al., 2019): a population of the last P evaluated architectures;
/// each child mutates one decision of the best of S members drawn at random (with replacement), and the oldest
/// member dies. Defaults follow the NAS-Bench-201 paper's REA: P = 10, S = 3. A child already evaluated is
/// not proposed again (it would be a free repeat); another tournament is drawn instead. The population is the
/// last P architectures told, so replaying the history rebuilds the state.
/// </summary>
public sealed class RegularizedEvolution<TArch> : ISearchStrategy where TArch : notnull, IEquatable<TArch>
{
    private const int MaxAttempts = 1000;
    private readonly IEnumerableSearchSpace<TArch> _space;
    private readonly int _population;
    private readonly int _sampleSize;
    private readonly ulong _seed;
    private readonly List<(int Index, double Accuracy)> _history = [];
    private readonly HashSet<int> _told = [];

    public RegularizedEvolution(IEnumerableSearchSpace<TArch> space, ulong seed, int population = 10, int sampleSize = 3)
    {
        if (population <= 0) throw new InvalidInputException($"evolution population must be positive, got {population}");
        if (sampleSize <= 0 || sampleSize > population)
            throw new InvalidInputException($"evolution tournament size must be in 1..{population}, got {sampleSize}");
        _space = space;
        _seed = seed;
        _population = population;
        _sampleSize = sampleSize;
    }

    public string Name => "evolution";

    public IReadOnlyList<int> Ask(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (_told.Count >= _space.Count) return [];
        var rng = Rng.Derive(_seed, (ulong)_told.Count);
        if (_history.Count < _population) return [UnseenRandom(rng)];

        int start = _history.Count - _population;
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            int parent = -1;
            double parentAccuracy = double.NegativeInfinity;
            for (int s = 0; s < _sampleSize; s++)
            {
                var (index, accuracy) = _history[start + rng.NextInt(_population)];
                if (accuracy > parentAccuracy) (parent, parentAccuracy) = (index, accuracy);
            }
            int child = _space.IndexOf(_space.Mutate(_space[parent], rng));
            if (!_told.Contains(child)) return [child];
        }
        return [UnseenRandom(rng)];
    }

    public void Exclude(int index) => _told.Add(index);

    public void Tell(int index, double searchAccuracy)
    {
        if (_told.Add(index)) _history.Add((index, searchAccuracy));
    }

    private int UnseenRandom(Rng rng)
    {
        while (true)
        {
            int candidate = _space.IndexOf(_space.Sample(rng));
            if (!_told.Contains(candidate)) return candidate;
        }
    }
}
