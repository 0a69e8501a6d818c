using WeakNas.Numerics;

namespace WeakNas.Tests.Numerics;

public class GemmTests
{
    // Error per element, relative to the scale of the terms summed into it (sum of |a||b| etc.),
    // so cancellation in the exact result does not make a correct kernel look wrong.
    private const double Tolerance = 1e-5;

    // Row padding in A, B and C holds this; the multiply must neither read it (it would poison C)
    // nor write it.
    private const float Padding = float.NaN;

    public static TheoryData<string, bool, bool, int, int, int> Shapes()
    {
        var data = new TheoryData<string, bool, bool, int, int, int>();
        foreach (string isa in SupportedIsas())
        {
            (int mr, int nr) = GemmDriver.TileShape(Parse(isa));
            int kc = GemmDriver.KcMax;
            var shapes = new List<(int M, int N, int K)>
            {
                (1, 1, 1), (7, 13, 5), (2, 3, 1), (3, 2, 2),
                (mr - 1, nr, 17), (mr, nr, 17), (mr + 1, nr, 17),
                (mr, nr - 1, 9), (mr, nr + 1, 9), (2 * mr + 1, 3 * nr - 1, 31),
                (mr + 1, nr + 1, kc - 1), (mr - 1, nr - 1, kc), (mr + 1, 2 * nr + 3, kc + 1),
                (5, 37, 3 * kc + 7), (33, 70, 100),
            };
            foreach ((int m, int n, int k) in shapes)
            {
                foreach ((bool ta, bool tb) in TransCombos)
                {
                    data.Add(isa, ta, tb, m, n, k);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Matches_double_reference_on_edge_shapes(string isa, bool transA, bool transB, int m, int n, int k)
    {
        WithIsa(isa, () =>
        {
            Check(transA, transB, m, n, k, alpha: 1f, beta: 0f, GemmEpilogue.None, pad: 0, seed: m * 7919 + n * 31 + k);
            Check(transA, transB, m, n, k, alpha: -0.75f, beta: 0.5f, GemmEpilogue.BiasRelu, pad: 3, seed: m + n + k);
        });
    }

    public static TheoryData<string> VectorIsas()
    {
        var data = new TheoryData<string>();
        foreach (string isa in SupportedIsas().Where(i => Parse(i) != GemmIsa.Scalar)) data.Add(isa);
        return data;
    }

    /// <summary>
    /// The vector kernels must agree bit for bit, or a seed's search differs between AVX2 and AVX-512 machines.
    /// Both must compute each element as one fused multiply-add chain along k per k block (A scaled by alpha
    /// first), merge each block with fma(beta, C, sum) (beta 1 after the first block), then add the bias and
    /// apply the ReLU; this test holds each kernel this machine runs to that definition.
    /// </summary>
    [Theory]
    [MemberData(nameof(VectorIsas))]
    public void Vector_kernels_give_the_bits_of_one_fused_chain_per_element(string isa)
    {
        (int mr, int nr) = GemmDriver.TileShape(Parse(isa));
        var shapes = new[] { (mr + 1, nr + 3, 7), (2 * mr - 1, nr - 1, GemmDriver.KcMax), (mr + 5, 2 * nr + 1, GemmDriver.KcMax + 1),
            (3, 5, 600), (97, 130, 600), (200, 256, 30) };
        int seed = 0;
        WithIsa(isa, () =>
        {
            foreach ((int m, int n, int k) in shapes)
            foreach ((bool ta, bool tb) in TransCombos)
            foreach ((float alpha, float beta, GemmEpilogue epilogue) in new[] { (1f, 0f, GemmEpilogue.BiasRelu), (0.005f, 1f, GemmEpilogue.None), (-0.75f, 0.37f, GemmEpilogue.Bias) })
            {
                var rng = new Random(++seed);
                int lda = ta ? m : k, ldb = tb ? k : n;
                float[] a = RandomArray(rng, m * k), b = RandomArray(rng, k * n), c = RandomArray(rng, m * n), bias = RandomArray(rng, n);
                float[] expected = (float[])c.Clone();
                int kc = GemmDriver.BalancedBlock(k, GemmDriver.KcMax, 1);
                for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    float value = expected[i * n + j];
                    for (int p0 = 0; p0 < k; p0 += kc)
                    {
                        float sum = 0;
                        for (int p = p0; p < Math.Min(k, p0 + kc); p++)
                        {
                            float ap = alpha * (ta ? a[p * lda + i] : a[i * lda + p]);
                            sum = MathF.FusedMultiplyAdd(ap, tb ? b[j * ldb + p] : b[p * ldb + j], sum);
                        }
                        float blockBeta = p0 == 0 ? beta : 1f;
                        value = blockBeta == 0 ? sum : MathF.FusedMultiplyAdd(blockBeta, value, sum);
                    }
                    if (epilogue != GemmEpilogue.None) value += bias[j];
                    if (epilogue == GemmEpilogue.BiasRelu && value < 0) value = 0;
                    expected[i * n + j] = value;
                }

                Gemm.Multiply(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, n, epilogue, bias);
                for (int e = 0; e < c.Length; e++)
                    Assert.True(BitConverter.SingleToInt32Bits(expected[e]) == BitConverter.SingleToInt32Bits(c[e]),
                        $"{isa} {m}x{n}x{k} transA={ta} transB={tb} beta={beta} element {e}: {c[e]:R}, expected {expected[e]:R}");
            }
        });
    }

    [Fact]
    public void Every_partial_tile_size_is_right()
    {
        foreach (string isa in SupportedIsas())
        {
            (int mr, int nr) = GemmDriver.TileShape(Parse(isa));
            WithIsa(isa, () =>
            {
                // m from mr+1 to 2mr leaves every possible partial row count; n likewise for columns.
                for (int m = mr + 1; m <= 2 * mr; m++)
                {
                    for (int n = 2; n <= 2 * nr; n += m % 2 == 0 ? 1 : 3)
                    {
                        Check(m % 2 == 0, n % 3 == 0, m, n, 7, 1f, 0.5f, GemmEpilogue.BiasRelu, pad: 1, seed: m * 100 + n);
                    }
                }
            });
        }
    }

    public static TheoryData<string, float, float, int> Scalings()
    {
        var data = new TheoryData<string, float, float, int>();
        foreach (string isa in SupportedIsas())
        {
            foreach (float alpha in new[] { 1f, 2.5f, -0.3f })
            {
                foreach (float beta in new[] { 0f, 1f, 0.5f, -2f })
                {
                    foreach (GemmEpilogue epilogue in Enum.GetValues<GemmEpilogue>())
                    {
                        data.Add(isa, alpha, beta, (int)epilogue);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scalings))]
    public void Applies_alpha_beta_and_epilogue(string isa, float alpha, float beta, int epilogue)
    {
        WithIsa(isa, () =>
        {
            foreach ((bool ta, bool tb) in TransCombos)
            {
                // k spans two k blocks so beta and the epilogue must land on the right ones.
                Check(ta, tb, 29, 45, GemmDriver.KcMax + 20, alpha, beta, (GemmEpilogue)epilogue, pad: 2, seed: epilogue);
            }
        });
    }

    public static TheoryData<bool, bool, int, int, int> LargeShapes()
    {
        var data = new TheoryData<bool, bool, int, int, int>();
        foreach ((bool ta, bool tb) in TransCombos)
        {
            data.Add(ta, tb, 1, 1000, 1000);
            data.Add(ta, tb, 1000, 1, 1000);
            data.Add(ta, tb, 200, 1000, 1000); // above the threading threshold: split across threads
        }

        data.Add(false, false, 1000, 200, 1000); // row split instead of column split
        data.Add(true, false, 1000, 1000, 200);
        data.Add(false, false, 200, 1000, 30);
        return data;
    }

    [Theory]
    [MemberData(nameof(LargeShapes))]
    public void Matches_double_reference_on_network_shapes(bool transA, bool transB, int m, int n, int k)
    {
        Check(transA, transB, m, n, k, alpha: 1f, beta: 0f, GemmEpilogue.Bias, pad: 0, seed: 5);
        Check(transA, transB, m, n, k, alpha: 0.5f, beta: 1f, GemmEpilogue.BiasRelu, pad: 5, seed: 6);
    }

    [Fact]
    public void Threaded_result_is_deterministic_and_independent_of_call_history()
    {
        var rng = new Random(11);
        float[] a = RandomArray(rng, 300 * 700);
        float[] b = RandomArray(rng, 700 * 900);
        float[] first = new float[300 * 900];
        float[] again = new float[300 * 900];
        Gemm.Multiply(false, false, 300, 900, 700, 1f, a, 700, b, 900, 0f, first, 900);
        Parallel.For(0, 4, _ =>
        {
            float[] other = new float[300 * 900];
            Gemm.Multiply(false, false, 300, 900, 700, 1f, a, 700, b, 900, 0f, other, 900);
            Assert.Equal(first, other);
        });
        Gemm.Multiply(false, false, 300, 900, 700, 1f, a, 700, b, 900, 0f, again, 900);
        Assert.Equal(first, again);
    }

    [Fact]
    public void Beta_zero_ignores_nan_in_c()
    {
        foreach (string isa in SupportedIsas())
        {
            WithIsa(isa, () =>
            {
                foreach ((int m, int n, int k) in new[] { (13, 35, 40), (1, 40, 7), (40, 1, 7), (3, 3, 0) })
                {
                    float[] c = Enumerable.Repeat(float.NaN, m * n).ToArray();
                    float[] a = Enumerable.Repeat(1f, m * k).ToArray();
                    float[] b = Enumerable.Repeat(2f, k * n).ToArray();
                    Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
                    Assert.All(c, v => Assert.Equal(2f * k, v));
                }
            });
        }
    }

    [Fact]
    public void Alpha_zero_or_empty_k_only_scales_c_and_does_not_read_a_or_b()
    {
        float[] nanA = Enumerable.Repeat(float.NaN, 6 * 4).ToArray();
        float[] nanB = Enumerable.Repeat(float.NaN, 4 * 5).ToArray();
        float[] bias = [1f, -10f, 2f, -3f, 0f];
        float[] c = Enumerable.Range(0, 6 * 5).Select(i => (float)i).ToArray();
        Gemm.Multiply(false, false, 6, 5, 4, 0f, nanA, 4, nanB, 5, 0.5f, c, 5, GemmEpilogue.BiasRelu, bias);
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(Math.Max(0f, 0.5f * i + bias[i % 5]), c[i]);
        }

        float[] d = Enumerable.Repeat(float.NaN, 6).ToArray();
        Gemm.Multiply(true, true, 2, 3, 0, 1f, [], 2, [], 1, 0f, d, 3, GemmEpilogue.Bias, bias);
        Assert.Equal(new[] { 1f, -10f, 2f, 1f, -10f, 2f }, d);
    }

    [Fact]
    public void Matrix_vector_shapes_with_strided_vectors_fall_back_correctly()
    {
        // n == 1 with B as a strided column, and m == 1 with A as a strided row.
        Check(false, false, 37, 1, 50, 1f, 0.5f, GemmEpilogue.Bias, pad: 4, seed: 1);
        Check(true, true, 1, 37, 50, 1f, 0.5f, GemmEpilogue.Bias, pad: 4, seed: 2);
        Check(true, false, 1, 37, 50, -1f, 0f, GemmEpilogue.BiasRelu, pad: 4, seed: 3);
        Check(false, true, 37, 1, 50, 2f, 1f, GemmEpilogue.None, pad: 4, seed: 4);
        Check(true, false, 5000, 1, 20, 1f, 0f, GemmEpilogue.None, pad: 0, seed: 5); // more than one accumulator chunk
    }

    [Fact]
    public void Rejects_spans_and_strides_too_small_for_the_shape()
    {
        float[] a = new float[6 * 4], b = new float[4 * 5], c = new float[6 * 5], bias = new float[5];
        AssertParam("a", () => Gemm.Multiply(false, false, 6, 5, 4, 1f, a.AsSpan(1), 4, b, 5, 0f, c, 5));
        AssertParam("b", () => Gemm.Multiply(false, false, 6, 5, 4, 1f, a, 4, b.AsSpan(1), 5, 0f, c, 5));
        AssertParam("c", () => Gemm.Multiply(false, false, 6, 5, 4, 1f, a, 4, b, 5, 0f, c.AsSpan(1), 5));
        AssertParam("lda", () => Gemm.Multiply(false, false, 6, 5, 4, 1f, a, 3, b, 5, 0f, c, 5));
        AssertParam("lda", () => Gemm.Multiply(true, false, 6, 5, 4, 1f, a, 5, b, 5, 0f, c, 5));
        AssertParam("ldb", () => Gemm.Multiply(false, true, 6, 5, 4, 1f, a, 4, b, 3, 0f, c, 5));
        AssertParam("ldc", () => Gemm.Multiply(false, false, 6, 5, 4, 1f, a, 4, b, 5, 0f, c, 4));
        AssertParam("a", () => Gemm.Multiply(false, false, 6, 5, 4, 1f, a, 5, b, 5, 0f, c, 5));
        AssertParam("bias", () => Gemm.Multiply(false, false, 6, 5, 4, 1f, a, 4, b, 5, 0f, c, 5, GemmEpilogue.Bias, bias.AsSpan(1)));
        AssertParam("m", () => Gemm.Multiply(false, false, -1, 5, 4, 1f, a, 4, b, 5, 0f, c, 5));
        AssertParam("k", () => Gemm.Multiply(false, false, 6, 5, -4, 1f, a, 4, b, 5, 0f, c, 5));

        // Exact sizes (no trailing padding after the last row) are accepted.
        Gemm.Multiply(false, false, 2, 2, 2, 1f, new float[5], 3, new float[4], 2, 0f, new float[5], 3);
    }

    private static readonly (bool, bool)[] TransCombos = [(false, false), (true, false), (false, true), (true, true)];

    private static IEnumerable<string> SupportedIsas() =>
        Enum.GetValues<GemmIsa>().Where(i => i <= GemmIsaSelection.Best).Select(i => i.ToString());

    private static GemmIsa Parse(string isa) => Enum.Parse<GemmIsa>(isa);

    private static void WithIsa(string isa, Action action)
    {
        GemmIsaSelection.Override(Parse(isa));
        try
        {
            action();
        }
        finally
        {
            GemmIsaSelection.Override(null);
        }
    }

    private static void AssertParam(string name, Action action)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(name, e.ParamName);
    }

    private static float[] RandomArray(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(rng.NextDouble() * 2 - 1);
        }

        return values;
    }

    /// <summary>Stored matrix rows×cols with stride cols+pad; padding set to <see cref="Padding"/>.</summary>
    private static float[] RandomMatrix(Random rng, int rows, int cols, int pad)
    {
        int ld = cols + pad;
        var values = new float[rows == 0 ? 0 : (rows - 1) * ld + cols];
        for (int r = 0; r < rows; r++)
        {
            for (int j = 0; j < ld && r * ld + j < values.Length; j++)
            {
                values[r * ld + j] = j < cols ? (float)(rng.NextDouble() * 2 - 1) : Padding;
            }
        }

        return values;
    }

    private static void Check(bool transA, bool transB, int m, int n, int k, float alpha, float beta,
        GemmEpilogue epilogue, int pad, int seed)
    {
        var rng = new Random(seed);
        int lda = (transA ? m : k) + pad, ldb = (transB ? k : n) + pad, ldc = n + pad;
        float[] a = RandomMatrix(rng, transA ? k : m, transA ? m : k, pad);
        float[] b = RandomMatrix(rng, transB ? n : k, transB ? k : n, pad);
        float[] c = RandomMatrix(rng, m, n, pad);
        float[] bias = RandomArray(rng, n);
        float[] original = (float[])c.Clone();

        Gemm.Multiply(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue, bias);

        // Reference in double with the operands laid out along k for a cache-friendly inner loop.
        var opA = new double[m * k];
        var opBt = new double[n * k];
        for (int i = 0; i < m; i++)
        {
            for (int p = 0; p < k; p++)
            {
                opA[i * k + p] = transA ? a[p * lda + i] : a[i * lda + p];
            }
        }

        for (int j = 0; j < n; j++)
        {
            for (int p = 0; p < k; p++)
            {
                opBt[j * k + p] = transB ? b[j * ldb + p] : b[p * ldb + j];
            }
        }

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < ldc && i * ldc + j < c.Length; j++)
            {
                float actual = c[i * ldc + j];
                if (j >= n)
                {
                    Assert.True(float.IsNaN(actual), $"padding of C written at ({i},{j})");
                    continue;
                }

                double sum = 0, scale = 0;
                for (int p = 0; p < k; p++)
                {
                    double term = opA[i * k + p] * opBt[j * k + p];
                    sum += term;
                    scale += Math.Abs(term);
                }

                double expected = alpha * sum;
                scale *= Math.Abs(alpha);
                if (beta != 0)
                {
                    expected += beta * (double)original[i * ldc + j];
                    scale += Math.Abs(beta * (double)original[i * ldc + j]);
                }

                if (epilogue != GemmEpilogue.None)
                {
                    expected += bias[j];
                    scale += Math.Abs(bias[j]);
                }

                if (epilogue == GemmEpilogue.BiasRelu)
                {
                    expected = Math.Max(0, expected);
                }

                double error = Math.Abs(actual - expected) / Math.Max(scale, 1e-30);
                Assert.True(error < Tolerance,
                    $"C[{i},{j}] = {actual}, expected {expected} (relative error {error:E2}) for " +
                    $"{(transA ? 'T' : 'N')}{(transB ? 'T' : 'N')} {m}x{n}x{k} alpha={alpha} beta={beta} {epilogue}");
            }
        }
    }
}
