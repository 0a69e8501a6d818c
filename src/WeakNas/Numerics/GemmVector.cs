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
        int i = 0;
        if (vector)
        {
            // Four rows at a time share each load of x; two accumulators per row hide FMA latency.
            for (; i + 4 <= len; i += 4)
            {
                float* r0 = mat + i * ldm, r1 = r0 + ldm, r2 = r1 + ldm, r3 = r2 + ldm;
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
                int p = 0;
                for (; p + 16 <= k; p += 16)
                {
                    Vector256<float> xa = Vector256.Load(x + p), xb = Vector256.Load(x + p + 8);
                    a0 = Fma.MultiplyAdd(Vector256.Load(r0 + p), xa, a0);
                    b0 = Fma.MultiplyAdd(Vector256.Load(r0 + p + 8), xb, b0);
                    a1 = Fma.MultiplyAdd(Vector256.Load(r1 + p), xa, a1);
                    b1 = Fma.MultiplyAdd(Vector256.Load(r1 + p + 8), xb, b1);
                    a2 = Fma.MultiplyAdd(Vector256.Load(r2 + p), xa, a2);
                    b2 = Fma.MultiplyAdd(Vector256.Load(r2 + p + 8), xb, b2);
                    a3 = Fma.MultiplyAdd(Vector256.Load(r3 + p), xa, a3);
                    b3 = Fma.MultiplyAdd(Vector256.Load(r3 + p + 8), xb, b3);
                }

                if (p + 8 <= k)
                {
                    Vector256<float> xa = Vector256.Load(x + p);
                    a0 = Fma.MultiplyAdd(Vector256.Load(r0 + p), xa, a0);
                    a1 = Fma.MultiplyAdd(Vector256.Load(r1 + p), xa, a1);
                    a2 = Fma.MultiplyAdd(Vector256.Load(r2 + p), xa, a2);
                    a3 = Fma.MultiplyAdd(Vector256.Load(r3 + p), xa, a3);
                    p += 8;
                }

                float s0 = Vector256.Sum(a0 + b0), s1 = Vector256.Sum(a1 + b1);
                float s2 = Vector256.Sum(a2 + b2), s3 = Vector256.Sum(a3 + b3);
                for (; p < k; p++)
                {
                    s0 += r0[p] * x[p];
                    s1 += r1[p] * x[p];
                    s2 += r2[p] * x[p];
                    s3 += r3[p] * x[p];
                }

                Finish(y, incy, i, s0, alpha, biasStride, in store);
                Finish(y, incy, i + 1, s1, alpha, biasStride, in store);
                Finish(y, incy, i + 2, s2, alpha, biasStride, in store);
                Finish(y, incy, i + 3, s3, alpha, biasStride, in store);
            }
        }

        for (; i < len; i++)
        {
            float* row = mat + i * ldm;
            float sum = 0;
            for (int p = 0; p < k; p++)
            {
                sum += row[p] * x[p];
            }

            Finish(y, incy, i, sum, alpha, biasStride, in store);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish(float* y, nint incy, int i, float sum, float alpha, int biasStride, in TileStore store)
    {
        float* c = y + i * incy;
        *c = GemmKernelScalar.Merge(alpha * sum, c, i * biasStride, in store);
    }

    /// <summary>y[i] = alpha * sum_p x[p*incx] * mat[p*ldm + i]: sweeps rows of mat, contiguous along i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Axpys(int len, int k, float* mat, nint ldm, float* x, nint incx, float alpha,
        float* y, nint incy, int biasStride, in TileStore store, bool vector)
    {
        float* acc = GemmBuffers.ForCurrentThread().Vector;
        for (int i0 = 0; i0 < len; i0 += GemmBuffers.VectorChunk)
        {
            // The chunk of accumulators stays in L1 while all k rows stream past it; four rows per
            // pass so each accumulator load/store serves four FMAs.
            int n = Math.Min(GemmBuffers.VectorChunk, len - i0);
            new Span<float>(acc, n).Clear();
            int p = 0;
            if (vector)
            {
                for (; p + 4 <= k; p += 4)
                {
                    float* r0 = mat + p * ldm + i0, r1 = r0 + ldm, r2 = r1 + ldm, r3 = r2 + ldm;
                    float x0 = x[p * incx], x1 = x[(p + 1) * incx], x2 = x[(p + 2) * incx], x3 = x[(p + 3) * incx];
                    Vector256<float> v0 = Vector256.Create(x0), v1 = Vector256.Create(x1);
                    Vector256<float> v2 = Vector256.Create(x2), v3 = Vector256.Create(x3);
                    int i = 0;
                    for (; i + 8 <= n; i += 8)
                    {
                        Vector256<float> sum = Fma.MultiplyAdd(v0, Vector256.Load(r0 + i), Vector256.Load(acc + i));
                        sum = Fma.MultiplyAdd(v1, Vector256.Load(r1 + i), sum);
                        sum = Fma.MultiplyAdd(v2, Vector256.Load(r2 + i), sum);
                        Fma.MultiplyAdd(v3, Vector256.Load(r3 + i), sum).Store(acc + i);
                    }

                    for (; i < n; i++)
                    {
                        acc[i] += x0 * r0[i] + x1 * r1[i] + x2 * r2[i] + x3 * r3[i];
                    }
                }
            }

            for (; p < k; p++)
            {
                float* row = mat + p * ldm + i0;
                float xp = x[p * incx];
                for (int i = 0; i < n; i++)
                {
                    acc[i] += xp * row[i];
                }
            }

            for (int i = 0; i < n; i++)
            {
                Finish(y, incy, i0 + i, acc[i], alpha, biasStride, in store);
            }
        }
    }
}
