using WeakNas.Numerics;

namespace WeakNas.Spaces;

/// <summary>
/// The architectures of a table over a space (a user's results, a pool drawn once): index i is row i. Sampling draws a
/// row uniformly; a mutation is the space's mutation when the table holds it (up to <see cref="MutationAttempts"/>
/// tries), else one of the architecture's neighbours in the table, else another row; neighbours are the space's
/// neighbours that the table holds. Encoding, text form and key are the space's.
/// </summary>
public sealed class TableSpace<TArch> : IEnumerableSearchSpace<TArch> where TArch : notnull, IEquatable<TArch>
{
    /// <summary>Mutations of the declared space tried before falling back to the table's neighbours.</summary>
    public const int MutationAttempts = 100;

    private readonly TArch[] _rows;
    private readonly Dictionary<TArch, int> _indexOf;

    /// <param name="rows">Distinct architectures of <paramref name="space"/>, in table order.</param>
    public TableSpace(ISearchSpace<TArch> space, IReadOnlyList<TArch> rows)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("a table space needs at least one row", nameof(rows));
        Over = space;
        _rows = [.. rows];
        _indexOf = new Dictionary<TArch, int>(_rows.Length);
        for (int i = 0; i < _rows.Length; i++)
            if (!_indexOf.TryAdd(_rows[i], i)) throw new ArgumentException($"rows {_indexOf[_rows[i]]} and {i} hold the same architecture", nameof(rows));
    }

    /// <summary>The space the rows belong to.</summary>
    public ISearchSpace<TArch> Over { get; }

    public string Name => Over.Name;

    public int Count => _rows.Length;

    public TArch this[int index] => _rows[index];

    public int IndexOf(TArch arch) =>
        _indexOf.TryGetValue(arch, out int index) ? index : throw new InvalidInputException($"{Over.Format(arch)} is not a row of the {Name} table");

    /// <summary>True when the table holds <paramref name="arch"/>.</summary>
    public bool Contains(TArch arch) => _indexOf.ContainsKey(arch);

    public TArch Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return _rows[rng.NextInt(_rows.Length)];
    }

    public TArch Mutate(TArch arch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int attempt = 0; attempt < MutationAttempts; attempt++)
        {
            var candidate = Over.Mutate(arch, rng);
            if (!candidate.Equals(arch) && _indexOf.ContainsKey(candidate)) return candidate;
        }
        var neighbours = Neighbours(arch);
        if (neighbours.Count > 0) return neighbours[rng.NextInt(neighbours.Count)];
        if (_rows.Length == 1) return arch;
        // A table too sparse to hold any neighbour: another row, uniformly.
        int self = _indexOf.TryGetValue(arch, out int i) ? i : -1;
        int pick = rng.NextInt(self >= 0 ? _rows.Length - 1 : _rows.Length);
        return _rows[self >= 0 && pick >= self ? pick + 1 : pick];
    }

    public IReadOnlyList<TArch> Neighbours(TArch arch) =>
        Over.Neighbours(arch).Where(_indexOf.ContainsKey).ToList();

    public int EncodingLength => Over.EncodingLength;

    public void Encode(TArch arch, Span<float> destination) => Over.Encode(arch, destination);

    public string CanonicalKey(TArch arch) => Over.CanonicalKey(arch);

    public string Format(TArch arch) => Over.Format(arch);

    public TArch Parse(string text) => Over.Parse(text);
}
