using WeakNas.Numerics;

namespace WeakNas.Spaces.Darts;

/// <summary>
/// The DARTS / NASNet cell space (NAS-Bench-301's): a normal and a reduction cell, each with 4 intermediate nodes of 2
/// edges from distinct earlier nodes, every edge one of the 7 operations (8 with <c>none</c>). About 10^18 genotypes
/// without <c>none</c>. Sampling is NASLib's and NAS-Bench-301's: each node's two inputs drawn without replacement
/// among the nodes before it, every operation uniformly. A neighbour changes one edge's operation or its input (to
/// a node its sibling does not read); a mutation is a uniformly drawn neighbour. Neighbours are distinct networks
/// (<see cref="DartsGenotype.Canonical"/>), none the architecture's own.
/// </summary>
public sealed class DartsSpace : ISearchSpace<DartsGenotype>
{
    public static DartsSpace Instance { get; } = new(includeNone: false);

    /// <summary>The space with DARTS's zero operation as an eighth choice on every edge.</summary>
    public static DartsSpace WithNone { get; } = new(includeNone: true);

    private readonly DartsOp[] _ops;

    private DartsSpace(bool includeNone)
    {
        IncludeNone = includeNone;
        _ops = includeNone ? [.. DartsOps.Searched, DartsOp.None] : [.. DartsOps.Searched];
    }

    public bool IncludeNone { get; }

    public string Name => IncludeNone ? "darts-none" : "darts";

    /// <summary>The operations an edge can take.</summary>
    public IReadOnlyList<DartsOp> Ops => _ops;

    public DartsGenotype Sample(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var cells = new DartsEdge[2][];
        for (int c = 0; c < 2; c++)
        {
            cells[c] = new DartsEdge[DartsGenotype.EdgesPerCell];
            for (int k = 0; k < DartsGenotype.Nodes; k++)
            {
                int node = k + 2;
                // Two distinct inputs, drawn in order without replacement.
                int first = rng.NextInt(node);
                int second = rng.NextInt(node - 1);
                if (second >= first) second++;
                cells[c][2 * k] = new DartsEdge(first, _ops[rng.NextInt(_ops.Length)]);
                cells[c][2 * k + 1] = new DartsEdge(second, _ops[rng.NextInt(_ops.Length)]);
            }
        }
        return new DartsGenotype(cells[0], cells[1]);
    }

    public DartsGenotype Mutate(DartsGenotype arch, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var neighbours = Neighbours(arch);
        return neighbours[rng.NextInt(neighbours.Count)];
    }

    public IReadOnlyList<DartsGenotype> Neighbours(DartsGenotype arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var seen = new HashSet<string>(StringComparer.Ordinal) { CanonicalKey(arch) };
        var result = new List<DartsGenotype>();
        for (int c = 0; c < 2; c++)
        {
            var cell = arch.Cell(reduction: c == 1);
            for (int e = 0; e < DartsGenotype.EdgesPerCell; e++)
            {
                var edge = cell[e];
                int sibling = cell[e ^ 1].Input;
                foreach (var op in _ops)
                    if (op != edge.Op) Add(c, e, edge with { Op = op });
                for (int input = 0; input < DartsGenotype.NodeOf(e); input++)
                    if (input != edge.Input && input != sibling) Add(c, e, edge with { Input = input });
            }
        }
        return result;

        void Add(int c, int e, DartsEdge changed)
        {
            var normal = arch.Normal.ToArray();
            var reduce = arch.Reduce.ToArray();
            (c == 0 ? normal : reduce)[e] = changed;
            var candidate = new DartsGenotype(normal, reduce);
            if (seen.Add(CanonicalKey(candidate))) result.Add(candidate);
        }
    }

    /// <summary>
    /// <paramref name="size"/> distinct networks (by canonical key) drawn by this space's sampling from <paramref name="seed"/>:
    /// the same pool in every process.
    /// </summary>
    public IReadOnlyList<DartsGenotype> Pool(int size, ulong seed) => Pool(this, size, seed);

    /// <summary>The same drawn by <paramref name="sampler"/>'s sampling (the feasible part of the space, say).</summary>
    public static IReadOnlyList<DartsGenotype> Pool(ISearchSpace<DartsGenotype> sampler, int size, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(sampler);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        var rng = new Rng(seed);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var pool = new List<DartsGenotype>(size);
        int repeats = 0;
        while (pool.Count < size)
        {
            var g = sampler.Sample(rng);
            if (!keys.Add(sampler.CanonicalKey(g)))
            {
                if (++repeats > 100_000)
                    throw new InvalidInputException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"only {pool.Count:N0} distinct networks found for a pool of {size:N0}: the constraint admits too few; loosen it or ask for a smaller --pool"));
                continue;
            }
            repeats = 0;
            pool.Add(g);
        }
        return pool;
    }

    /// <summary>Adjacency one-hot: per cell, for each of its 14 possible edges (input → node), one feature per operation (<c>none</c> or no edge: all zero).</summary>
    public int EncodingLength => 2 * DartsFormats.Slots * DartsOps.Searched.Count;

    public void Encode(DartsGenotype arch, Span<float> destination) => EncodeAdjacency(arch, destination);

    /// <summary>See <see cref="EncodingLength"/>: the two inputs of a node commute in it, and a <c>none</c> edge is no edge.</summary>
    public static void EncodeAdjacency(DartsGenotype arch, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(arch);
        int ops = DartsOps.Searched.Count, length = 2 * DartsFormats.Slots * ops;
        if (destination.Length < length) throw new ArgumentException($"Need {length} floats, got {destination.Length}.", nameof(destination));
        destination[..length].Clear();
        for (int c = 0; c < 2; c++)
        {
            var cell = arch.Cell(reduction: c == 1);
            for (int e = 0; e < DartsGenotype.EdgesPerCell; e++)
            {
                var edge = cell[e];
                if (edge.Op == DartsOp.None) continue;
                destination[(c * DartsFormats.Slots + DartsFormats.Slot(DartsGenotype.NodeOf(e), edge.Input)) * ops + (int)edge.Op] = 1f;
            }
        }
    }

    /// <summary>Two characters (input, operation) per edge of the canonical genotype, normal then reduction cell.</summary>
    public string CanonicalKey(DartsGenotype arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        var canonical = arch.Canonical();
        Span<char> key = stackalloc char[4 * DartsGenotype.EdgesPerCell + 1];
        int at = 0;
        foreach (var e in canonical.Normal) { key[at++] = (char)('0' + e.Input); key[at++] = (char)('a' + (int)e.Op); }
        key[at++] = '|';
        foreach (var e in canonical.Reduce) { key[at++] = (char)('0' + e.Input); key[at++] = (char)('a' + (int)e.Op); }
        return new string(key);
    }

    /// <summary>DARTS's genotype text.</summary>
    public string Format(DartsGenotype arch) => DartsFormats.Genotype(arch);

    /// <summary>Any of DARTS's genotype, NASLib's compact form or NAS-Bench-301's configuration (<see cref="DartsFormats"/>).</summary>
    public DartsGenotype Parse(string text)
    {
        var arch = DartsFormats.Parse(text);
        if (!IncludeNone && arch.HasNone) throw new FormatException("the darts space has no 'none' operation (NAS-Bench-301's does not); search darts-none for it");
        return arch;
    }
}
