using WeakNas.Numerics;

namespace WeakNas.Spaces;

/// <summary>
/// A fixed pool of architectures drawn from a space far too large to list (the WeakNAS paper's 10,000 once-for-all
/// subnets): index i is the pool's i-th. In so sparse a pool a space's own mutation almost never lands on a member, so
/// a mutation here is the space's mutation snapped to the pool: the member nearest the mutant (L1 distance between the
/// space's encodings; ties broken at random; the parent itself excluded). A neighbour is the nearest member to one of
/// the space's neighbours. Evolution and local search thus move between similar members, in the directions the space's
/// own moves point, as they would in the space. Sampling draws a member uniformly.
/// </summary>
public sealed class PoolSpace<TArch> : IEnumerableSearchSpace<TArch> where TArch : notnull, IEquatable<TArch>
{
    private readonly TArch[] _rows;
    private readonly Dictionary<string, int> _indexOfKey;
    private readonly float[] _features;
    private readonly int _width;

    /// <param name="rows">Architectures of <paramref name="space"/> with distinct canonical keys, in pool order.</param>
    public PoolSpace(ISearchSpace<TArch> space, IReadOnlyList<TArch> rows)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count < 2) throw new ArgumentException("a pool needs at least two architectures", nameof(rows));
        Over = space;
        _rows = [.. rows];
        _indexOfKey = new Dictionary<string, int>(_rows.Length, StringComparer.Ordinal);
        for (int i = 0; i < _rows.Length; i++)
        {
            string key = space.CanonicalKey(_rows[i]);
            if (!_indexOfKey.TryAdd(key, i)) throw new ArgumentException($"pool members {_indexOfKey[key]} and {i} are the same architecture", nameof(rows));
        }
        _width = space.EncodingLength;
        _features = new float[_rows.Length * _width];
        for (int i = 0; i < _rows.Length; i++) space.Encode(_rows[i], _features.AsSpan(i * _width, _width));
    }

    public ISearchSpace<TArch> Over { get; }

    public string Name => Over.Name;

    public int Count => _rows.Length;

    public TArch this[int index] => _rows[index];

    public int IndexOf(TArch arch) =>
        _indexOfKey.TryGetValue(Over.CanonicalKey(arch), out int index) ? index : throw new InvalidInputException($"{Over.Format(arch)} is not in the {Name} pool");

    public bool Contains(TArch arch) => _indexOfKey.ContainsKey(Over.CanonicalKey(arch));

    public TArch Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return _rows[rng.NextInt(_rows.Length)];
    }

    public TArch Mutate(TArch arch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int self = SelfIndex(arch);
        var nearest = Nearest(Over.Mutate(arch, rng), self);
        return _rows[nearest[rng.NextInt(nearest.Count)]];
    }

    /// <summary>For each of the space's neighbours, the members nearest it (the architecture itself excluded), each once, in order.</summary>
    public IReadOnlyList<TArch> Neighbours(TArch arch)
    {
        int self = SelfIndex(arch);
        var seen = new HashSet<int>();
        var result = new List<TArch>();
        foreach (var neighbour in Over.Neighbours(arch))
            foreach (int i in Nearest(neighbour, self))
                if (seen.Add(i)) result.Add(_rows[i]);
        return result;
    }

    private int SelfIndex(TArch arch) => _indexOfKey.TryGetValue(Over.CanonicalKey(arch), out int i) ? i : -1;

    /// <summary>The members at the smallest L1 distance from <paramref name="arch"/>, <paramref name="self"/> excluded, in pool order.</summary>
    private List<int> Nearest(TArch arch, int self)
    {
        var x = new float[_width];
        Over.Encode(arch, x);
        var nearest = new List<int>();
        float best = float.PositiveInfinity;
        for (int r = 0; r < _rows.Length; r++)
        {
            if (r == self) continue;
            var row = _features.AsSpan(r * _width, _width);
            float distance = 0;
            for (int c = 0; c < _width && distance <= best; c++) distance += Math.Abs(row[c] - x[c]);
            if (distance > best) continue;
            if (distance < best)
            {
                best = distance;
                nearest.Clear();
            }
            nearest.Add(r);
        }
        return nearest;
    }

    public int EncodingLength => Over.EncodingLength;

    public void Encode(TArch arch, Span<float> destination) => Over.Encode(arch, destination);

    public string CanonicalKey(TArch arch) => Over.CanonicalKey(arch);

    public string Format(TArch arch) => Over.Format(arch);

    public TArch Parse(string text) => Over.Parse(text);
}
