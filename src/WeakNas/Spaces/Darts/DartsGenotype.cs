namespace WeakNas.Spaces.Darts;

/// <summary>One edge of a DARTS cell: the node it reads (0 and 1: the cell's two inputs; 2 to 5: intermediate nodes) and its operation.</summary>
public readonly record struct DartsEdge(int Input, DartsOp Op);

/// <summary>
/// A DARTS (NASNet-style) architecture: a normal and a reduction cell, each of 4 intermediate nodes (2 to 5) with 2
/// edges apiece (edges 2k and 2k+1 feed node k + 2) from distinct earlier nodes; the cell's output concatenates nodes 2
/// to 5. Two genotypes are equal when their edges are, in order; <see cref="Canonical"/> is equal for every genotype of
/// the same network.
/// </summary>
public sealed class DartsGenotype : IEquatable<DartsGenotype>
{
    /// <summary>Intermediate nodes per cell.</summary>
    public const int Nodes = 4;

    /// <summary>Edges per cell: two per intermediate node.</summary>
    public const int EdgesPerCell = 2 * Nodes;

    private readonly DartsEdge[] _normal;
    private readonly DartsEdge[] _reduce;

    /// <summary>A genotype from its two cells' edges; an <see cref="ArgumentException"/> saying what is wrong otherwise (see <see cref="Check"/>).</summary>
    public DartsGenotype(IReadOnlyList<DartsEdge> normal, IReadOnlyList<DartsEdge> reduce)
    {
        ArgumentNullException.ThrowIfNull(normal);
        ArgumentNullException.ThrowIfNull(reduce);
        if (Check(normal, reduce) is { } problem) throw new ArgumentException(problem);
        _normal = [.. normal];
        _reduce = [.. reduce];
    }

    public IReadOnlyList<DartsEdge> Normal => _normal;

    public IReadOnlyList<DartsEdge> Reduce => _reduce;

    /// <summary>The normal cell's edges, or the reduction cell's.</summary>
    public IReadOnlyList<DartsEdge> Cell(bool reduction) => reduction ? _reduce : _normal;

    /// <summary>The node an edge of a cell feeds: edges 2k and 2k+1 feed node k + 2.</summary>
    public static int NodeOf(int edge) => edge / 2 + 2;

    /// <summary>
    /// What is wrong with these cells, or null: each has 8 edges, edge e reads a node below the one it feeds, and a node's
    /// two edges read distinct nodes.
    /// </summary>
    public static string? Check(IReadOnlyList<DartsEdge> normal, IReadOnlyList<DartsEdge> reduce)
    {
        ArgumentNullException.ThrowIfNull(normal);
        ArgumentNullException.ThrowIfNull(reduce);
        foreach (var (cell, name) in new[] { (normal, "normal"), (reduce, "reduce") })
        {
            if (cell.Count != EdgesPerCell) return $"the {name} cell has {cell.Count} edges, expected {EdgesPerCell} (two for each of nodes 2 to 5)";
            for (int e = 0; e < EdgesPerCell; e++)
            {
                int node = NodeOf(e);
                var edge = cell[e];
                if (edge.Input < 0 || edge.Input >= node)
                    return $"{name} edge {e} (into node {node}) reads node {edge.Input}; a node reads nodes 0 to {node - 1}";
                if (!Enum.IsDefined(edge.Op)) return $"{name} edge {e} has an unknown operation {(int)edge.Op}";
                if (e % 2 == 1 && cell[e - 1].Input == edge.Input)
                    return $"{name} node {node} reads node {edge.Input} twice (edges {e - 1} and {e}); its two inputs must differ";
            }
        }
        return null;
    }

    /// <summary>Whether any edge is the zero operation.</summary>
    public bool HasNone => _normal.Any(e => e.Op == DartsOp.None) || _reduce.Any(e => e.Op == DartsOp.None);

    /// <summary>
    /// The representative of every genotype that builds the same network: in each node the two edges commute (ordered
    /// by input, then operation), and the input of a <c>none</c> edge does not matter (it is set to the lowest node the
    /// other edge does not read). Nothing else is merged: every other difference changes what the network computes for
    /// some weights.
    /// </summary>
    public DartsGenotype Canonical() => new(CanonicalCell(_normal), CanonicalCell(_reduce));

    private static DartsEdge[] CanonicalCell(DartsEdge[] cell)
    {
        var result = new DartsEdge[EdgesPerCell];
        for (int e = 0; e < EdgesPerCell; e += 2)
        {
            var (a, b) = (cell[e], cell[e + 1]);
            if (a.Op == DartsOp.None && b.Op == DartsOp.None) (a, b) = (new DartsEdge(0, DartsOp.None), new DartsEdge(1, DartsOp.None));
            else if (a.Op == DartsOp.None) a = new DartsEdge(b.Input == 0 ? 1 : 0, DartsOp.None);
            else if (b.Op == DartsOp.None) b = new DartsEdge(a.Input == 0 ? 1 : 0, DartsOp.None);
            if (b.Input < a.Input || (b.Input == a.Input && b.Op < a.Op)) (a, b) = (b, a);
            result[e] = a;
            result[e + 1] = b;
        }
        return result;
    }

    public bool Equals(DartsGenotype? other) => other is not null && _normal.AsSpan().SequenceEqual(other._normal) && _reduce.AsSpan().SequenceEqual(other._reduce);

    public override bool Equals(object? obj) => obj is DartsGenotype g && Equals(g);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var e in _normal) hash.Add(e);
        foreach (var e in _reduce) hash.Add(e);
        return hash.ToHashCode();
    }

    /// <summary>DARTS's genotype text (<see cref="DartsFormats.Genotype"/>).</summary>
    public override string ToString() => DartsFormats.Genotype(this);
}
