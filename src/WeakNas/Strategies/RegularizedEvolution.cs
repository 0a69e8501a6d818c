using WeakNas.Numerics;
using WeakNas.Spaces;

namespace WeakNas.Strategies;

/// <summary>
/// Regularized (aging) evolution (Real et al., 2019): a population of the last P evaluated architectures;
/// each child mutates one decision of the best of S members drawn at random (with replacement), and the oldest
/// member dies. Defaults follow the NAS-Bench-201 paper's REA: P = 10, S = 3. A child already evaluated is
/// not proposed again (it would be a free repeat); another tournament is drawn instead. The population is the
/// last P architectures told, so replaying the history rebuilds the state. Under a constraint, random members and
/// children are drawn among the admissible architectures only (a child the constraint rejects counts as a failed draw).
/// </summary>
public sealed class RegularizedEvolution<TArch> : ISearchStrategy where TArch : notnull, IEquatable<TArch>
{
    private const int MaxAttempts = 1000;
    private readonly ArchitectureCatalogue<TArch> _catalogue;
    private readonly int _population;
    private readonly int _sampleSize;
    private readonly ulong _seed;
    private readonly List<(int Index, double Accuracy)> _history = [];
    private readonly HashSet<int> _told = [];
    private readonly Func<int, bool>? _admissible;

    /// <param name="admissible">Which architectures may be proposed (a constraint); null for all.</param>
    public RegularizedEvolution(IEnumerableSearchSpace<TArch> space, ulong seed, int population = 10, int sampleSize = 3, Func<int, bool>? admissible = null)
        : this(ArchitectureCatalogue<TArch>.Listed(space), seed, population, sampleSize, admissible)
    {
    }

    /// <param name="catalogue">The space's architectures as handles: listed (handle = index) or open.</param>
    /// <param name="admissible">Which architectures may be proposed (a constraint); null for all.</param>
    public RegularizedEvolution(ArchitectureCatalogue<TArch> catalogue, ulong seed, int population = 10, int sampleSize = 3, Func<int, bool>? admissible = null)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        _admissible = admissible;
        if (population <= 0) throw new InvalidInputException($"evolution population must be positive, got {population}");
        if (sampleSize <= 0 || sampleSize > population)
            throw new InvalidInputException($"evolution tournament size must be in 1..{population}, got {sampleSize}");
        _catalogue = catalogue;
        _seed = seed;
        _population = population;
        _sampleSize = sampleSize;
    }

    public string Name => "evolution";

    public IReadOnlyList<int> Ask(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (_catalogue.Size is int size && _told.Count >= size) return [];
        var rng = Rng.Derive(_seed, (ulong)_told.Count);
        if (_history.Count < _population) return UnseenRandom(rng);

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
            int child = _catalogue.HandleOf(_catalogue.Space.Mutate(_catalogue[parent], rng));
            if (!_told.Contains(child) && Admissible(child)) return [child];
        }
        return UnseenRandom(rng);
    }

    private bool Admissible(int index) => _admissible == null || _admissible(index);

    public void Exclude(int index) => _told.Add(index);

    public void Tell(int index, double searchAccuracy)
    {
        if (_told.Add(index)) _history.Add((index, searchAccuracy));
    }

    /// <summary>A uniformly drawn untold admissible architecture, or none when there is none left.</summary>
    private int[] UnseenRandom(Rng rng)
    {
        if (_admissible == null && _catalogue.Size != null)
        {
            while (true)
            {
                int candidate = Sample(rng);
                if (!_told.Contains(candidate)) return [candidate];
            }
        }
        // Rejection sampling, then (for a tiny admissible remainder of a listed space) a draw from the list of what is left.
        for (int attempt = 0; attempt < 20 * MaxAttempts; attempt++)
        {
            int candidate = Sample(rng);
            if (!_told.Contains(candidate) && Admissible(candidate)) return [candidate];
        }
        if (_catalogue.Size is not int size) return [];
        var left = Enumerable.Range(0, size).Where(i => !_told.Contains(i) && Admissible(i)).ToArray();
        return left.Length == 0 ? [] : [left[rng.NextInt(left.Length)]];
    }

    private int Sample(Rng rng) => _catalogue.HandleOf(_catalogue.Space.Sample(rng));
}
