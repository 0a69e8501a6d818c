using System.Globalization;
using System.Numerics;
using System.Text;

namespace WeakNas.Spaces.NasBench101;

/// <summary>
/// The official NAS-Bench-101 module hash (<c>graph_util.hash_module</c>), byte for byte: each vertex starts
/// as the MD5 hex of Python's <c>str((out_degree, in_degree, label))</c>; then, as many rounds as there are
/// vertices, each vertex becomes the MD5 hex of its in-neighbours' hashes sorted and concatenated, '|', its
/// out-neighbours' likewise, '|', its own hash (a Weisfeiler-Lehman refinement); the fingerprint is the MD5
/// of Python's <c>str(sorted(hashes))</c>. Every string is ASCII, so the bytes hashed are Python's.
/// Cells are hashed in batches so that one round's messages of many cells go to MD5 together
/// (<see cref="NasBench101Md5"/>).
/// </summary>
internal static unsafe class NasBench101HashFunction
{
    private const int Hex = 32;
    private const int MaxN = NasBench101Cell.MaxVertices;
    private const int MaxDegree = MaxN - 1;
    private const int Labels = 5;
    private const int Batch = 64;

    // MD5 hex of every possible starting tuple: (out, in) in 0..6, label in -2..2.
    private static readonly byte[] Initial = BuildInitial();

    [ThreadStatic]
    private static Workspace? t_workspace;

    /// <summary>The hash of one cell.</summary>
    public static NasBench101Hash Compute(NasBench101Cell cell)
    {
        ReadOnlySpan<uint> codes = [cell.Code];
        Span<NasBench101Hash> hashes = stackalloc NasBench101Hash[1];
        ComputeMany(codes, hashes, NasBench101Md5.VectorsByDefault);
        return hashes[0];
    }

    /// <summary>The hashes of many cells (valid cell codes), on the calling thread.</summary>
    public static void ComputeMany(ReadOnlySpan<uint> codes, Span<NasBench101Hash> hashes, bool vectors)
    {
        if (hashes.Length < codes.Length) throw new ArgumentException($"Need room for {codes.Length} hashes, got {hashes.Length}.", nameof(hashes));
        var workspace = t_workspace ??= new Workspace();
        for (int first = 0; first < codes.Length; first += Batch)
        {
            int count = Math.Min(Batch, codes.Length - first);
            workspace.Run(codes.Slice(first, count), hashes.Slice(first, count), vectors);
        }
    }

    private sealed class Workspace
    {
        private readonly byte[] _arena = new byte[Batch * MaxN * NasBench101Md5.SlotSize];
        private readonly byte[] _current = new byte[Batch * MaxN * Hex];
        private readonly byte[] _digests = new byte[Batch * MaxN * NasBench101Md5.DigestSize];
        private readonly int[] _offsets = new int[Batch * MaxN];
        private readonly int[] _lengths = new int[Batch * MaxN];
        private readonly int[] _owner = new int[Batch * MaxN];
        private readonly int[] _vertices = new int[Batch];
        private readonly byte[] _in = new byte[Batch * MaxN];
        private readonly byte[] _out = new byte[Batch * MaxN];

        public void Run(ReadOnlySpan<uint> codes, Span<NasBench101Hash> hashes, bool vectors)
        {
            int count = codes.Length;
            int rounds = 0;
            for (int j = 0; j < count; j++)
            {
                var cell = NasBench101Cell.FromValidCode(codes[j]);
                int n = cell.VertexCount;
                _vertices[j] = n;
                rounds = Math.Max(rounds, n);
                Span<byte> inMask = _in.AsSpan(j * MaxN, MaxN), outMask = _out.AsSpan(j * MaxN, MaxN);
                inMask.Clear();
                outMask.Clear();
                for (int to = 1; to < n; to++)
                {
                    uint sources = cell.InMask(to);
                    inMask[to] = (byte)sources;
                    while (sources != 0)
                    {
                        int from = BitOperations.TrailingZeroCount(sources);
                        sources &= sources - 1;
                        outMask[from] |= (byte)(1 << to);
                    }
                }
                for (int v = 0; v < n; v++)
                {
                    int index = InitialIndex(BitOperations.PopCount(outMask[v]), BitOperations.PopCount(inMask[v]), cell.Label(v));
                    Initial.AsSpan(index * Hex, Hex).CopyTo(_current.AsSpan((j * MaxN + v) * Hex, Hex));
                }
            }

            fixed (byte* arena = _arena)
            {
                // A cell of n vertices takes n rounds; one round's messages of all cells still going are
                // built from the previous round's hashes, hashed together, and only then written back.
                for (int round = 0; round < rounds; round++)
                {
                    int messages = 0;
                    for (int j = 0; j < count; j++)
                    {
                        if (_vertices[j] <= round) continue;
                        for (int v = 0; v < _vertices[j]; v++)
                        {
                            int offset = messages * NasBench101Md5.SlotSize;
                            _offsets[messages] = offset;
                            _lengths[messages] = BuildRoundMessage(j, v, _arena.AsSpan(offset, NasBench101Md5.SlotSize));
                            _owner[messages] = j * MaxN + v;
                            messages++;
                        }
                    }
                    NasBench101Md5.HashMany(arena, _offsets.AsSpan(0, messages), _lengths.AsSpan(0, messages), _digests, vectors);
                    for (int i = 0; i < messages; i++)
                        Convert.TryToHexStringLower(_digests.AsSpan(i * NasBench101Md5.DigestSize, NasBench101Md5.DigestSize), _current.AsSpan(_owner[i] * Hex, Hex), out _);
                }

                for (int j = 0; j < count; j++)
                {
                    int offset = j * NasBench101Md5.SlotSize;
                    _offsets[j] = offset;
                    _lengths[j] = BuildFinalMessage(j, _arena.AsSpan(offset, NasBench101Md5.SlotSize));
                }
                NasBench101Md5.HashMany(arena, _offsets.AsSpan(0, count), _lengths.AsSpan(0, count), _digests, vectors);
            }
            for (int j = 0; j < count; j++) hashes[j] = NasBench101Hash.FromBytes(_digests.AsSpan(j * NasBench101Md5.DigestSize, NasBench101Md5.DigestSize));
        }

