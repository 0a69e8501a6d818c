using System.Runtime.Intrinsics;
using WeakNas.Numerics;
using WeakNas.Predictors;

namespace WeakNas.Tests.Predictors;

/// <summary>
/// The Adam step must give the same bits on every machine, or a seed's search differs between an AVX2 and an
/// AVX-512 machine and published runs do not reproduce. Each path this machine runs is compared with the scalar
/// definition bit for bit.
/// </summary>
public class AdamKernelTests
{
    public static TheoryData<int> Lengths => new() { 0, 1, 7, 15, 16, 17, 31, 32, 33, 100, 256, 1000, 4099 };

    private sealed record State(float[] P, float[] G, float[] M, float[] V);

    private static State Random(int length, ulong seed)
    {
        var rng = new Rng(seed);
        float Next(double scale) => (float)((2 * rng.NextDouble() - 1) * scale);
        var p = new float[length]; var g = new float[length]; var m = new float[length]; var v = new float[length];
        for (int i = 0; i < length; i++)
        {
            p[i] = Next(0.3);
            g[i] = Next(0.05);
            m[i] = Next(0.01);
            v[i] = (float)(rng.NextDouble() * 1e-4);
        }
        return new State(p, g, m, v);
    }

    private static State Copy(State s) => new((float[])s.P.Clone(), (float[])s.G.Clone(), (float[])s.M.Clone(), (float[])s.V.Clone());

    private static double Step(AdamPath path, State s) =>
        AdamKernel.Update(path, s.P, s.G, s.M, s.V, decay: 5e-7f, lr: 1.3e-3f, b1: 0.9f, b2: 0.999f, eps: 1e-8f);

    private static void AssertSameBits(float[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}[{i}]: {expected[i]:R} vs {actual[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_path_this_machine_runs_gives_the_scalar_definition_bit_for_bit(int length)
    {
        var start = Random(length, (ulong)length + 11);
        var reference = Copy(start);
        double referenceSum = 0;
        // Several steps, so differences in the moments would reach the parameters.
        for (int step = 0; step < 3; step++) referenceSum = Step(AdamPath.Scalar, reference);

        int compared = 0;
        foreach (var path in new[] { AdamPath.Vector256, AdamPath.Vector512 })
        {
            if (!AdamKernel.CanRun(path)) continue;
            var state = Copy(start);
            double sum = 0;
            for (int step = 0; step < 3; step++) sum = Step(path, state);
            AssertSameBits(reference.P, state.P, $"{path} parameters");
            AssertSameBits(reference.M, state.M, $"{path} first moment");
            AssertSameBits(reference.V, state.V, $"{path} second moment");
            Assert.Equal(BitConverter.DoubleToInt64Bits(referenceSum), BitConverter.DoubleToInt64Bits(sum));
            compared++;
        }
        // A machine with no SIMD at all compares nothing; every x64 machine this project runs on has AVX2.
        Assert.True(compared > 0 || !Vector256.IsHardwareAccelerated);
    }

    [Fact]
    public void The_lane_sum_adds_in_the_order_of_Vector512_Sum()
    {
        var rng = new Rng(5);
        for (int trial = 0; trial < 200; trial++)
        {
            // Magnitudes far apart, so a different order rounds differently.
            var lanes = new float[16];
            for (int i = 0; i < 16; i++) lanes[i] = (float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.NextInt(8)));
            float expected = AdamKernel.SumLikeVector512(lanes);
            if (Vector512.IsHardwareAccelerated)
                Assert.Equal(expected, Vector512.Sum(Vector512.Create(lanes)));
            if (Vector256.IsHardwareAccelerated)
                Assert.Equal(expected, Vector256.Sum(Vector256.Create(lanes.AsSpan(0, 8))) + Vector256.Sum(Vector256.Create(lanes.AsSpan(8, 8))));
        }
    }

    [Fact]
    public void The_definition_differs_from_plain_sequential_arithmetic()
    {
        // Guards the test above against passing vacuously: an unfused, sequentially summed step gives other bits.
        var state = Random(1000, 3);
        var fused = Copy(state);
        double fusedSum = Step(AdamPath.Scalar, fused);
        var plain = Copy(state);
        double plainSum = 0;
        for (int i = 0; i < plain.P.Length; i++)
        {
            float pv = plain.P[i];
            plainSum += (double)pv * pv;
            float gv = plain.G[i] + 5e-7f * pv;
            plain.M[i] = 0.9f * plain.M[i] + (1 - 0.9f) * gv;
            plain.V[i] = 0.999f * plain.V[i] + (1 - 0.999f) * gv * gv;
            plain.P[i] = pv - 1.3e-3f * plain.M[i] / (MathF.Sqrt(plain.V[i]) + 1e-8f);
        }
        Assert.True(Enumerable.Range(0, 1000).Any(i => plain.M[i] != fused.M[i] || plain.V[i] != fused.V[i]),
            "fused and unfused moments agree everywhere");
        Assert.NotEqual(plainSum, fusedSum);
        // Yet both are the same Adam step: the parameters agree to float precision.
        for (int i = 0; i < 1000; i++) Assert.Equal(plain.P[i], fused.P[i], 1e-6f);
        Assert.Equal(plainSum, fusedSum, 1e-4);
    }

    [Fact]
    public void Is_an_Adam_step_with_the_L2_gradient()
    {
        // One element, in double: g' = g + decay*w; m = b1 m + (1-b1) g'; v = b2 v + (1-b2) g'^2; w -= lr m / (sqrt v + eps).
        foreach (int length in new[] { 1, 16 })
        {
            var p = Enumerable.Repeat(0.5f, length).ToArray();
            var g = Enumerable.Repeat(0.2f, length).ToArray();
            var m = Enumerable.Repeat(0.1f, length).ToArray();
            var v = Enumerable.Repeat(0.01f, length).ToArray();
            double sum = AdamKernel.Update(AdamKernel.Best, p, g, m, v, 0.1f, 0.01f, 0.9f, 0.999f, 1e-8f);
            double gd = 0.2 + 0.1 * 0.5, md = 0.9 * 0.1 + 0.1 * gd, vd = 0.999 * 0.01 + 0.001 * gd * gd;
            Assert.Equal(0.25 * length, sum, 1e-6);
            Assert.All(m, x => Assert.Equal(md, x, 1e-6));
            Assert.All(v, x => Assert.Equal(vd, x, 1e-6));
            Assert.All(p, x => Assert.Equal(0.5 - 0.01 * md / (Math.Sqrt(vd) + 1e-8), x, 1e-6));
        }
    }
}
