using System.Runtime.Intrinsics;

namespace WeakNas.Predictors;

/// <summary>
/// A dense layer applied to mostly-zero inputs (one-hot architecture encodings: 6 ones in 30 on NAS-Bench-201):
/// each output row is the bias plus the weight rows of the nonzero inputs, scaled, instead of a full product.
/// The nonzero terms are accumulated in input order with fused multiply-adds and the bias added last, as the
/// GEMM kernel does, so for 0/1 inputs the result is the same to the bit.
/// </summary>
internal static class SparseLayer
{
    /// <summary>True when at most a quarter of the values are nonzero.</summary>
    public static bool IsSparse(ReadOnlySpan<float> input)
    {
        int nonzero = 0, limit = input.Length / 4;
        foreach (float v in input)
            if (v != 0 && ++nonzero > limit) return false;
        return true;
    }

    public static void Forward(ReadOnlySpan<float> input, int rows, int fanIn, ReadOnlySpan<float> weights,
        ReadOnlySpan<float> bias, Span<float> output, bool relu)
    {
        int fanOut = bias.Length;
        for (int r = 0; r < rows; r++)
        {
            var x = input.Slice(r * fanIn, fanIn);
            var y = output.Slice(r * fanOut, fanOut);
            y.Clear();
            for (int j = 0; j < fanIn; j++)
            {
                float xj = x[j];
                if (xj == 0) continue;
                Axpy(xj, weights.Slice(j * fanOut, fanOut), y);
            }
            AddBias(y, bias, relu);
        }
    }

    private static void Axpy(float a, ReadOnlySpan<float> w, Span<float> y)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            for (; i <= y.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.FusedMultiplyAdd(va, Vector512.Create(w.Slice(i, Vector512<float>.Count)), Vector512.Create(y.Slice(i, Vector512<float>.Count)))
                    .CopyTo(y.Slice(i, Vector512<float>.Count));
        }
        for (; i < y.Length; i++) y[i] = MathF.FusedMultiplyAdd(a, w[i], y[i]);
    }

    private static void AddBias(Span<float> y, ReadOnlySpan<float> bias, bool relu)
    {
        for (int i = 0; i < y.Length; i++)
        {
            float v = y[i] + bias[i];
            y[i] = relu && v < 0 ? 0 : v;
        }
    }
}
