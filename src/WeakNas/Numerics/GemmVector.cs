using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeakNas.Numerics;

/// <summary>
/// m == 1 or n == 1: a matrix-vector product. A register tile would be 1/Mr or 1/Nr full and
/// packing would cost as much as the product, so these run as dot products or axpy sweeps.
/// </summary>
internal static unsafe class GemmVector
{
    /// <summary>Returns false (nothing written) for strided-vector cases left to the general path.</summary>
    public static bool TryRun(in GemmArgs g)
    {
        bool vector = GemmIsaSelection.UseVector256(g.Isa);
        var store = new TileStore { Beta = g.Beta, Bias = g.Bias, Relu = g.Relu };
        if (g.N == 1)
        {
            // c[i] = sum_p opA(i,p) * x[p], x = the single column of op(B).
            nint incx = g.TransB ? 1 : g.Ldb;
            if (!g.TransA)
            {
                if (incx != 1)
                {
                    return false;
                }

                Dots(g.M, g.K, g.A, g.Lda, g.B, g.Alpha, g.C, g.Ldc, biasStride: 0, in store, vector);
            }
            else
            {
                Axpys(g.M, g.K, g.A, g.Lda, g.B, incx, g.Alpha, g.C, g.Ldc, biasStride: 0, in store, vector);
            }
        }
        else
        {
            // c[j] = sum_p x[p] * opB(p,j), x = the single row of op(A).
            nint incx = g.TransA ? g.Lda : 1;
            if (g.TransB)
            {
                if (incx != 1)
                {
                    return false;
                }

                Dots(g.N, g.K, g.B, g.Ldb, g.A, g.Alpha, g.C, 1, biasStride: 1, in store, vector);
            }
            else
            {
                Axpys(g.N, g.K, g.B, g.Ldb, g.A, incx, g.Alpha, g.C, 1, biasStride: 1, in store, vector);
            }
        }

        return true;
    }

    /// <summary>y[i] = alpha * dot(mat row i, x) for rows stored contiguously along k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Dots(int len, int k, float* mat, nint ldm, float* x, float alpha,
        float* y, nint incy, int biasStride, in TileStore store, bool vector)
    {
        for (int i = 0; i < len; i++)
        {
            float* row = mat + i * ldm;
            int p = 0;
            float sum = 0;
            if (vector)
            {
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (; p + 32 <= k; p += 32)
                {
                    s0 = Fma.MultiplyAdd(Vector256.Load(row + p), Vector256.Load(x + p), s0);
                    s1 = Fma.MultiplyAdd(Vector256.Load(row + p + 8), Vector256.Load(x + p + 8), s1);
                    s2 = Fma.MultiplyAdd(Vector256.Load(row + p + 16), Vector256.Load(x + p + 16), s2);
                    s3 = Fma.MultiplyAdd(Vector256.Load(row + p + 24), Vector256.Load(x + p + 24), s3);
                }

                for (; p + 8 <= k; p += 8)
                {
                    s0 = Fma.MultiplyAdd(Vector256.Load(row + p), Vector256.Load(x + p), s0);
                }

                sum = Vector256.Sum((s0 + s1) + (s2 + s3));
            }

            for (; p < k; p++)
            {
                sum += row[p] * x[p];
            }

            float* c = y + i * incy;
            *c = GemmKernelScalar.Merge(alpha * sum, c, i * biasStride, in store);
        }
    }

    /// <summary>y[i] = alpha * sum_p x[p*incx] * mat[p*ldm + i]: sweeps rows of mat, contiguous along i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpys(int len, int k, float* mat, nint ldm, float* x, nint incx, float alpha,
        float* y, nint incy, int biasStride, in TileStore store, bool vector)
    {
        float* acc = GemmBuffers.ForCurrentThread().Vector;
        for (int i0 = 0; i0 < len; i0 += GemmBuffers.VectorChunk)
        {
            // The chunk of accumulators stays in L1 while all k rows stream past it.
            int n = Math.Min(GemmBuffers.VectorChunk, len - i0);
            new Span<float>(acc, n).Clear();
            for (int p = 0; p < k; p++)
            {
                float* row = mat + p * ldm + i0;
                float xp = x[p * incx];
                int i = 0;
                if (vector)
                {
                    var vx = Vector256.Create(xp);
                    for (; i + 8 <= n; i += 8)
                    {
                        Fma.MultiplyAdd(vx, Vector256.Load(row + i), Vector256.Load(acc + i)).Store(acc + i);
                    }
                }

                for (; i < n; i++)
                {
                    acc[i] += xp * row[i];
                }
            }

            for (int i = 0; i < n; i++)
            {
                float* c = y + (i0 + i) * incy;
                *c = GemmKernelScalar.Merge(alpha * acc[i], c, (i0 + i) * biasStride, in store);
            }
        }
    }
}
