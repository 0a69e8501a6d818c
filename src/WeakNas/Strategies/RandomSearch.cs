using WeakNas.Numerics;

namespace WeakNas.Strategies;

/// <summary>
/// Random search without replacement: walks a seeded random permutation of the space, skipping
/// architectures already told. Under a constraint it skips the architectures the constraint does not admit (at the time
/// of asking: one skipped now may be admitted later, when a runtime model has learned more).
/// </summary>
public sealed class RandomSearch : ISearchStrategy
{
    private readonly int[] _permutation;
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

    public string Name => "random";

    public IReadOnlyList<int> Ask(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
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
