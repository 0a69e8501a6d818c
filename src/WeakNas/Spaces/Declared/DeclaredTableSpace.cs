using WeakNas.Numerics;

namespace WeakNas.Spaces.Declared;

/// <summary>
/// The architectures of a user table over a declared space: index i is the table's row i. Sampling draws a row
/// uniformly; a mutation is the declared space's mutation when the table holds it (up to <see cref="MutationAttempts"/>
/// tries), else one of the architecture's neighbours in the table, else another row; neighbours are the declared
/// space's neighbours that the table holds. Encoding, text form and key are the declared space's.
/// </summary>
public sealed class DeclaredTableSpace : IEnumerableSearchSpace<DeclaredArchitecture>
{
    /// <summary>Mutations of the declared space tried before falling back to the table's neighbours.</summary>
    public const int MutationAttempts = 100;

    private readonly DeclaredArchitecture[] _rows;
    private readonly Dictionary<DeclaredArchitecture, int> _indexOf;

    /// <param name="rows">Distinct architectures of <paramref name="space"/>, in table order.</param>
    public DeclaredTableSpace(DeclaredSpace space, IReadOnlyList<DeclaredArchitecture> rows)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("a table space needs at least one row", nameof(rows));
        Declared = space;
        _rows = [.. rows];
        _indexOf = new Dictionary<DeclaredArchitecture, int>(_rows.Length);
        for (int i = 0; i < _rows.Length; i++)
            if (!_indexOf.TryAdd(_rows[i], i)) throw new ArgumentException($"rows {_indexOf[_rows[i]]} and {i} hold the same architecture", nameof(rows));
    }

    /// <summary>The declared space the rows belong to.</summary>
    public DeclaredSpace Declared { get; }

    public string Name => Declared.Name;

    public int Count => _rows.Length;

    public DeclaredArchitecture this[int index] => _rows[index];

    public int IndexOf(DeclaredArchitecture arch) =>
        _indexOf.TryGetValue(arch, out int index) ? index : throw new InvalidInputException($"{Declared.Format(arch)} is not a row of the {Name} table");

    /// <summary>True when the table holds <paramref name="arch"/>.</summary>
    public bool Contains(DeclaredArchitecture arch) => _indexOf.ContainsKey(arch);

    public DeclaredArchitecture Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return _rows[rng.NextInt(_rows.Length)];
    }

    public DeclaredArchitecture Mutate(DeclaredArchitecture arch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int attempt = 0; attempt < MutationAttempts; attempt++)
        {
            var candidate = Declared.Mutate(arch, rng);
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

    public IReadOnlyList<DeclaredArchitecture> Neighbours(DeclaredArchitecture arch) =>
        Declared.Neighbours(arch).Where(_indexOf.ContainsKey).ToList();

    public int EncodingLength => Declared.EncodingLength;

    public void Encode(DeclaredArchitecture arch, Span<float> destination) => Declared.Encode(arch, destination);

    public string CanonicalKey(DeclaredArchitecture arch) => Declared.CanonicalKey(arch);

    public string Format(DeclaredArchitecture arch) => Declared.Format(arch);

    public DeclaredArchitecture Parse(string text) => Declared.Parse(text);
}
