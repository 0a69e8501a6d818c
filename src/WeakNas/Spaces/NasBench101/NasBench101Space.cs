using WeakNas.Numerics;

namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// A list of NAS-Bench-101 cells with stable indices 0..Count-1: either the whole space (all 423,624
/// cells, from <see cref="NasBench101Enumerator"/> or <see cref="NasBench101SpaceCache"/>) or the cells of
/// one benchmark table (index i = the table's row i). Cells are identified by their official module hash,
/// so <see cref="IndexOf"/> finds any numbering of a listed architecture.
/// <para>
/// Sampling and mutation follow the official API and BANANAS on the whole space. On a partial space
/// (<see cref="IsComplete"/> false) they must stay inside the list, so <see cref="Sample"/> draws a listed
/// cell uniformly, <see cref="Mutate(NasBench101Cell, Rng)"/> makes up to <see cref="PartialMutationAttempts"/>
/// official mutations looking for a listed cell and otherwise draws a different listed cell uniformly, and
/// <see cref="Neighbours"/> keeps only listed cells. Cells returned are always the list's own.
/// </para>
/// </summary>
public sealed class NasBench101Space : IEnumerableSearchSpace<NasBench101Cell>
{
    /// <summary>Official mutations tried on a partial space before falling back to a uniform draw.</summary>
    public const int PartialMutationAttempts = 100;

    /// <summary>The default mutation rate of the official example and BANANAS.</summary>
    public const double DefaultMutationRate = 1.0;

    private readonly uint[] _codes;
    private readonly NasBench101Hash[] _hashes;

    // Built on first use: loading the cached whole space must stay fast for callers that only list it.
    private readonly Lazy<Dictionary<NasBench101Hash, int>> _indexByHash;
    private readonly Lazy<Dictionary<uint, int>> _indexByCode;

    private NasBench101Space(uint[] codes, NasBench101Hash[] hashes, bool complete)
    {
        _codes = codes;
        _hashes = hashes;
        IsComplete = complete;
        _indexByHash = new Lazy<Dictionary<NasBench101Hash, int>>(() =>
        {
            var map = new Dictionary<NasBench101Hash, int>(_hashes.Length);
            for (int i = 0; i < _hashes.Length; i++) map.Add(_hashes[i], i);
            return map;
        });
        _indexByCode = new Lazy<Dictionary<uint, int>>(() =>
        {
            var map = new Dictionary<uint, int>(_codes.Length);
            for (int i = 0; i < _codes.Length; i++) map.TryAdd(_codes[i], i);
            return map;
        });
    }

