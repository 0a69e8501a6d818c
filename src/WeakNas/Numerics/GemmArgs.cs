using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace WeakNas.Numerics;

/// <summary>One validated multiply, as raw pointers so worker threads can share it (the caller keeps the spans pinned).</summary>
internal unsafe struct GemmArgs
{
    public float* A;
    public nint Lda;
    public bool TransA;
    public float* B;
    public nint Ldb;
    public bool TransB;
    public float* C;
    public nint Ldc;
    public int M, N, K;
    public float Alpha, Beta;
    public float* Bias; // null: no bias
    public bool Relu;
    public GemmIsa Isa;
}

/// <summary>How a kernel merges its accumulators into C.</summary>
internal unsafe struct TileStore
{
    // 0: overwrite (C not read, so NaN garbage is ignored); otherwise C = acc + Beta*C.
    public float Beta;
    // Points at the bias entry of the tile's first column; null on all but the last k block.
    public float* Bias;
    public bool Relu;
}

internal enum GemmIsa
{
    Scalar,
    Avx2,
    Avx512,
}

internal static class GemmIsaSelection
{
    public static readonly GemmIsa Best =
        Avx512F.IsSupported ? GemmIsa.Avx512
        : Avx2.IsSupported && Fma.IsSupported ? GemmIsa.Avx2
        : GemmIsa.Scalar;

    // Per thread so tests can exercise the fallback kernels without changing other callers' results.
    [ThreadStatic]
    private static GemmIsa? t_override;

    public static GemmIsa Current => t_override ?? Best;

    /// <summary>For tests: force a kernel (only ones the CPU supports) on this thread; null restores the best.</summary>
    public static void Override(GemmIsa? isa)
    {
        if (isa is GemmIsa requested && requested > Best)
        {
            throw new PlatformNotSupportedException($"{requested} kernels are not supported on this CPU.");
        }

        t_override = isa;
    }

    /// <summary>Whether the helper loops (packing, matrix-vector) may use 256-bit vectors under this ISA.</summary>
    public static bool UseVector256(GemmIsa isa) => isa >= GemmIsa.Avx2 && Vector256.IsHardwareAccelerated;
}
