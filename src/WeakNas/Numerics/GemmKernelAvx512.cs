using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeakNas.Numerics;

// Generated shape: each k step loads one row of the B sliver into registers, broadcasts each A value
// of the sliver column and does one FMA per accumulator, so loads stay well below the FMA rate.

/// <summary>AVX-512 register tile: 12 rows × 32 columns of accumulators.</summary>
internal readonly unsafe struct GemmKernelAvx512 : IGemmKernel
{
    public static int Mr => 12;

    public static int Nr => 32;

    // Tier-0 code for this loop is far slower than the packing around it; compile it optimised at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, in TileStore store)
    {
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
        for (nint p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Vector512.LoadAligned(b + 0);
            Vector512<float> b1 = Vector512.LoadAligned(b + 16);
            Vector512<float> a0 = Vector512.Create(a[0]);
            c0_0 = Avx512F.FusedMultiplyAdd(a0, b0, c0_0);
            c0_1 = Avx512F.FusedMultiplyAdd(a0, b1, c0_1);
            Vector512<float> a1 = Vector512.Create(a[1]);
            c1_0 = Avx512F.FusedMultiplyAdd(a1, b0, c1_0);
            c1_1 = Avx512F.FusedMultiplyAdd(a1, b1, c1_1);
            Vector512<float> a2 = Vector512.Create(a[2]);
            c2_0 = Avx512F.FusedMultiplyAdd(a2, b0, c2_0);
            c2_1 = Avx512F.FusedMultiplyAdd(a2, b1, c2_1);
            Vector512<float> a3 = Vector512.Create(a[3]);
            c3_0 = Avx512F.FusedMultiplyAdd(a3, b0, c3_0);
            c3_1 = Avx512F.FusedMultiplyAdd(a3, b1, c3_1);
            Vector512<float> a4 = Vector512.Create(a[4]);
            c4_0 = Avx512F.FusedMultiplyAdd(a4, b0, c4_0);
            c4_1 = Avx512F.FusedMultiplyAdd(a4, b1, c4_1);
            Vector512<float> a5 = Vector512.Create(a[5]);
            c5_0 = Avx512F.FusedMultiplyAdd(a5, b0, c5_0);
            c5_1 = Avx512F.FusedMultiplyAdd(a5, b1, c5_1);
            Vector512<float> a6 = Vector512.Create(a[6]);
            c6_0 = Avx512F.FusedMultiplyAdd(a6, b0, c6_0);
            c6_1 = Avx512F.FusedMultiplyAdd(a6, b1, c6_1);
            Vector512<float> a7 = Vector512.Create(a[7]);
            c7_0 = Avx512F.FusedMultiplyAdd(a7, b0, c7_0);
            c7_1 = Avx512F.FusedMultiplyAdd(a7, b1, c7_1);
            Vector512<float> a8 = Vector512.Create(a[8]);
            c8_0 = Avx512F.FusedMultiplyAdd(a8, b0, c8_0);
            c8_1 = Avx512F.FusedMultiplyAdd(a8, b1, c8_1);
            Vector512<float> a9 = Vector512.Create(a[9]);
            c9_0 = Avx512F.FusedMultiplyAdd(a9, b0, c9_0);
            c9_1 = Avx512F.FusedMultiplyAdd(a9, b1, c9_1);
            Vector512<float> a10 = Vector512.Create(a[10]);
            c10_0 = Avx512F.FusedMultiplyAdd(a10, b0, c10_0);
            c10_1 = Avx512F.FusedMultiplyAdd(a10, b1, c10_1);
            Vector512<float> a11 = Vector512.Create(a[11]);
            c11_0 = Avx512F.FusedMultiplyAdd(a11, b0, c11_0);
            c11_1 = Avx512F.FusedMultiplyAdd(a11, b1, c11_1);
            a += 12;
            b += 32;
        }

        StoreRow(c, c0_0, c0_1, in store);
        StoreRow(c + ldc, c1_0, c1_1, in store);
        StoreRow(c + 2 * ldc, c2_0, c2_1, in store);
        StoreRow(c + 3 * ldc, c3_0, c3_1, in store);
        StoreRow(c + 4 * ldc, c4_0, c4_1, in store);
        StoreRow(c + 5 * ldc, c5_0, c5_1, in store);
        StoreRow(c + 6 * ldc, c6_0, c6_1, in store);
        StoreRow(c + 7 * ldc, c7_0, c7_1, in store);
        StoreRow(c + 8 * ldc, c8_0, c8_1, in store);
        StoreRow(c + 9 * ldc, c9_0, c9_1, in store);
        StoreRow(c + 10 * ldc, c10_0, c10_1, in store);
        StoreRow(c + 11 * ldc, c11_0, c11_1, in store);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector512<float> x0, Vector512<float> x1, in TileStore store)
    {
        if (store.Beta != 0)
        {
            Vector512<float> beta = Vector512.Create(store.Beta);
            x0 = Avx512F.FusedMultiplyAdd(beta, Vector512.Load(c + 0), x0);
            x1 = Avx512F.FusedMultiplyAdd(beta, Vector512.Load(c + 16), x1);
        }

        if (store.Bias != null)
        {
            x0 += Vector512.Load(store.Bias + 0);
            x1 += Vector512.Load(store.Bias + 16);
            if (store.Relu)
            {
                // max(0, NaN) keeps the NaN (second operand wins), as the scalar path does.
                x0 = Avx512F.Max(Vector512<float>.Zero, x0);
                x1 = Avx512F.Max(Vector512<float>.Zero, x1);
            }
        }

        x0.Store(c + 0);
        x1.Store(c + 16);
    }
}
