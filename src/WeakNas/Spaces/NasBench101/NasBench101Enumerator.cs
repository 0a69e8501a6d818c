using System.Collections.Concurrent;
using System.Numerics;
using WeakNas.Numerics;

namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// Lists every NAS-Bench-101 cell once: the 423,624 architectures of the benchmark. The official
/// <c>generate_graphs.py</c> walks every upper-triangular matrix of 2..7 vertices whose vertices all lie
/// on an input→output path and that has at most 9 edges (about 6,500 matrices), labels its interior
/// vertices in every way (1.29 million labelled graphs), and keeps the first graph of each module hash.
/// Hashing all 1.29 million with MD5 would be the slow part, so this first groups them exactly by
/// isomorphism, which is cheap: matrices by trying the ≤ 120 renumberings of their interior vertices,
/// labellings of one matrix by its automorphisms. Only one graph per class is hashed, and it is the one
/// the official walk meets first (smallest vertex count, then adjacency bits, then labelling in
/// <c>itertools.product</c> order), so the cells listed are the benchmark's own representatives, in
/// the order the official walk first meets them.
/// </summary>
public static class NasBench101Enumerator
{
    /// <summary>The published number of unique NAS-Bench-101 cells.</summary>
    public const int CellCount = 423_624;

    /// <summary>
    /// Enumerates and hashes the whole space, on <paramref name="threads"/> cores (default: as many as
    /// <see cref="Parallelism.MaxThreads"/> allows). Takes seconds; <see cref="NasBench101SpaceCache"/> keeps the result.
    /// </summary>
    public static NasBench101Space Enumerate(int? threads = null)
    {
        uint[] codes = Representatives();
        var hashes = HashAll(codes, threads ?? Parallelism.MaxThreads);

        // The official walk keeps the first graph of each hash; if two non-isomorphic classes shared a
        // hash, the later one would be dropped here exactly as there.
        var seen = new HashSet<NasBench101Hash>(codes.Length);
        var keptCodes = new List<uint>(codes.Length);
        var keptHashes = new List<NasBench101Hash>(codes.Length);
        for (int i = 0; i < codes.Length; i++)
        {
            if (!seen.Add(hashes[i])) continue;
            keptCodes.Add(codes[i]);
            keptHashes.Add(hashes[i]);
        }
        return NasBench101Space.FromTrustedRows([.. keptCodes], [.. keptHashes], complete: true);
    }

    /// <summary>The first graph (in the official walk's order) of each isomorphism class, as cell codes.</summary>
    internal static uint[] Representatives()
    {
        var result = new List<uint>(CellCount);
        for (int n = 2; n <= NasBench101Cell.MaxVertices; n++) AddRepresentatives(n, result);
        return [.. result];
    }

    private static void AddRepresentatives(int n, List<uint> result)
    {
        int spots = n * (n - 1) / 2;
        int interior = n - 2;
        byte[][] renumberings = InteriorPermutations(n);
        var placeValue = new int[n];
        int labellings = 1;
        for (int v = n - 2; v >= 1; v--)
        {
            placeValue[v] = labellings;
            labellings *= 3;
        }

        Span<byte> from = stackalloc byte[spots];
        Span<byte> to = stackalloc byte[spots];
        for (int t = 1, bit = 0; t < n; t++)
            for (int f = 0; f < t; f++, bit++) (from[bit], to[bit]) = ((byte)f, (byte)t);

        var classes = new HashSet<ulong>();
        var automorphisms = new List<byte[]>();
        Span<int> label = stackalloc int[n];
        uint allButOutput = (1u << (n - 1)) - 1;
        for (uint bits = 0; bits < 1u << spots; bits++)
        {
            if (BitOperations.PopCount(bits) > NasBench101Cell.MaxEdges) continue;
            // Every vertex on an input→output path: each vertex but the input has an in-edge, each but
            // the output an out-edge (the official is_full_dag test).
            uint hasOut = 0;
            bool full = true;
            for (int t = 1; t < n && full; t++)
            {
                uint sources = (bits >> (t * (t - 1) / 2)) & ((1u << t) - 1);
                full = sources != 0;
                hasOut |= sources;
            }
            if (!full || hasOut != allButOutput) continue;

            // Canonical form of the unlabelled graph: the smallest edge set over all renumberings of the
            // interior vertices (input and output carry unique labels, so they never move).
            ulong identity = EdgeSet(bits, renumberings[0], from, to);
            ulong canonical = identity;
            automorphisms.Clear();
            foreach (byte[] p in renumberings)
            {
                ulong key = EdgeSet(bits, p, from, to);
                if (key < canonical) canonical = key;
                if (key == identity && p != renumberings[0]) automorphisms.Add(p);
            }
            // Matrices are walked in increasing bits, so the first of a class is the official representative.
            if (!classes.Add(canonical)) continue;

            // Labellings of this matrix are isomorphic exactly when an automorphism maps one to the other;
            // keep the one that comes first in itertools.product order (vertex 1 most significant).
            for (int index = 0; index < labellings; index++)
            {
                for (int v = 1; v <= interior; v++) label[v] = index / placeValue[v] % 3;
                bool first = true;
                foreach (byte[] p in automorphisms)
                {
                    int image = 0;
                    for (int v = 1; v <= interior; v++) image += label[v] * placeValue[p[v]];
                    if (image < index) { first = false; break; }
                }
                if (!first) continue;
                uint code = bits;
                for (int v = 1; v <= interior; v++) code |= (uint)label[v] << (NasBench101Cell.EdgeSpots + 2 * (v - 1));
                result.Add(code);
            }
        }
    }

    // The edge set after renumbering vertex v as p[v], as bits p[from]·8 + p[to] of a 64-bit word.
    private static ulong EdgeSet(uint bits, byte[] p, ReadOnlySpan<byte> from, ReadOnlySpan<byte> to)
    {
        ulong set = 0;
        while (bits != 0)
        {
            int bit = BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
            set |= 1UL << (p[from[bit]] * 8 + p[to[bit]]);
        }
        return set;
    }

    // Every permutation of vertices 1..n-2 (0 and n-1 fixed), the identity first.
    private static byte[][] InteriorPermutations(int n)
    {
        var result = new List<byte[]>();
        var current = new byte[n];
        for (int v = 0; v < n; v++) current[v] = (byte)v;
        Permute(current, 1, n - 2, result);
        return [.. result];

        static void Permute(byte[] p, int start, int last, List<byte[]> output)
        {
            if (start >= last)
            {
                output.Add((byte[])p.Clone());
                return;
            }
            for (int i = start; i <= last; i++)
            {
                (p[start], p[i]) = (p[i], p[start]);
                Permute(p, start + 1, last, output);
                (p[start], p[i]) = (p[i], p[start]);
            }
        }
    }

    /// <summary>The module hash of every code, in parallel over contiguous ranges.</summary>
    internal static NasBench101Hash[] HashAll(uint[] codes, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        var hashes = new NasBench101Hash[codes.Length];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        bool vectors = NasBench101Md5.VectorsByDefault;
        Parallel.ForEach(Partitioner.Create(0, codes.Length, 4096), options, range =>
            NasBench101HashFunction.ComputeMany(codes.AsSpan(range.Item1, range.Item2 - range.Item1), hashes.AsSpan(range.Item1), vectors));
        return hashes;
    }
}
