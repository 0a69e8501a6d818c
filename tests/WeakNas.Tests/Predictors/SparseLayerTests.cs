using WeakNas.Numerics;
using WeakNas.Predictors;

namespace WeakNas.Tests.Predictors;

public class SparseLayerTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void One_hot_rows_give_exactly_what_the_gemm_gives(bool relu)
    {
        const int Rows = 37, FanIn = 30, FanOut = 1000;
        var rng = new Rng(3);
        var x = new float[Rows * FanIn];
        for (int r = 0; r < Rows; r++)
            for (int edge = 0; edge < 6; edge++) x[r * FanIn + edge * 5 + rng.NextInt(5)] = 1;
        var w = Enumerable.Range(0, FanIn * FanOut).Select(_ => (float)rng.NextGaussian()).ToArray();
        var b = Enumerable.Range(0, FanOut).Select(_ => (float)rng.NextGaussian()).ToArray();
        Assert.True(SparseLayer.IsSparse(x));

        var sparse = new float[Rows * FanOut];
        SparseLayer.Forward(x, Rows, FanIn, w, b, sparse, relu);
        var dense = new float[Rows * FanOut];
        Gemm.Multiply(false, false, Rows, FanOut, FanIn, 1f, x, FanIn, w, FanOut, 0f, dense, FanOut,
            relu ? GemmEpilogue.BiasRelu : GemmEpilogue.Bias, b);
        Assert.Equal(dense, sparse);
    }

    [Fact]
    public void Dense_inputs_are_not_sparse()
    {
        Assert.False(SparseLayer.IsSparse([1, 1, 0, 0]));
        Assert.True(SparseLayer.IsSparse([1, 0, 0, 0]));
    }
}
