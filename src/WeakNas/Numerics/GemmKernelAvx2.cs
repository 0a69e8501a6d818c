using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeakNas.Numerics;

// Each k step loads one row of the B sliver into registers, broadcasts each A value
// of the sliver column and does one FMA per accumulator, so loads stay well below the FMA rate.

/// <summary>AVX2+FMA register tile: 6 rows × 16 columns of accumulators.</summary>
internal readonly unsafe struct GemmKernelAvx2 : IGemmKernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    public static bool HandlesEdges => false;

    // Tier-0 code for this loop is far slower than the packing around it; compile it optimised at once.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, in TileStore store, int rows, int cols)
    {
        Vector256<float> c0_0 = default, c0_1 = default;
        Vector256<float> c1_0 = default, c1_1 = default;
        Vector256<float> c2_0 = default, c2_1 = default;
        Vector256<float> c3_0 = default, c3_1 = default;
        Vector256<float> c4_0 = default, c4_1 = default;
        Vector256<float> c5_0 = default, c5_1 = default;
        for (nint p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Vector256.LoadAligned(b + 0);
            Vector256<float> b1 = Vector256.LoadAligned(b + 8);
            Vector256<float> a0 = Vector256.Create(a[0]);
            c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
            c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            Vector256<float> a1 = Vector256.Create(a[1]);
            c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
            c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
            Vector256<float> a2 = Vector256.Create(a[2]);
            c2_0 = Fma.MultiplyAdd(a2, b0, c2_0);
            c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
            Vector256<float> a3 = Vector256.Create(a[3]);
            c3_0 = Fma.MultiplyAdd(a3, b0, c3_0);
            c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
            Vector256<float> a4 = Vector256.Create(a[4]);
            c4_0 = Fma.MultiplyAdd(a4, b0, c4_0);
            c4_1 = Fma.MultiplyAdd(a4, b1, c4_1);
            Vector256<float> a5 = Vector256.Create(a[5]);
            c5_0 = Fma.MultiplyAdd(a5, b0, c5_0);
            c5_1 = Fma.MultiplyAdd(a5, b1, c5_1);
            a += 6;
            b += 16;
        }

        StoreRow(c, c0_0, c0_1, in store);
        StoreRow(c + ldc, c1_0, c1_1, in store);
        StoreRow(c + 2 * ldc, c2_0, c2_1, in store);
        StoreRow(c + 3 * ldc, c3_0, c3_1, in store);
        StoreRow(c + 4 * ldc, c4_0, c4_1, in store);
        StoreRow(c + 5 * ldc, c5_0, c5_1, in store);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow(float* c, Vector256<float> x0, Vector256<float> x1, in TileStore store)
    {
        if (store.Beta != 0)
        {
            Vector256<float> beta = Vector256.Create(store.Beta);
            x0 = Fma.MultiplyAdd(beta, Vector256.Load(c + 0), x0);
            x1 = Fma.MultiplyAdd(beta, Vector256.Load(c + 8), x1);
        }

        if (store.Bias != null)
        {
            x0 += Vector256.Load(store.Bias + 0);
            x1 += Vector256.Load(store.Bias + 8);
            if (store.Relu)
            {
                // max(0, NaN) keeps the NaN (second operand wins), as the scalar path does.
                x0 = Avx.Max(Vector256<float>.Zero, x0);
                x1 = Avx.Max(Vector256<float>.Zero, x1);
            }
        }

        x0.Store(c + 0);
        x1.Store(c + 8);
    }
}
