using WeakNas.Numerics;

namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// Random cells and random changes to a cell as the official NAS-Bench-101 example code and BANANAS make
/// them, on a 7-vertex upper-triangular matrix that is then pruned and validated.
/// </summary>
public static class NasBench101Sampling
{
    private const int N = NasBench101Cell.MaxVertices;

    /// <summary>
    /// The official <c>random_spec</c>: each of the 21 upper-triangular entries is 1 with probability 1/2,
    /// each interior op uniform over the three, input and output fixed; redrawn until the pruned cell is
    /// valid. Draws 21 edge bits, then 5 ops, per attempt.
    /// </summary>
    public static NasBench101Cell RandomCell(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Span<ulong> successors = stackalloc ulong[N];
        Span<int> labels = stackalloc int[N];
        while (true)
        {
            ulong bits = rng.NextUInt64();
            successors.Clear();
            for (int to = 1, bit = 0; to < N; to++)
                for (int from = 0; from < to; from++, bit++)
                    if ((bits >> bit & 1) != 0) successors[from] |= 1UL << to;
            labels[0] = (int)NasBench101Op.Input;
            labels[N - 1] = (int)NasBench101Op.Output;
            for (int v = 1; v < N - 1; v++) labels[v] = rng.NextInt(3);
            if (NasBench101Cell.TryBuild(N, successors, labels, null, out var cell, out _)) return cell;
        }
    }

    /// <summary>
    /// One attempt of the official mutation: the cell padded to 7 vertices (its output moved to vertex 6,
    /// the inserted vertices isolated with random ops), each of the 21 edges flipped with probability
    /// <paramref name="mutationRate"/>/7, each interior op changed to one of the two others with probability
    /// <paramref name="mutationRate"/>/5, then pruned and validated. False when the result is invalid.
    /// The result may be the same architecture; callers that need a change try again.
    /// </summary>
    public static bool TryMutateOnce(NasBench101Cell cell, Rng rng, double mutationRate, out NasBench101Cell mutated)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(mutationRate > 0) || !double.IsFinite(mutationRate))
            throw new ArgumentOutOfRangeException(nameof(mutationRate), mutationRate, "The mutation rate must be a positive number.");
        Span<ulong> successors = stackalloc ulong[N];
        Span<int> labels = stackalloc int[N];
        Pad(cell, rng, successors, labels);

        double edgeProbability = mutationRate / N;
        for (int from = 0; from < N - 1; from++)
            for (int to = from + 1; to < N; to++)
                if (rng.NextDouble() < edgeProbability) successors[from] ^= 1UL << to;

        double opProbability = mutationRate / NasBench101Cell.OpSpots;
        for (int v = 1; v < N - 1; v++)
        {
            if (rng.NextDouble() < opProbability)
            {
                // One of the two other ops, uniformly: skip over the current one.
                int op = rng.NextInt(2);
                if (op >= labels[v]) op++;
                labels[v] = op;
            }
        }
        return NasBench101Cell.TryBuild(N, successors, labels, null, out mutated, out _);
    }

    /// <summary>
    /// Every valid cell one change away, possibly repeating an architecture or giving the cell itself back
    /// under another numbering: each interior op replaced by each other op, then each edge between the
    /// cell's vertices flipped (flips that touch padding vertices would leave them off every path, so they
    /// change nothing and are not listed).
    /// </summary>
    public static IEnumerable<NasBench101Cell> OneChangeAway(NasBench101Cell cell)
    {
        int n = cell.VertexCount;
        const int OpShift = NasBench101Cell.EdgeSpots;
        for (int v = 1; v < n - 1; v++)
        {
            int current = cell.Label(v);
            for (int op = 0; op < 3; op++)
            {
                if (op == current) continue;
                uint code = cell.Code & ~(3u << (OpShift + 2 * (v - 1))) | (uint)op << (OpShift + 2 * (v - 1));
                yield return NasBench101Cell.FromValidCode(code);
            }
        }
        var labels = new int[n];
        for (int v = 0; v < n; v++) labels[v] = cell.Label(v);
        var successors = new ulong[n];
        for (int to = 1; to < n; to++)
        {
            uint sources = cell.InMask(to);
            for (int from = 0; from < to; from++)
                if ((sources >> from & 1) != 0) successors[from] |= 1UL << to;
        }
        for (int from = 0; from < n - 1; from++)
        {
            for (int to = from + 1; to < n; to++)
            {
                successors[from] ^= 1UL << to;
                bool valid = NasBench101Cell.TryBuild(n, successors, labels, null, out var neighbour, out _);
                successors[from] ^= 1UL << to;
                if (valid) yield return neighbour;
            }
        }
    }

    // The 7-vertex form of a cell: its vertices before the output keep their numbers, the output becomes
    // vertex 6, and the vertices in between have no edges and random ops (drawn first, in vertex order).
    private static void Pad(NasBench101Cell cell, Rng rng, Span<ulong> successors, Span<int> labels)
    {
        int n = cell.VertexCount;
        successors.Clear();
        for (int v = 0; v < n - 1; v++) labels[v] = cell.Label(v);
        for (int v = n - 1; v < N - 1; v++) labels[v] = rng.NextInt(3);
        labels[N - 1] = (int)NasBench101Op.Output;
        for (int to = 1; to < n; to++)
        {
            uint sources = cell.InMask(to);
            int target = to == n - 1 ? N - 1 : to;
            for (int from = 0; from < to; from++)
                if ((sources >> from & 1) != 0) successors[from] |= 1UL << target;
        }
    }
}
