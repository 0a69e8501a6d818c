using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace WeakNas.Numerics;

/// <summary>
/// The blocked loops around the micro-kernel for one thread's rectangle of C.
/// Order: column block (nc) → k block (kc; pack the kc×nc block of B, ~L2-sized) → Mr-row sliver
/// (pack the Mr×kc sliver of A, which stays in L1) → Nr-column sliver (the kernel streams that
/// B sliver from L2 while reusing the A sliver). Hot methods are marked AggressiveOptimization:
/// tier-0 code for these loops would make the first few hundred multiplies several times slower.
/// </summary>
internal static unsafe class GemmDriver
{
    // Long k blocks amortise the read-modify-write of C that each block costs; 256-512 measured
    // within noise of each other on Zen 4, 256 slightly ahead.
    public const int KcMax = 256;

    public static void RunPart(in GemmArgs g, int i0, int i1, int j0, int j1)
    {
        switch (g.Isa)
        {
            case GemmIsa.Avx512:
                RunPart<GemmKernelAvx512>(in g, i0, i1, j0, j1);
                break;
            case GemmIsa.Avx2:
                RunPart<GemmKernelAvx2>(in g, i0, i1, j0, j1);
                break;
            default:
                RunPart<GemmKernelScalar>(in g, i0, i1, j0, j1);
                break;
        }
    }

    public static (int Mr, int Nr) TileShape(GemmIsa isa) => isa switch
    {
        GemmIsa.Avx512 => (GemmKernelAvx512.Mr, GemmKernelAvx512.Nr),
        GemmIsa.Avx2 => (GemmKernelAvx2.Mr, GemmKernelAvx2.Nr),
        _ => (GemmKernelScalar.Mr, GemmKernelScalar.Nr),
    };

    /// <summary>C = beta*C (+bias, ReLU) for k == 0 or alpha == 0, where A and B are not read.</summary>
    public static void ScaleOnly(in GemmArgs g)
    {
        var store = new TileStore { Beta = g.Beta, Bias = g.Bias, Relu = g.Relu };
        for (int i = 0; i < g.M; i++)
        {
            float* row = g.C + i * g.Ldc;
            for (int j = 0; j < g.N; j++)
            {
                row[j] = GemmKernelScalar.Merge(0f, row + j, j, in store);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunPart<TK>(in GemmArgs g, int i0, int i1, int j0, int j1)
        where TK : struct, IGemmKernel
    {
        int mr = TK.Mr, nr = TK.Nr;
        Debug.Assert(mr <= GemmBuffers.MaxMr && nr <= GemmBuffers.MaxNr, "buffers are sized for the largest tile");
        GemmBuffers buffers = GemmBuffers.ForCurrentThread();
        float* ap = buffers.A, bp = buffers.B, edge = buffers.Tile;

        // Equal-sized blocks: k = 257 becomes 129 + 128 rather than 256 + 1.
        int kc = BalancedBlock(g.K, KcMax, 1);
        int ncLimit = Math.Max(nr, GemmBuffers.BBlockFloats / kc / nr * nr);
        int nc = BalancedBlock(j1 - j0, ncLimit, nr);

        for (int jc = j0; jc < j1; jc += nc)
        {
            int jEnd = Math.Min(jc + nc, j1);
            int slivers = (jEnd - jc + nr - 1) / nr;
            for (int pc = 0; pc < g.K; pc += kc)
            {
                int kcur = Math.Min(kc, g.K - pc);
                nint sliverSize = (nint)kcur * nr;
                if (g.TransB)
                {
                    for (int s = 0; s < slivers; s++)
                    {
                        int col = jc + s * nr;
                        int cols = Math.Min(nr, jEnd - col);
                        GemmPacking.PackAcrossRows(g.B + col * g.Ldb + pc, g.Ldb, cols, kcur, 1f, bp + s * sliverSize, nr, g.Isa);
                    }
                }
                else
                {
                    GemmPacking.PackBlockAlongRows(g.B + pc * g.Ldb + jc, g.Ldb, jEnd - jc, kcur, bp, nr, g.Isa);
                }

                // Beta only on the first k block; later blocks accumulate. Bias/ReLU only once C is final.
                var store = new TileStore { Beta = pc == 0 ? g.Beta : 1f };
                bool last = pc + kcur == g.K;
                for (int ic = i0; ic < i1; ic += mr)
                {
                    int rows = Math.Min(mr, i1 - ic);
                    if (g.TransA)
                    {
                        GemmPacking.PackAlongRows(g.A + pc * g.Lda + ic, g.Lda, rows, kcur, g.Alpha, ap, mr, g.Isa);
                    }
                    else
                    {
                        GemmPacking.PackAcrossRows(g.A + ic * g.Lda + pc, g.Lda, rows, kcur, g.Alpha, ap, mr, g.Isa);
                    }

                    float* cRow = g.C + ic * g.Ldc;
                    for (int s = 0; s < slivers; s++)
                    {
                        int col = jc + s * nr;
                        int cols = Math.Min(nr, jEnd - col);
                        TileStore tile = store;
                        if (last && g.Bias != null)
                        {
                            tile.Bias = g.Bias + col;
                            tile.Relu = g.Relu;
                        }

                        if (TK.HandlesEdges || (rows == mr && cols == nr))
                        {
                            TK.Run(kcur, ap, bp + s * sliverSize, cRow + col, g.Ldc, in tile, rows, cols);
                        }
                        else
                        {
                            // Partial tile: compute all of it into scratch, then merge only the valid part.
                            TK.Run(kcur, ap, bp + s * sliverSize, edge, nr, default, mr, nr);
                            MergeEdge(edge, nr, cRow + col, g.Ldc, rows, cols, in tile);
                        }
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeEdge(float* tile, int nr, float* c, nint ldc, int rows, int cols, in TileStore store)
    {
        for (int r = 0; r < rows; r++)
        {
            float* src = tile + r * nr;
            float* dst = c + r * ldc;
            for (int j = 0; j < cols; j++)
            {
                dst[j] = GemmKernelScalar.MergeFused(src[j], dst + j, j, in store);
            }
        }
    }

    /// <summary>Splits total into the fewest blocks of at most max, equal up to a multiple of unit.</summary>
    public static int BalancedBlock(int total, int max, int unit)
    {
        int blocks = Math.Max(1, (total + max - 1) / max);
        int size = (total + blocks - 1) / blocks;
        return Math.Max(unit, (size + unit - 1) / unit * unit);
    }
}
