using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WeakNas.Predictors;

/// <summary>Which implementation of <see cref="AdamKernel.Update"/> runs; all give bit-identical results.</summary>
internal enum AdamPath
{
    /// <summary>Plain scalar code: the definition of the result, and the path of CPUs without SIMD.</summary>
    Scalar,
    /// <summary>Two 256-bit vectors per block of 16 (AVX2 machines).</summary>
    Vector256,
    /// <summary>One 512-bit vector per block of 16 (AVX-512 machines).</summary>
    Vector512,
}

/// <summary>
/// One Adam step over a range of parameters, with the L2 gradient (decay · w) added on the fly; returns Σw² of
/// the parameters before the step. The arithmetic is fixed so that every machine gives the same bits, and so
/// the same searches for the same seeds (an AVX2 machine must reproduce results measured on an AVX-512 one):
/// <list type="bullet">
/// <item>The range is cut into blocks of 16 and a tail of length mod 16. In a block each element is updated with
/// fused multiply-adds: g' = fma(decay, w, g); m = fma(β1, m, (1 − β1)·g'); v = fma(β2, v, ((1 − β2)·g')·g');
/// w = w − (lr·m) / (√v + ε); and w² is added to lane (index mod 16) of 16 float accumulators by fma.</item>
/// <item>The 16 lanes are summed as .NET sums a 512-bit float vector: ((l0+l1)+(l2+l3)) + ((l4+l5)+(l6+l7)),
/// plus the same over lanes 8–15, the two halves added last.</item>
/// <item>Tail elements use separate multiplies and adds (no fma), and add w² in double.</item>
/// </list>
/// </summary>
internal static class AdamKernel
{
    public const int Block = 16;

    /// <summary>The fastest path this machine runs.</summary>
    public static AdamPath Best { get; } =
        Vector512.IsHardwareAccelerated ? AdamPath.Vector512
        : Vector256.IsHardwareAccelerated ? AdamPath.Vector256
        : AdamPath.Scalar;

    /// <summary>Whether <paramref name="path"/> can run here (tests compare every runnable path).</summary>
    public static bool CanRun(AdamPath path) => path switch
    {
        AdamPath.Vector512 => Vector512.IsHardwareAccelerated,
        AdamPath.Vector256 => Vector256.IsHardwareAccelerated,
        _ => true,
    };

    public static double Update(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float decay, float lr, float b1, float b2, float eps) => Update(Best, p, g, m, v, decay, lr, b1, b2, eps);

    public static double Update(AdamPath path, Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v,
        float decay, float lr, float b1, float b2, float eps)
    {
        int length = p.Length;
        if (g.Length < length || m.Length < length || v.Length < length)
            throw new ArgumentException("gradient and moments must be at least as long as the parameters");
        if (!CanRun(path)) throw new PlatformNotSupportedException($"{path} is not accelerated on this machine");

        int blocks = length / Block * Block;
        float blockSum = path switch
        {
            AdamPath.Vector512 => Blocks512(p, g, m, v, blocks, decay, lr, b1, b2, eps),
            AdamPath.Vector256 => Blocks256(p, g, m, v, blocks, decay, lr, b1, b2, eps),
            _ => BlocksScalar(p, g, m, v, blocks, decay, lr, b1, b2, eps),
        };

        double sum = blockSum;
        for (int i = blocks; i < length; i++)
        {
            float pv = p[i];
            sum += (double)pv * pv;
            float gv = g[i] + decay * pv;
            float mv = b1 * m[i] + (1 - b1) * gv;
            float vv = b2 * v[i] + (1 - b2) * gv * gv;
            m[i] = mv;
            v[i] = vv;
            p[i] = pv - lr * mv / (MathF.Sqrt(vv) + eps);
        }
        return sum;
    }

