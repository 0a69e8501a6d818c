namespace WeakNas.Spaces.Darts;

/// <summary>
/// BANANAS's path encoding of a DARTS genotype: per cell and per cell input (0, 1), one binary feature for every
/// sequence of 1 to 4 operations along a path from that input to an intermediate node (all of which the output
/// concatenates): 2 cells × 2 inputs × (7 + 7² + 7³ + 7⁴) = 11,200 features. Every edge extends every path into the node
/// it reads, the second edge of node 5 included (a widely copied implementation loops over 7 of the 8 edges and drops
/// it); a <c>none</c> edge carries no path.
/// </summary>
public static class DartsPathEncoding
{
    private const int Ops = 7;

    private static readonly int[] LengthOffset = [0, Ops, Ops + Ops * Ops, Ops + Ops * Ops + Ops * Ops * Ops];

    /// <summary>Features per cell input: sequences of 1 to 4 operations.</summary>
    public const int PerInput = Ops + Ops * Ops + Ops * Ops * Ops + Ops * Ops * Ops * Ops;

    public const int Length = 2 * 2 * PerInput;

    public static void Encode(DartsGenotype arch, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(arch);
        if (destination.Length < Length) throw new ArgumentException($"Need {Length} floats, got {destination.Length}.", nameof(destination));
        destination[..Length].Clear();
        foreach (var (input, length, index, cell) in Paths(arch))
            destination[(cell * 2 + input) * PerInput + LengthOffset[length - 1] + index] = 1f;
    }

    /// <summary>
    /// Every path of both cells: the cell input it starts from, its length (edges), its operation sequence as a base-7
    /// number (first operation most significant), and the cell (0 normal, 1 reduction).
    /// </summary>
    public static IEnumerable<(int Input, int Length, int Index, int Cell)> Paths(DartsGenotype arch)
    {
        ArgumentNullException.ThrowIfNull(arch);
        for (int c = 0; c < 2; c++)
        {
            var cell = arch.Cell(reduction: c == 1);
            // The paths ending at each intermediate node, as (input, length, sequence).
            var into = new List<(int Input, int Length, int Index)>[DartsGenotype.Nodes];
            for (int e = 0; e < DartsGenotype.EdgesPerCell; e++)
            {
                int node = DartsGenotype.NodeOf(e);
                into[node - 2] ??= [];
                var edge = cell[e];
                if (edge.Op == DartsOp.None) continue;
                int op = (int)edge.Op;
                if (edge.Input < 2) into[node - 2].Add((edge.Input, 1, op));
                else
                    foreach (var (input, length, index) in into[edge.Input - 2])
                        into[node - 2].Add((input, length + 1, index * Ops + op));
            }
            foreach (var paths in into)
                foreach (var (input, length, index) in paths)
                    yield return (input, length, index, c);
        }
    }
}
