using WeakNas.Numerics;
using WeakNas.Spaces;

namespace WeakNas.Strategies;

/// <summary>
/// Local search (White et al., 2021, as in NASLib): start from a random architecture, evaluate its neighbours
/// (one decision changed) in random order, and move to the best neighbour when it beats the current one;
/// at a local optimum, restart from a new random architecture. Neighbours evaluated before are known already
/// and cost nothing. All state changes happen in <see cref="Tell"/> with randomness derived from the seed and
/// the number of architectures told, so replaying the history rebuilds the search. Under a constraint, starts are drawn
/// among admissible architectures and only admissible neighbours are evaluated (judged when the walk arrives at a point).
/// </summary>
public sealed class LocalSearch<TArch> : ISearchStrategy where TArch : notnull, IEquatable<TArch>
{
    private readonly ArchitectureCatalogue<TArch> _catalogue;
    private readonly ulong _seed;
    private readonly Dictionary<int, double> _known = [];
    private readonly Queue<int> _pending = new();
    private int _current = -1;
    private double _currentAccuracy = double.NegativeInfinity;
    private int _bestNeighbour = -1;
    private double _bestNeighbourAccuracy = double.NegativeInfinity;
    private int _start = -1;
    private readonly Func<int, bool>? _admissible;

    /// <param name="admissible">Which architectures may be proposed (a constraint); null for all.</param>
    public LocalSearch(IEnumerableSearchSpace<TArch> space, ulong seed, Func<int, bool>? admissible = null)
        : this(ArchitectureCatalogue<TArch>.Listed(space), seed, admissible)
    {
    }

    /// <param name="catalogue">The space's architectures as handles: listed (handle = index) or open.</param>
    /// <param name="admissible">Which architectures may be proposed (a constraint); null for all.</param>
    public LocalSearch(ArchitectureCatalogue<TArch> catalogue, ulong seed, Func<int, bool>? admissible = null)
    {
        _catalogue = catalogue ?? throw new ArgumentNullException(nameof(catalogue));
        _seed = seed;
        _admissible = admissible;
        _start = UnseenRandom(Rng.Derive(seed, 0));
    }

    public string Name => "local";

    public IReadOnlyList<int> Ask(int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        if (Exhausted) return [];
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
        var handles = _catalogue.Space.Neighbours(_catalogue[index]).Select(_catalogue.HandleOf);
        // In an open catalogue two neighbours that compute the same function share a handle: walk it once.
        var neighbours = (_catalogue.Size == null ? handles.Distinct() : handles).ToArray();
        Rng.Derive(_seed, (ulong)_known.Count).Shuffle(neighbours.AsSpan());
        foreach (int n in neighbours)
        {
            if (_known.TryGetValue(n, out double known)) Consider(n, known);
            else if (_admissible == null || _admissible(n)) _pending.Enqueue(n);
        }
    }

    /// <summary>When the neighbourhood is done: move to a better neighbour, or restart at a local optimum.</summary>
    private void Advance()
    {
        while (_pending.Count == 0 && _start < 0 && _current >= 0 && !Exhausted)
        {
            if (_bestNeighbour >= 0 && _bestNeighbourAccuracy > _currentAccuracy)
            {
                MoveTo(_bestNeighbour, _bestNeighbourAccuracy);
            }
            else
            {
                _current = -1;
                _start = UnseenRandom(Rng.Derive(_seed, (ulong)_known.Count));
                if (_start < 0) break;
            }
        }
    }

    private bool Exhausted => _catalogue.Size is int size && _known.Count >= size;

    /// <summary>A uniformly drawn unevaluated admissible architecture, or -1 when there is none left.</summary>
    private int UnseenRandom(Rng rng)
    {
        if (_admissible == null && _catalogue.Size != null)
        {
            while (true)
            {
                int candidate = Sample(rng);
                if (!_known.ContainsKey(candidate)) return candidate;
            }
        }
        for (int attempt = 0; attempt < 20_000; attempt++)
        {
            int candidate = Sample(rng);
            if (!_known.ContainsKey(candidate) && (_admissible == null || _admissible(candidate))) return candidate;
        }
        if (_catalogue.Size is not int size) return -1;
        var left = Enumerable.Range(0, size).Where(i => !_known.ContainsKey(i) && (_admissible == null || _admissible(i))).ToArray();
        return left.Length == 0 ? -1 : left[rng.NextInt(left.Length)];
    }

    private int Sample(Rng rng) => _catalogue.HandleOf(_catalogue.Space.Sample(rng));
}