    private static float Blocks512(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, int blocks,
        float decay, float lr, float b1, float b2, float eps)
    {
        var vb1 = Vector512.Create(b1); var vc1 = Vector512.Create(1 - b1);
        var vb2 = Vector512.Create(b2); var vc2 = Vector512.Create(1 - b2);
        var vlr = Vector512.Create(lr); var veps = Vector512.Create(eps); var vdecay = Vector512.Create(decay);
        var acc = Vector512<float>.Zero;
        for (int i = 0; i < blocks; i += Block)
        {
            var pv = Vector512.Create(p.Slice(i, Block));
            acc = Vector512.FusedMultiplyAdd(pv, pv, acc);
            var gv = Vector512.FusedMultiplyAdd(vdecay, pv, Vector512.Create(g.Slice(i, Block)));
            var mv = Vector512.FusedMultiplyAdd(vb1, Vector512.Create(m.Slice(i, Block)), vc1 * gv);
            var vv = Vector512.FusedMultiplyAdd(vb2, Vector512.Create(v.Slice(i, Block)), vc2 * gv * gv);
            mv.CopyTo(m.Slice(i, Block));
            vv.CopyTo(v.Slice(i, Block));
            (pv - vlr * mv / (Vector512.Sqrt(vv) + veps)).CopyTo(p.Slice(i, Block));
        }
        return Vector512.Sum(acc);
    }

    private static float Blocks256(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, int blocks,
        float decay, float lr, float b1, float b2, float eps)
    {
        var vb1 = Vector256.Create(b1); var vc1 = Vector256.Create(1 - b1);
        var vb2 = Vector256.Create(b2); var vc2 = Vector256.Create(1 - b2);
        var vlr = Vector256.Create(lr); var veps = Vector256.Create(eps); var vdecay = Vector256.Create(decay);
        var low = Vector256<float>.Zero;   // lanes 0-7 of the 16
        var high = Vector256<float>.Zero;  // lanes 8-15
        const int W = 8;
        for (int i = 0; i < blocks; i += W)
        {
            var pv = Vector256.Create(p.Slice(i, W));
            if ((i & W) == 0) low = Vector256.FusedMultiplyAdd(pv, pv, low);
            else high = Vector256.FusedMultiplyAdd(pv, pv, high);
            var gv = Vector256.FusedMultiplyAdd(vdecay, pv, Vector256.Create(g.Slice(i, W)));
            var mv = Vector256.FusedMultiplyAdd(vb1, Vector256.Create(m.Slice(i, W)), vc1 * gv);
            var vv = Vector256.FusedMultiplyAdd(vb2, Vector256.Create(v.Slice(i, W)), vc2 * gv * gv);
            mv.CopyTo(m.Slice(i, W));
            vv.CopyTo(v.Slice(i, W));
            (pv - vlr * mv / (Vector256.Sqrt(vv) + veps)).CopyTo(p.Slice(i, W));
        }
        // .NET sums a 512-bit float vector as the sum of its 256-bit halves' sums (each 128-bit quarter pairwise).
        return Vector256.Sum(low) + Vector256.Sum(high);
    }

    private static float BlocksScalar(Span<float> p, ReadOnlySpan<float> g, Span<float> m, Span<float> v, int blocks,
        float decay, float lr, float b1, float b2, float eps)
    {
        Span<float> lanes = stackalloc float[Block];
        lanes.Clear();
        float c1 = 1 - b1, c2 = 1 - b2;
        for (int i = 0; i < blocks; i++)
        {
            float pv = p[i];
            lanes[i & (Block - 1)] = MathF.FusedMultiplyAdd(pv, pv, lanes[i & (Block - 1)]);
            float gv = MathF.FusedMultiplyAdd(decay, pv, g[i]);
            float mv = MathF.FusedMultiplyAdd(b1, m[i], c1 * gv);
            float vv = MathF.FusedMultiplyAdd(b2, v[i], c2 * gv * gv);
            m[i] = mv;
            v[i] = vv;
            p[i] = pv - lr * mv / (MathF.Sqrt(vv) + eps);
        }
        return SumLikeVector512(lanes);
    }

    /// <summary>The order in which .NET's Vector512.Sum adds 16 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float SumLikeVector512(ReadOnlySpan<float> l)
    {
        float a = (l[0] + l[1]) + (l[2] + l[3]);
        float b = (l[4] + l[5]) + (l[6] + l[7]);
        float c = (l[8] + l[9]) + (l[10] + l[11]);
        float d = (l[12] + l[13]) + (l[14] + l[15]);
        return (a + b) + (c + d);
    }
}
