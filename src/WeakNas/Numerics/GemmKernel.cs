using System.Runtime.CompilerServices;

namespace WeakNas.Numerics;

/// <summary>
/// A register-blocked micro-kernel. Packed operands: the A sliver holds Mr values per k step
/// (a[p*Mr + r]), the B sliver Nr values per k step (b[p*Nr + j]), 64-byte aligned and zero-padded.
/// The kernel computes the rows×cols corner of the Mr×Nr tile and merges it into C (row stride ldc)
/// as the store says. Kernels without <see cref="HandlesEdges"/> are only called with full tiles.
/// </summary>
internal unsafe interface IGemmKernel
{
    static abstract int Mr { get; }

    static abstract int Nr { get; }

    static abstract bool HandlesEdges { get; }

    static abstract void Run(nint kc, float* a, float* b, float* c, nint ldc, in TileStore store, int rows, int cols);
}

/// <summary>A compile-time integer for specialising kernels through generic value-type arguments.</summary>
internal interface IGemmConstant
{
    static abstract int Value { get; }
}

#pragma warning disable CA1812 // used only as generic arguments
internal readonly struct One : IGemmConstant { public static int Value => 1; }
internal readonly struct Two : IGemmConstant { public static int Value => 2; }
internal readonly struct R1 : IGemmConstant { public static int Value => 1; }
internal readonly struct R2 : IGemmConstant { public static int Value => 2; }
internal readonly struct R3 : IGemmConstant { public static int Value => 3; }
internal readonly struct R4 : IGemmConstant { public static int Value => 4; }
internal readonly struct R5 : IGemmConstant { public static int Value => 5; }
internal readonly struct R6 : IGemmConstant { public static int Value => 6; }
internal readonly struct R7 : IGemmConstant { public static int Value => 7; }
internal readonly struct R8 : IGemmConstant { public static int Value => 8; }
internal readonly struct R9 : IGemmConstant { public static int Value => 9; }
internal readonly struct R10 : IGemmConstant { public static int Value => 10; }
internal readonly struct R11 : IGemmConstant { public static int Value => 11; }
internal readonly struct R12 : IGemmConstant { public static int Value => 12; }
#pragma warning restore CA1812

/// <summary>Portable 4×4 tile for CPUs without AVX2+FMA; correctness matters here, not speed.</summary>
internal readonly unsafe struct GemmKernelScalar : IGemmKernel
{
    public static int Mr => 4;

    public static int Nr => 4;

    public static bool HandlesEdges => false;

    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, in TileStore store, int rows, int cols)
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

    /// <summary>
    /// The epilogue as the vector kernels apply it (beta·C fused into the sum): the edge tiles of the AVX2 kernel
    /// use it, so that they give the same bits as the AVX-512 kernel, which handles edges in its registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MergeFused(float acc, float* c, int column, in TileStore store) =>
        BiasRelu(store.Beta == 0 ? acc : MathF.FusedMultiplyAdd(store.Beta, *c, acc), column, in store);

    /// <summary>The epilogue for one element; the scalar kernel and the scale-only and matrix-vector paths use it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Merge(float acc, float* c, int column, in TileStore store) =>
        BiasRelu(store.Beta == 0 ? acc : acc + store.Beta * *c, column, in store);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float BiasRelu(float v, int column, in TileStore store)
    {
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