    /// <summary>
    /// A space of the given cells in the given order (index i = <paramref name="cells"/>[i]). Cells with the
    /// same module hash may not appear twice. The list counts as the whole space when it has all 423,624
    /// architectures.
    /// </summary>
    public static NasBench101Space FromCells(IReadOnlyList<NasBench101Cell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var codes = new uint[cells.Count];
        var hashes = new NasBench101Hash[cells.Count];
        var seen = new Dictionary<NasBench101Hash, int>(cells.Count);
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = cells[i].Code;
            hashes[i] = NasBench101Hash.Of(cells[i]);
            if (!seen.TryAdd(hashes[i], i))
                throw new ArgumentException($"cells {seen[hashes[i]]} and {i} are the same architecture (hash {hashes[i]})", nameof(cells));
        }
        return new NasBench101Space(codes, hashes, codes.Length == NasBench101Enumerator.CellCount);
    }

    /// <summary>Rows already known to be valid, distinct and correctly hashed (the enumerator's, a checked table's).</summary>
    internal static NasBench101Space FromTrustedRows(uint[] codes, NasBench101Hash[] hashes, bool complete) => new(codes, hashes, complete);

    /// <summary>The rows of this space whose indices are given, in that order (a complete space stays complete only if all are kept).</summary>
    internal NasBench101Space Select(IReadOnlyList<int> indices)
    {
        var codes = new uint[indices.Count];
        var hashes = new NasBench101Hash[indices.Count];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = _codes[indices[i]];
            hashes[i] = _hashes[indices[i]];
        }
        return new NasBench101Space(codes, hashes, IsComplete && codes.Length == Count);
    }

    /// <inheritdoc />
    public string Name => "nb101";

    /// <summary>True when the space lists every NAS-Bench-101 architecture.</summary>
    public bool IsComplete { get; }

    /// <inheritdoc />
    public int Count => _codes.Length;

    /// <summary>The cell at <paramref name="index"/>.</summary>
    public NasBench101Cell this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return NasBench101Cell.FromValidCode(_codes[index]);
        }
    }

    /// <summary>The module hash of the cell at <paramref name="index"/>.</summary>
    public NasBench101Hash HashAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _hashes[index];
    }

    /// <summary>
    /// The index of <paramref name="arch"/> or of any isomorphic cell. Throws <see cref="ArgumentException"/>
    /// when the architecture is not in this space (possible only on a partial space).
    /// </summary>
    public int IndexOf(NasBench101Cell arch) =>
        TryGetIndex(arch, out int index) ? index
            : throw new ArgumentException($"NAS-Bench-101 cell {arch} (hash {NasBench101Hash.Of(arch)}) is not among the {Count} cells of this space", nameof(arch));

    /// <summary>The index of the cell with module hash <paramref name="hash"/>; throws <see cref="ArgumentException"/> if absent.</summary>
    public int IndexOf(NasBench101Hash hash) =>
        TryGetIndex(hash, out int index) ? index
            : throw new ArgumentException($"no cell with hash {hash} among the {Count} cells of this space", nameof(hash));

    /// <summary>Finds <paramref name="cell"/> or an isomorphic cell.</summary>
    public bool TryGetIndex(NasBench101Cell cell, out int index)
    {
        // The listed numbering itself is found without hashing; other numberings go through the hash.
        if (_indexByCode.Value.TryGetValue(cell.Code, out index)) return true;
        return _indexByHash.Value.TryGetValue(NasBench101Hash.Of(cell), out index);
    }

    /// <summary>Finds the cell with module hash <paramref name="hash"/>.</summary>
    public bool TryGetIndex(NasBench101Hash hash, out int index) => _indexByHash.Value.TryGetValue(hash, out index);

    /// <summary>True when <paramref name="cell"/> (or an isomorphic cell) is in this space.</summary>
    public bool Contains(NasBench101Cell cell) => TryGetIndex(cell, out _);

    /// <summary>
    /// On the whole space, the official API's random cell: each of the 21 upper-triangular edges of a
    /// 7-vertex matrix present with probability 1/2, each of the 5 interior ops uniform, redrawn until the
    /// pruned cell is valid (so small and symmetric architectures are more likely than others). On a partial
    /// space, a listed cell drawn uniformly.
    /// </summary>
    public NasBench101Cell Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!IsComplete) return this[rng.NextInt(Count)];
        return this[IndexOf(NasBench101Sampling.RandomCell(rng))];
    }

    /// <summary>Mutation at the default rate 1.0; see <see cref="Mutate(NasBench101Cell, Rng, double)"/>.</summary>
    public NasBench101Cell Mutate(NasBench101Cell arch, Rng rng) => Mutate(arch, rng, DefaultMutationRate);

    /// <summary>
    /// The official mutation (<c>mutate_spec</c> of the NAS-Bench-101 example, as BANANAS uses it): each of
    /// the 21 possible edges flips with probability rate/7 and each of the 5 interior ops changes to one of
    /// the two others with probability rate/5, repeated until the result is valid and a different
    /// architecture (a different module hash). The cell is padded to 7 vertices first, the padding vertices
    /// isolated and given random ops, as vertices a sampled cell lost to pruning would be.
    /// </summary>
    public NasBench101Cell Mutate(NasBench101Cell arch, Rng rng, double mutationRate)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var own = HashOf(arch);
        int attempts = IsComplete ? int.MaxValue : PartialMutationAttempts;
        for (int attempt = 0; attempt < attempts; attempt++)
        {
            if (!NasBench101Sampling.TryMutateOnce(arch, rng, mutationRate, out var candidate) || candidate.Code == arch.Code) continue;
            var hash = HashOf(candidate);
            if (hash != own && TryGetIndex(hash, out int index)) return this[index];
        }
        // A partial table rarely holds a random mutation: fall back to another listed cell, uniformly.
        int self = TryGetIndex(own, out int found) ? found : -1;
        if (Count - (self >= 0 ? 1 : 0) < 1) throw new InvalidOperationException("this space has no other cell to mutate to");
        while (true)
        {
            int index = rng.NextInt(Count);
            if (index != self) return this[index];
        }
    }

    /// <summary>
    /// The distinct architectures one change away, in a fixed order: each interior vertex's op changed to
    /// each other op, then each possible edge between existing vertices flipped (a flip that disconnects
    /// the cell or exceeds 9 edges gives no neighbour; one that strands vertices prunes them). On a partial
    /// space only listed cells are kept.
    /// </summary>
    public IReadOnlyList<NasBench101Cell> Neighbours(NasBench101Cell arch)
    {
        var own = HashOf(arch);
        var seen = new HashSet<int>();
        var result = new List<NasBench101Cell>();
        foreach (var candidate in NasBench101Sampling.OneChangeAway(arch))
        {
            if (!TryGetIndex(candidate, out int index) || _hashes[index] == own) continue;
            if (seen.Add(index)) result.Add(this[index]);
        }
        return result;
    }

    /// <summary>56: the adjacency and one-hot ops encoding (<see cref="NasBench101Encoding"/>).</summary>
    public int EncodingLength => NasBench101Encoding.Length;

    /// <summary>Writes <see cref="NasBench101Encoding"/>; the other encodings are <see cref="NasBench101SequenceEncoding"/> and <see cref="NasBench101PathEncoding"/>.</summary>
    public void Encode(NasBench101Cell arch, Span<float> destination) => NasBench101Encoding.Encode(arch, destination);

    /// <summary>The official module hash as 32 hex digits: equal exactly for isomorphic cells.</summary>
    public string CanonicalKey(NasBench101Cell arch) => HashOf(arch).ToString();

    // A listed numbering's hash is known; only other numberings need the MD5 rounds.
    private NasBench101Hash HashOf(NasBench101Cell cell) =>
        _indexByCode.Value.TryGetValue(cell.Code, out int index) ? _hashes[index] : NasBench101Hash.Of(cell);

    /// <inheritdoc />
    public string Format(NasBench101Cell arch) => arch.Format();

    /// <inheritdoc />
    public NasBench101Cell Parse(string text) => NasBench101Cell.Parse(text);

    /// <summary>The cell codes in index order (for writing the cache).</summary>
    internal ReadOnlySpan<uint> Codes => _codes;

    /// <summary>The hashes in index order (for writing the cache).</summary>
    internal ReadOnlySpan<NasBench101Hash> Hashes => _hashes;
}
