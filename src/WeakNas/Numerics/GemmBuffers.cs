using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WeakNas.Numerics;

/// <summary>
/// Packing scratch owned by one thread for its whole life, so a multiply allocates nothing.
/// A pinned array (not native memory) so it is reclaimed with the thread without a finaliser.
/// </summary>
internal sealed unsafe class GemmBuffers
{
    // Largest tile any kernel uses; the A sliver and edge tile are sized from these.
    public const int MaxMr = 12;
    public const int MaxNr = 32;

    // Packed B block (kc × nc), 1 MiB. Measured on Zen 4 (1 MiB L2) this was as fast as or faster than
    // half or three quarters of L2: the kernel reads the block in order, so prefetching hides the
    // part that spills to L3, and a wider block means each A sliver is packed fewer times.
    public const int BBlockFloats = 256 * 1024;

    // Accumulator chunk for the matrix-vector path; small enough to stay in L1.
    public const int VectorChunk = 2048;

    private const int Alignment = 64;

    [ThreadStatic]
    private static GemmBuffers? t_current;

    // Keeps the pinned storage alive; the pointers below point into it.
    private readonly float[] _storage;

    private GemmBuffers()
    {
        // Multiples of 16 floats keep every region 64-byte aligned.
        int aFloats = RoundUp(MaxMr * GemmDriver.KcMax, 16);
        int bFloats = RoundUp(BBlockFloats, 16);
        int tileFloats = MaxMr * MaxNr;
        int total = aFloats + bFloats + tileFloats + VectorChunk + Alignment / sizeof(float);
        _storage = GC.AllocateUninitializedArray<float>(total, pinned: true);

        nint start = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        float* p = (float*)((start + Alignment - 1) & ~(nint)(Alignment - 1));
        A = p;
        B = A + aFloats;
        Tile = B + bFloats;
        Vector = Tile + tileFloats;
    }

    /// <summary>Packed A sliver (Mr × kc).</summary>
    public float* A { get; }

    /// <summary>Packed B block (kc × nc, as Nr-wide slivers).</summary>
    public float* B { get; }

    /// <summary>Scratch tile for edge tiles that do not fill Mr × Nr.</summary>
    public float* Tile { get; }

    /// <summary>Accumulators for the matrix-vector path (<see cref="VectorChunk"/> floats).</summary>
    public float* Vector { get; }

    public static GemmBuffers ForCurrentThread() => t_current ??= new GemmBuffers();

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
