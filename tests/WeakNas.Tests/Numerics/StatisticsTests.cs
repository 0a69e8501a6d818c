using WeakNas.Numerics;

namespace WeakNas.Tests.Numerics;

public class StatisticsTests
{
    [Fact]
    public void Mean_std_median_quantile_of_small_samples()
    {
        double[] v = [2, 4, 4, 4, 5, 5, 7, 9];
        Assert.Equal(5, Statistics.Mean(v));
        Assert.Equal(Math.Sqrt(32.0 / 7), Statistics.StandardDeviation(v), 12);
        Assert.Equal(4.5, Statistics.Median(v));
        Assert.Equal(5, Statistics.Median([9, 1, 5]));
        Assert.Equal(2.5, Statistics.Quantile([1, 2, 3, 4], 0.5));
        Assert.Equal(0, Statistics.StandardDeviation([3.0]));
    }

    [Fact]
    public void Bootstrap_interval_contains_the_mean_and_shrinks_with_more_data()
    {
        var rng = new Rng(1);
        var small = Enumerable.Range(0, 10).Select(_ => rng.NextGaussian()).ToArray();
        var large = Enumerable.Range(0, 1000).Select(_ => rng.NextGaussian()).ToArray();
        var (lo, hi) = Statistics.BootstrapMeanInterval(small);
        Assert.InRange(small.Average(), lo, hi);
        var (lo2, hi2) = Statistics.BootstrapMeanInterval(large);
        Assert.True(hi2 - lo2 < (hi - lo) / 3);
        // Standard error of a mean of 1000 unit normals is 0.0316; a 95% interval spans about 4 of them.
        Assert.InRange(hi2 - lo2, 0.10, 0.15);
        Assert.Equal(Statistics.BootstrapMeanInterval(small), Statistics.BootstrapMeanInterval(small));
    }

    [Theory]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.8413447460685429)]
    [InlineData(-1.96, 0.024997895148220435)]
    [InlineData(3.0, 0.9986501019683699)]
    public void Normal_cdf_matches_known_values(double x, double expected)
    {
        Assert.Equal(expected, Normal.Cdf(x), 6);
    }

    [Fact]
    public void Expected_improvement_is_positive_increasing_in_mean_and_spread()
    {
        Assert.Equal(0.3989422804014327, Normal.ExpectedImprovement(0, 1, 0), 6);
        Assert.True(Normal.ExpectedImprovement(1, 1, 0) > Normal.ExpectedImprovement(0, 1, 0));
        Assert.True(Normal.ExpectedImprovement(0, 2, 0) > Normal.ExpectedImprovement(0, 1, 0));
        Assert.Equal(0.5, Normal.ExpectedImprovement(1.5, 0, 1.0));
        Assert.Equal(0, Normal.ExpectedImprovement(0.5, 0, 1.0));
    }
}