        // In-neighbours' hashes sorted, '|', out-neighbours' sorted, '|', the vertex's own.
        private int BuildRoundMessage(int cell, int vertex, Span<byte> message)
        {
            Span<int> order = stackalloc int[MaxN];
            int length = AppendSorted(cell, _in[cell * MaxN + vertex], message, 0, order);
            message[length++] = (byte)'|';
            length = AppendSorted(cell, _out[cell * MaxN + vertex], message, length, order);
            message[length++] = (byte)'|';
            Hash(cell, vertex).CopyTo(message[length..]);
            return length + Hex;
        }

        // Python's str(sorted(hashes)) for a list of str: "['h0', 'h1', ...]".
        private int BuildFinalMessage(int cell, Span<byte> message)
        {
            int n = _vertices[cell];
            Span<int> order = stackalloc int[MaxN];
            for (int v = 0; v < n; v++) order[v] = v;
            Sort(cell, order[..n]);
            int at = 0;
            message[at++] = (byte)'[';
            for (int i = 0; i < n; i++)
            {
                if (i > 0)
                {
                    message[at++] = (byte)',';
                    message[at++] = (byte)' ';
                }
                message[at++] = (byte)'\'';
                Hash(cell, order[i]).CopyTo(message[at..]);
                at += Hex;
                message[at++] = (byte)'\'';
            }
            message[at++] = (byte)']';
            return at;
        }

        private int AppendSorted(int cell, int mask, Span<byte> message, int at, Span<int> order)
        {
            int count = 0;
            while (mask != 0)
            {
                order[count++] = BitOperations.TrailingZeroCount(mask);
                mask &= mask - 1;
            }
            Sort(cell, order[..count]);
            for (int i = 0; i < count; i++)
            {
                Hash(cell, order[i]).CopyTo(message[at..]);
                at += Hex;
            }
            return at;
        }

        // Insertion sort of at most 7 vertices by their hex hashes (ASCII order, as Python sorts str).
        private void Sort(int cell, Span<int> vertices)
        {
            for (int i = 1; i < vertices.Length; i++)
            {
                int v = vertices[i];
                ReadOnlySpan<byte> key = Hash(cell, v);
                int j = i - 1;
                while (j >= 0 && Hash(cell, vertices[j]).SequenceCompareTo(key) > 0)
                {
                    vertices[j + 1] = vertices[j];
                    j--;
                }
                vertices[j + 1] = v;
            }
        }

        private ReadOnlySpan<byte> Hash(int cell, int vertex) => _current.AsSpan((cell * MaxN + vertex) * Hex, Hex);
    }

    private static int InitialIndex(int outDegree, int inDegree, int label) => (outDegree * (MaxDegree + 1) + inDegree) * Labels + label + 2;

    private static byte[] BuildInitial()
    {
        var table = new byte[(MaxDegree + 1) * (MaxDegree + 1) * Labels * Hex];
        Span<byte> digest = stackalloc byte[NasBench101Md5.DigestSize];
        for (int outDegree = 0; outDegree <= MaxDegree; outDegree++)
        {
            for (int inDegree = 0; inDegree <= MaxDegree; inDegree++)
            {
                for (int label = -2; label <= 2; label++)
                {
                    // Python's str() of a tuple of three ints.
                    string text = string.Create(CultureInfo.InvariantCulture, $"({outDegree}, {inDegree}, {label})");
                    NasBench101Md5.Platform(Encoding.ASCII.GetBytes(text), digest);
                    Convert.TryToHexStringLower(digest, table.AsSpan(InitialIndex(outDegree, inDegree, label) * Hex, Hex), out _);
                }
            }
        }
        return table;
    }
}
