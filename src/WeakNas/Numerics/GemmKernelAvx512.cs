using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeakNas.Numerics;

/// <summary>
/// AVX-512 register tile: 12 rows × 32 columns = 24 zmm accumulators, plus 2 for the B row and 1 for
/// the broadcast A value, within the 32 registers. Each k step costs 2 vector loads and 12 broadcasts
/// for 24 FMAs, so the FMA pipes, not the load ports, set the pace.
/// Edge tiles run the same code specialised (at JIT time, through the generic arguments) to fewer
/// rows or one column vector, with masked loads/stores for a partial last vector, so they waste no
/// FMAs on padding and never touch C or bias outside the tile.
/// </summary>
internal readonly unsafe struct GemmKernelAvx512 : IGemmKernel
{
    public static int Mr => 12;

    public static int Nr => 32;

    public static bool HandlesEdges => true;

    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, in TileStore store, int rows, int cols)
    {
        if (cols > 16)
        {
            RunRows<Two>(kc, a, b, c, ldc, in store, rows, cols);
        }
        else
        {
            RunRows<One>(kc, a, b, c, ldc, in store, rows, cols);
        }
    }

    private static void RunRows<TVectors>(nint kc, float* a, float* b, float* c, nint ldc, in TileStore store, int rows, int cols)
        where TVectors : struct, IGemmConstant
    {
        switch (rows)
        {
            case 12:
                Tile<TVectors, R12>(kc, a, b, c, ldc, in store, cols);
                break;
            case 11:
                Tile<TVectors, R11>(kc, a, b, c, ldc, in store, cols);
                break;
            case 10:
                Tile<TVectors, R10>(kc, a, b, c, ldc, in store, cols);
                break;
            case 9:
                Tile<TVectors, R9>(kc, a, b, c, ldc, in store, cols);
                break;
            case 8:
                Tile<TVectors, R8>(kc, a, b, c, ldc, in store, cols);
                break;
            case 7:
                Tile<TVectors, R7>(kc, a, b, c, ldc, in store, cols);
                break;
            case 6:
                Tile<TVectors, R6>(kc, a, b, c, ldc, in store, cols);
                break;
            case 5:
                Tile<TVectors, R5>(kc, a, b, c, ldc, in store, cols);
                break;
            case 4:
                Tile<TVectors, R4>(kc, a, b, c, ldc, in store, cols);
                break;
            case 3:
                Tile<TVectors, R3>(kc, a, b, c, ldc, in store, cols);
                break;
            case 2:
                Tile<TVectors, R2>(kc, a, b, c, ldc, in store, cols);
                break;
            case 1:
                Tile<TVectors, R1>(kc, a, b, c, ldc, in store, cols);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(rows));
        }
    }

    // Compiled optimised on first use: tier-0 code for this loop would be several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile<TVectors, TRows>(nint kc, float* a, float* b, float* c, nint ldc, in TileStore store, int cols)
        where TVectors : struct, IGemmConstant
        where TRows : struct, IGemmConstant
    {
        // Constants per instantiation, so the untaken branches below vanish from the compiled loop.
        bool two = TVectors.Value == 2;
        int rows = TRows.Value;
        Vector512<float> c0_0 = default, c0_1 = default;
        Vector512<float> c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default;
        Vector512<float> c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default;
        Vector512<float> c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default;
        Vector512<float> c7_0 = default, c7_1 = default;
        Vector512<float> c8_0 = default, c8_1 = default;
        Vector512<float> c9_0 = default, c9_1 = default;
        Vector512<float> c10_0 = default, c10_1 = default;
        Vector512<float> c11_0 = default, c11_1 = default;

        // The tile of C is read or written only after the k loop; start fetching it now so that
        // its cache misses (C is often far larger than L2) overlap the FMAs instead of following them.
        // An unaligned 32-float row segment spans three cache lines, hence first, middle and last.
        for (int r = 0; r < rows; r++)
        {
            float* line = c + r * ldc;
            Sse.Prefetch0(line);
            Sse.Prefetch0(line + (two ? 31 : 15));
            if (two)
            {
                Sse.Prefetch0(line + 16);
            }
        }

        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.LoadAligned(b);
            Vector512<float> b1 = two ? Vector512.LoadAligned(b + 16) : default;
            Vector512<float> a0 = Vector512.Create(a[0]);
            c0_0 = Avx512F.FusedMultiplyAdd(a0, b0, c0_0);
            if (two)
            {
                c0_1 = Avx512F.FusedMultiplyAdd(a0, b1, c0_1);
            }

            if (rows > 1)
            {
                Vector512<float> a1 = Vector512.Create(a[1]);
                c1_0 = Avx512F.FusedMultiplyAdd(a1, b0, c1_0);
                if (two)
                {
                    c1_1 = Avx512F.FusedMultiplyAdd(a1, b1, c1_1);
                }
            }

            if (rows > 2)
            {
                Vector512<float> a2 = Vector512.Create(a[2]);
                c2_0 = Avx512F.FusedMultiplyAdd(a2, b0, c2_0);
                if (two)
                {
                    c2_1 = Avx512F.FusedMultiplyAdd(a2, b1, c2_1);
                }
            }

            if (rows > 3)
            {
                Vector512<float> a3 = Vector512.Create(a[3]);
                c3_0 = Avx512F.FusedMultiplyAdd(a3, b0, c3_0);
                if (two)
                {
                    c3_1 = Avx512F.FusedMultiplyAdd(a3, b1, c3_1);
                }
            }

            if (rows > 4)
            {
                Vector512<float> a4 = Vector512.Create(a[4]);
                c4_0 = Avx512F.FusedMultiplyAdd(a4, b0, c4_0);
                if (two)
                {
                    c4_1 = Avx512F.FusedMultiplyAdd(a4, b1, c4_1);
                }
            }

            if (rows > 5)
            {
                Vector512<float> a5 = Vector512.Create(a[5]);
                c5_0 = Avx512F.FusedMultiplyAdd(a5, b0, c5_0);
                if (two)
                {
                    c5_1 = Avx512F.FusedMultiplyAdd(a5, b1, c5_1);
                }
            }

            if (rows > 6)
            {
                Vector512<float> a6 = Vector512.Create(a[6]);
                c6_0 = Avx512F.FusedMultiplyAdd(a6, b0, c6_0);
                if (two)
                {
                    c6_1 = Avx512F.FusedMultiplyAdd(a6, b1, c6_1);
                }
            }

            if (rows > 7)
            {
                Vector512<float> a7 = Vector512.Create(a[7]);
                c7_0 = Avx512F.FusedMultiplyAdd(a7, b0, c7_0);
                if (two)
                {
                    c7_1 = Avx512F.FusedMultiplyAdd(a7, b1, c7_1);
                }
            }

            if (rows > 8)
            {
                Vector512<float> a8 = Vector512.Create(a[8]);
                c8_0 = Avx512F.FusedMultiplyAdd(a8, b0, c8_0);
                if (two)
                {
                    c8_1 = Avx512F.FusedMultiplyAdd(a8, b1, c8_1);
                }
            }

            if (rows > 9)
            {
                Vector512<float> a9 = Vector512.Create(a[9]);
                c9_0 = Avx512F.FusedMultiplyAdd(a9, b0, c9_0);
                if (two)
                {
                    c9_1 = Avx512F.FusedMultiplyAdd(a9, b1, c9_1);
                }
            }

            if (rows > 10)
            {
                Vector512<float> a10 = Vector512.Create(a[10]);
                c10_0 = Avx512F.FusedMultiplyAdd(a10, b0, c10_0);
                if (two)
                {
                    c10_1 = Avx512F.FusedMultiplyAdd(a10, b1, c10_1);
                }
            }

            if (rows > 11)
            {
                Vector512<float> a11 = Vector512.Create(a[11]);
                c11_0 = Avx512F.FusedMultiplyAdd(a11, b0, c11_0);
                if (two)
                {
                    c11_1 = Avx512F.FusedMultiplyAdd(a11, b1, c11_1);
                }
            }

            a += 12;
            b += 32;
        }

        // The last (or only) column vector of the tile may be partial.
        Vector512<float> mask = Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(cols - (two ? 16 : 0))).AsSingle();
        var row = new RowStore(in store, mask, two);
        row.Store(c, c0_0, c0_1);
        if (rows > 1)
        {
            row.Store(c + ldc, c1_0, c1_1);
        }

        if (rows > 2)
        {
            row.Store(c + 2 * ldc, c2_0, c2_1);
        }

        if (rows > 3)
        {
            row.Store(c + 3 * ldc, c3_0, c3_1);
        }

        if (rows > 4)
        {
            row.Store(c + 4 * ldc, c4_0, c4_1);
        }

        if (rows > 5)
        {
            row.Store(c + 5 * ldc, c5_0, c5_1);
        }

        if (rows > 6)
        {
            row.Store(c + 6 * ldc, c6_0, c6_1);
        }

        if (rows > 7)
        {
            row.Store(c + 7 * ldc, c7_0, c7_1);
        }

        if (rows > 8)
        {
            row.Store(c + 8 * ldc, c8_0, c8_1);
        }

        if (rows > 9)
        {
            row.Store(c + 9 * ldc, c9_0, c9_1);
        }

        if (rows > 10)
        {
            row.Store(c + 10 * ldc, c10_0, c10_1);
        }

        if (rows > 11)
        {
            row.Store(c + 11 * ldc, c11_0, c11_1);
        }

    }

    /// <summary>The epilogue for one tile row, hoisted out of <see cref="TileStore"/> into registers.</summary>
    private readonly struct RowStore
    {
        private readonly Vector512<float> _beta;
        private readonly Vector512<float> _bias0;
        private readonly Vector512<float> _bias1;
        private readonly Vector512<float> _mask;
        private readonly bool _readC;
        private readonly bool _addBias;
        private readonly bool _relu;
        private readonly bool _two;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public RowStore(in TileStore store, Vector512<float> mask, bool two)
        {
            _two = two;
            _mask = mask;
            _readC = store.Beta != 0;
            _beta = Vector512.Create(store.Beta);
            _addBias = store.Bias != null;
            _relu = store.Relu;
            _bias0 = default;
            _bias1 = default;
            if (_addBias)
            {
                // Masked: bias may end exactly at the tile's last valid column.
                if (two)
                {
                    _bias0 = Vector512.Load(store.Bias);
                    _bias1 = Avx512F.MaskLoad(store.Bias + 16, mask, Vector512<float>.Zero);
                }
                else
                {
                    _bias0 = Avx512F.MaskLoad(store.Bias, mask, Vector512<float>.Zero);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Store(float* c, Vector512<float> x0, Vector512<float> x1)
        {
            // The partial vector is x1 for a two-vector tile, else x0.
            Vector512<float> full = _two ? Vector512<float>.AllBitsSet : _mask;
            if (_readC)
            {
                x0 = Avx512F.FusedMultiplyAdd(_beta, Avx512F.MaskLoad(c, full, Vector512<float>.Zero), x0);
                if (_two)
                {
                    x1 = Avx512F.FusedMultiplyAdd(_beta, Avx512F.MaskLoad(c + 16, _mask, Vector512<float>.Zero), x1);
                }
            }

            if (_addBias)
            {
                x0 += _bias0;
                x1 += _bias1;
                if (_relu)
                {
                    // max(0, NaN) keeps the NaN (second operand wins), as the scalar path does.
                    x0 = Avx512F.Max(Vector512<float>.Zero, x0);
                    x1 = Avx512F.Max(Vector512<float>.Zero, x1);
                }
            }

            Avx512F.MaskStore(c, full, x0);
            if (_two)
            {
                Avx512F.MaskStore(c + 16, _mask, x1);
            }
        }
    }
}
