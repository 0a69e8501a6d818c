using System.Runtime.CompilerServices;

namespace WeakNas.Numerics;

/// <summary>
/// A register-blocked micro-kernel. Packed operands: the A sliver holds Mr values per k step
/// (a[p*Mr + r]), the B sliver Nr values per k step (b[p*Nr + j]), 64-byte aligned. The kernel
/// computes the full Mr×Nr tile and merges it into C (row stride ldc) as <paramref name="store"/> says.
/// </summary>
internal unsafe interface IGemmKernel
{
    static abstract int Mr { get; }

    static abstract int Nr { get; }

    static abstract void Run(nint kc, float* a, float* b, float* c, nint ldc, in TileStore store);
}

/// <summary>Portable 4×4 tile for CPUs without AVX2+FMA; correctness matters here, not speed.</summary>
internal readonly unsafe struct GemmKernelScalar : IGemmKernel
{
    public static int Mr => 4;

    public static int Nr => 4;

    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, in TileStore store)
    {
        float* acc = stackalloc float[16];
        new Span<float>(acc, 16).Clear();
        for (nint p = 0; p < kc; p++)
        {
            for (int r = 0; r < 4; r++)
            {
                float ar = a[r];
                float* row = acc + r * 4;
                row[0] += ar * b[0];
                row[1] += ar * b[1];
                row[2] += ar * b[2];
                row[3] += ar * b[3];
            }

            a += 4;
            b += 4;
        }

        for (int r = 0; r < 4; r++)
        {
            for (int j = 0; j < 4; j++)
            {
                c[r * ldc + j] = Merge(acc[r * 4 + j], c + r * ldc + j, j, in store);
            }
        }
    }

    /// <summary>The epilogue for one element; the edge-tile and scale-only paths use it too.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Merge(float acc, float* c, int column, in TileStore store)
    {
        float v = store.Beta == 0 ? acc : acc + store.Beta * *c;
        if (store.Bias != null)
        {
            v += store.Bias[column];
            if (store.Relu && v < 0)
            {
                v = 0;
            }
        }

        return v;
    }
}
