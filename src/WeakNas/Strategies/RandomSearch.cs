using WeakNas.Numerics;
using WeakNas.Spaces;

namespace WeakNas.Strategies;

/// <summary>
/// Random search without replacement. In a listed space it walks a seeded random permutation of the space, skipping
/// architectures already told; in an open space it samples uniformly, skipping what was told (by canonical key, through
/// the catalogue's handles). Under a constraint it skips the architectures the constraint does not admit (at the time
/// of asking: one skipped now may be admitted later, when a runtime model has learned more).
/// </summary>
public sealed class RandomSearch : ISearchStrategy
{
    // Draws per wanted architecture in an open space before it is taken to be exhausted.
    private const int AttemptsPerSample = 50;

    private readonly int[] _permutation = [];
    private readonly Func<int, Rng, Func<int, bool>, List<int>>? _draw;
    private readonly ulong _seed;
    private readonly HashSet<int> _told = [];
    private readonly Func<int, bool>? _admissible;
    private int _position;

    /// <param name="admissible">Which architectures may be proposed (a constraint); null for all.</param>
    public RandomSearch(int spaceSize, ulong seed, Func<int, bool>? admissible = null)
    {
        _admissible = admissible;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(spaceSize);
        _permutation = new int[spaceSize];
        for (int i = 0; i < spaceSize; i++) _permutation[i] = i;
        Rng.Derive(seed, 0).Shuffle(_permutation.AsSpan());
    }

    private RandomSearch(Func<int, Rng, Func<int, bool>, List<int>> draw, ulong seed, Func<int, bool>? admissible)
    {
        _draw = draw;
        _seed = seed;
        _admissible = admissible;
    }

    /// <summary>Random search over a catalogue's space: the permutation walk when it is listed, sampling when it is open.</summary>
    public static RandomSearch Over<TArch>(ArchitectureCatalogue<TArch> catalogue, ulong seed, Func<int, bool>? admissible = null)
        where TArch : notnull, IEquatable<TArch>
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        return catalogue.Size is int size
            ? new RandomSearch(size, seed, admissible)
            : new RandomSearch((count, rng, keep) => catalogue.Draw(count, rng, keep, AttemptsPerSample), seed, admissible);
    }

    public string Name => "random";

    public IReadOnlyList<int> Ask(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (_draw != null)
            return _draw(maxCount, Rng.Derive(_seed, RandomStreams.OpenRandom + (ulong)_told.Count), c => !_told.Contains(c) && (_admissible == null || _admissible(c)));
        var batch = new List<int>(maxCount);
        int scan = _position;
        while (batch.Count < maxCount && scan < _permutation.Length)
        {
            int candidate = _permutation[scan++];
            if (!_told.Contains(candidate) && (_admissible == null || _admissible(candidate))) batch.Add(candidate);
        }
        return batch;
    }

    public void Exclude(int index) => Tell(index, double.NaN);

    public void Tell(int index, double searchAccuracy)
    {
        _told.Add(index);
        while (_position < _permutation.Length && _told.Contains(_permutation[_position])) _position++;
    }
}
