using WeakNas.Numerics;
using WeakNas.Spaces;

namespace WeakNas.Strategies;

/// <summary>
/// Local search (White et al., 2021, as in NASLib): start from a random architecture, evaluate its neighbours
/// (one decision changed) in random order, and move to the best neighbour when it beats the current one;
/// at a local optimum, restart from a new random architecture. Neighbours evaluated before are known already
/// and cost nothing. All state changes happen in <see cref="Tell"/> with randomness derived from the seed and
/// the number of architectures told, so replaying the history rebuilds the search.
/// </summary>
public sealed class LocalSearch<TArch> : ISearchStrategy where TArch : notnull, IEquatable<TArch>
{
    private readonly IEnumerableSearchSpace<TArch> _space;
    private readonly ulong _seed;
    private readonly Dictionary<int, double> _known = [];
    private readonly Queue<int> _pending = new();
    private int _current = -1;
    private double _currentAccuracy = double.NegativeInfinity;
    private int _bestNeighbour = -1;
    private double _bestNeighbourAccuracy = double.NegativeInfinity;
    private int _start = -1;

    public LocalSearch(IEnumerableSearchSpace<TArch> space, ulong seed)
    {
        _space = space;
        _seed = seed;
        _start = UnseenRandom(Rng.Derive(seed, 0));
    }

    public string Name => "local";

    public IReadOnlyList<int> Ask(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (_known.Count >= _space.Count) return [];
        if (_start >= 0) return [_start];
        return _pending.Count > 0 ? [_pending.Peek()] : [];
    }

    /// <summary>A failed architecture counts as a neighbour no better than any other: the walk goes on without it.</summary>
    public void Exclude(int index) => Tell(index, double.NegativeInfinity);

    public void Tell(int index, double searchAccuracy)
    {
        if (_known.ContainsKey(index)) return;
        _known[index] = searchAccuracy;
        if (index == _start)
        {
            _start = -1;
            MoveTo(index, searchAccuracy);
        }
        else if (_pending.Count > 0 && _pending.Peek() == index)
        {
            _pending.Dequeue();
            Consider(index, searchAccuracy);
        }
        Advance();
    }

    private void Consider(int index, double accuracy)
    {
        if (accuracy > _bestNeighbourAccuracy) (_bestNeighbour, _bestNeighbourAccuracy) = (index, accuracy);
    }

    private void MoveTo(int index, double accuracy)
    {
        _current = index;
        _currentAccuracy = accuracy;
        _bestNeighbour = -1;
        _bestNeighbourAccuracy = double.NegativeInfinity;
        _pending.Clear();
        var neighbours = _space.Neighbours(_space[index]).Select(_space.IndexOf).ToArray();
        Rng.Derive(_seed, (ulong)_known.Count).Shuffle(neighbours.AsSpan());
        foreach (int n in neighbours)
        {
            if (_known.TryGetValue(n, out double known)) Consider(n, known);
            else _pending.Enqueue(n);
        }
    }

    /// <summary>When the neighbourhood is done: move to a better neighbour, or restart at a local optimum.</summary>
    private void Advance()
    {
        while (_pending.Count == 0 && _start < 0 && _current >= 0 && _known.Count < _space.Count)
        {
            if (_bestNeighbour >= 0 && _bestNeighbourAccuracy > _currentAccuracy)
            {
                MoveTo(_bestNeighbour, _bestNeighbourAccuracy);
            }
            else
            {
                _current = -1;
                _start = UnseenRandom(Rng.Derive(_seed, (ulong)_known.Count));
            }
        }
    }

    private int UnseenRandom(Rng rng)
    {
        while (true)
        {
            int candidate = _space.IndexOf(_space.Sample(rng));
            if (!_known.ContainsKey(candidate)) return candidate;
        }
    }
}
